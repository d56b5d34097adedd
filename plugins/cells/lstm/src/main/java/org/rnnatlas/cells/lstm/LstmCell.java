package org.rnnatlas.cells.lstm;

import java.util.random.RandomGenerator;

import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellKernel;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.support.CellArgs;
import org.rnnatlas.spi.support.FusedCell;
import org.rnnatlas.spi.support.FusedLayout;

/**
 * The long short-term memory cell of SPEC §1, state {@code s = [h; c]} (2N):
 *
 * <pre>
 *   [i, f, o] = σ(h·W_• + x·U_• + b_•)      input, forget, output gates
 *   c̃  = φ(h·W_c + x·U_c + b_c)             candidate
 *   c' = f ⊙ c + i ⊙ c̃
 *   h' = o ⊙ φ(c')
 * </pre>
 *
 * in the row-vector convention (SPEC's {@code W_g} is the transpose of the column block {@code W[:, gN:(g+1)N]}); φ is
 * tanh or relu, for the candidate and the output alike.
 *
 * <p><b>Parameters</b>, in storage order: {@code W} (N×4N, fan-in N), {@code U} (M×4N, fan-in M), {@code b} (4N); the
 * column blocks are {@code [i, f, o, c]}, each N wide. Initialisation is SPEC §1's with the forget-gate bias at +1
 * and every other bias at 0. {@code z = [h, x]·[W; U] + b} is one product.
 *
 * <p><b>Derivatives</b> (upstream {@code [g_h; g_c]}, φ' written through its output): with
 * {@code δc = g_c + g_h o φ'(φ(c'))}: {@code ∂z_i = δc c̃ i(1 − i)}, {@code ∂z_f = δc c f(1 − f)},
 * {@code ∂z_o = g_h φ(c') o(1 − o)}, {@code ∂z_c = δc i φ'(c̃)}; {@code gS = [∂z·Wᵀ; δc ⊙ f]}. The state Jacobian,
 * in blocks over (h, c): {@code ∂c'_i/∂h_k = A_i W_i[k][i] + F_i W_f[k][i] + C_i W_c[k][i]},
 * {@code ∂c'/∂c = diag(f)}, {@code ∂h'_i/∂h_k = O_i W_o[k][i] + P_i ∂c'_i/∂h_k}, {@code ∂h'/∂c = diag(P f)} with
 * {@code A = c̃ i(1 − i)}, {@code F = c f(1 − f)}, {@code C = i φ'(c̃)}, {@code O = φ(c') o(1 − o)},
 * {@code P = o φ'(φ(c'))}.
 */
public final class LstmCell extends FusedCell {

    /** The registered name. */
    public static final String NAME = "lstm";

    /** Service-loader constructor; does no work beyond naming the cell. */
    public LstmCell() {
        super(NAME, "Long short-term memory (input, forget, output gates), state [h; c]", 4);
    }

    @Override
    public int stateSize(CellSpec spec) {
        return 2 * spec.hidden();
    }

    /** Gates i, f, o, c̃ (4N), φ(c') (N), ∂z (4N), δc (N); the Jacobians reuse the last 5N for A, F, C, O, P. */
    @Override
    public int scratchSize(CellSpec spec) {
        return 10 * spec.hidden();
    }

    @Override
    public void initialize(CellSpec spec, RandomGenerator rng, double[] params) {
        Cell.initializeDefault(parameters(spec), rng, params);
        int n = spec.hidden();
        int bias = FusedLayout.biasOffset(spec, 4);
        // forget-gate bias starts at +1 (SPEC §1): bias entries N..2N
        java.util.Arrays.fill(params, bias + n, bias + 2 * n, 1.0);
    }

    @Override
    public void step(CellSpec spec, double[] p, double[] s, double[] x, double[] sNext, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        CellArgs.requireLength(this, spec, sNext, 2 * n, "sNext");
        forward(spec, p, s, x, scratch);
        for (int i = 0; i < n; i++) {
            sNext[n + i] = scratch[n + i] * s[n + i] + scratch[i] * scratch[3 * n + i];
            sNext[i] = scratch[2 * n + i] * scratch[4 * n + i];
        }
    }

    @Override
    public void stepBackward(CellSpec spec, double[] p, double[] s, double[] x, double[] g,
                             double[] gS, double[] gX, double[] gP, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        int gn = 4 * n;
        CellArgs.requireLength(this, spec, g, 2 * n, "g");
        CellArgs.requireBackwardOutputs(this, spec, gS, gX, gP);
        forward(spec, p, s, x, scratch);
        Activation act = spec.activation();
        int dz = 5 * n;
        int dc = 9 * n;
        for (int i = 0; i < n; i++) {
            double ig = scratch[i];
            double f = scratch[n + i];
            double o = scratch[2 * n + i];
            double cand = scratch[3 * n + i];
            double tc = scratch[4 * n + i];
            double gh = g[i];
            double dct = g[n + i] + gh * o * act.derivativeFromOutput(tc);
            scratch[dz + i] = dct * cand * ig * (1.0 - ig);
            scratch[dz + n + i] = dct * s[n + i] * f * (1.0 - f);
            scratch[dz + 2 * n + i] = gh * tc * o * (1.0 - o);
            scratch[dz + 3 * n + i] = dct * ig * act.derivativeFromOutput(cand);
            scratch[dc + i] = dct;
        }
        // g is not read after this point, so it may alias gS
        if (gS != null) {
            for (int k = 0; k < n; k++) {
                gS[k] = FusedLayout.dot(p, k * gn, scratch, dz, gn);
                gS[n + k] = scratch[dc + k] * scratch[n + k];
            }
        }
        if (gX != null) {
            FusedLayout.inputGradient(spec, 4, p, scratch, dz, gX);
        }
        if (gP != null) {
            // the pre-activation sees h = s[0..N) only: the memory c enters through the gates, not through W
            FusedLayout.addParameterGradient(spec, 4, s, x, scratch, dz, gP);
        }
    }

    @Override
    public void stateJacobian(CellSpec spec, double[] p, double[] s, double[] x, double[] jac, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        int sz = 2 * n;
        CellArgs.requireLength(this, spec, jac, sz * sz, "jac");
        coefficients(spec, p, s, x, scratch);
        java.util.Arrays.fill(jac, 0, sz * sz, 0.0);
        fillHiddenColumns(n, n, p, 0, jac, sz, 0, scratch);
        int fo = n;
        int pOff = 9 * n;
        for (int i = 0; i < n; i++) {
            double f = scratch[fo + i];
            jac[i * sz + n + i] = scratch[pOff + i] * f;
            jac[(n + i) * sz + n + i] = f;
        }
    }

    @Override
    public void inputJacobian(CellSpec spec, double[] p, double[] s, double[] x, double[] jac, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        int m = spec.inputs();
        CellArgs.requireLength(this, spec, jac, 2 * n * m, "jac");
        coefficients(spec, p, s, x, scratch);
        fillHiddenColumns(n, m, p, n * 4 * n, jac, m, 0, scratch);
    }

    /**
     * Writes the columns of ∂s'/∂v for {@code cols} variables v whose weight rows start at {@code rowOff} in p (h: the
     * rows of W; x: the rows of U) into columns {@code colOff..colOff+cols} of a 2N-row matrix with leading dimension
     * {@code ld}.
     */
    private static void fillHiddenColumns(int n, int cols, double[] p, int rowOff, double[] jac, int ld, int colOff,
                                          double[] scratch) {
        int gn = 4 * n;
        int a = 5 * n;
        int f = 6 * n;
        int c = 7 * n;
        int o = 8 * n;
        int pp = 9 * n;
        for (int k = 0; k < cols; k++) {
            int w = rowOff + k * gn;
            for (int i = 0; i < n; i++) {
                double dcdv = scratch[a + i] * p[w + i] + scratch[f + i] * p[w + n + i]
                        + scratch[c + i] * p[w + 3 * n + i];
                jac[(n + i) * ld + colOff + k] = dcdv;
                jac[i * ld + colOff + k] = scratch[o + i] * p[w + 2 * n + i] + scratch[pp + i] * dcdv;
            }
        }
    }

    @Override
    public CellKernel kernel(Ops ops, CellSpec spec, int batch, int maxSteps) {
        return new LstmKernel(ops, spec, batch, maxSteps);
    }

    /** scratch[0..4N) = i, f, o, c̃ and scratch[4N..5N) = φ(c') at (s, x). */
    private static void forward(CellSpec spec, double[] p, double[] s, double[] x, double[] scratch) {
        int n = spec.hidden();
        int gn = 4 * n;
        // reads h = s[0..N) only
        FusedLayout.preactivation(spec, 4, p, s, x, scratch, 0);
        for (int i = 0; i < 3 * n; i++) {
            scratch[i] = Activation.sigmoid(scratch[i]);
        }
        Activation act = spec.activation();
        for (int i = 3 * n; i < gn; i++) {
            scratch[i] = act.apply(scratch[i]);
        }
        for (int i = 0; i < n; i++) {
            double cNext = scratch[n + i] * s[n + i] + scratch[i] * scratch[3 * n + i];
            scratch[4 * n + i] = act.apply(cNext);
        }
    }

    /** The forward values plus the Jacobian coefficients A, F, C, O, P at 5N, 6N, 7N, 8N, 9N. */
    private static void coefficients(CellSpec spec, double[] p, double[] s, double[] x, double[] scratch) {
        forward(spec, p, s, x, scratch);
        int n = spec.hidden();
        Activation act = spec.activation();
        for (int i = 0; i < n; i++) {
            double ig = scratch[i];
            double f = scratch[n + i];
            double o = scratch[2 * n + i];
            double cand = scratch[3 * n + i];
            double tc = scratch[4 * n + i];
            scratch[5 * n + i] = cand * ig * (1.0 - ig);
            scratch[6 * n + i] = s[n + i] * f * (1.0 - f);
            scratch[7 * n + i] = ig * act.derivativeFromOutput(cand);
            scratch[8 * n + i] = tc * o * (1.0 - o);
            scratch[9 * n + i] = o * act.derivativeFromOutput(tc);
        }
    }
}
