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
 *
 * <p><b>Batches</b> (double precision, B rows of states {@code [H, C]} (B×2N) and inputs X), with {@link Ops#gemm}
 * products: {@link #stepBatch} forms {@code Z = 1·b + H·W + X·U} (B×4N; two products, H read in place with leading
 * dimension 2N), σ and φ on its column blocks, then {@code C' = F⊙C + I⊙C̃} and {@code H' = O⊙φ(C')} row by row.
 * {@link #stepBackwardBatch} recomputes Z and {@code φ(C')}, overwrites Z row by row with ∂Z, writes the memory part
 * {@code δc ⊙ f} of each gS row and then its hidden part {@code ∂Z·Wᵀ}, one NT product. The scratch holds Z (B×4N)
 * and φ(C') (B×N); nothing is allocated.
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

    /**
     * {@inheritDoc}
     *
     * <p>The left half (∂/∂h) comes from the columns of W four rows at a time (see {@link #fillHiddenColumns}); the
     * right half (∂/∂c) is diagonal, so each of its rows is zeroed and given its one entry. Every entry is written
     * once.
     */
    @Override
    public void stateJacobian(CellSpec spec, double[] p, double[] s, double[] x, double[] jac, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        int sz = 2 * n;
        CellArgs.requireLength(this, spec, jac, sz * sz, "jac");
        coefficients(spec, p, s, x, scratch);
        fillHiddenColumns(n, n, p, 0, jac, sz, 0, scratch);
        int fo = n;
        int pOff = 9 * n;
        for (int i = 0; i < n; i++) {
            double f = scratch[fo + i];
            int h = i * sz + n;
            int c = (n + i) * sz + n;
            java.util.Arrays.fill(jac, h, h + n, 0.0);
            java.util.Arrays.fill(jac, c, c + n, 0.0);
            jac[h + i] = scratch[pOff + i] * f;
            jac[c + i] = f;
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

    /** Z = [i, f, o, c̃] (B×4N), which the batched state VJP overwrites with ∂Z, then φ(C') (B×N). */
    @Override
    public int batchScratchSize(CellSpec spec, int batch) {
        requireBatchSize(spec, batch);
        return Math.multiplyExact(batch, 5 * spec.hidden());
    }

    /** {@inheritDoc} sNext must alias neither s nor x. */
    @Override
    public void stepBatch(CellSpec spec, Ops ops, double[] p, int batch, double[] s, double[] x, double[] sNext,
                          double[] scratch) {
        requireBatch(spec, ops, p, batch, s, x, scratch);
        int n = spec.hidden();
        int gn = 4 * n;
        int sz = 2 * n;
        CellArgs.requireLength(this, spec, sNext, batch * sz, "sNext (batch × S)");
        if (batch == 0) {
            return; // an empty batch: no product to run
        }
        gatesBatch(spec, ops, p, batch, s, x, scratch);
        Activation act = spec.activation();
        for (int b = 0; b < batch; b++) {
            int z = b * gn;
            int st = b * sz;
            for (int i = 0; i < n; i++) {
                sNext[st + n + i] = scratch[z + n + i] * s[st + n + i] + scratch[z + i] * scratch[z + 3 * n + i];
            }
            // φ(c') lands in the hidden half first, then is scaled by the output gate
            ops.activate(act, sNext, st + n, sNext, st, n);
            for (int i = 0; i < n; i++) {
                sNext[st + i] = scratch[z + 2 * n + i] * sNext[st + i];
            }
        }
    }

    /**
     * {@inheritDoc} Each row of g is read before the same row of gS is written, so the two may be the same array.
     */
    @Override
    public void stepBackwardBatch(CellSpec spec, Ops ops, double[] p, int batch, double[] s, double[] x,
                                  double[] g, double[] gS, double[] scratch) {
        requireBatch(spec, ops, p, batch, s, x, scratch);
        int n = spec.hidden();
        int gn = 4 * n;
        int sz = 2 * n;
        CellArgs.requireLength(this, spec, g, batch * sz, "g (batch × S)");
        CellArgs.requireLength(this, spec, gS, batch * sz, "gS (batch × S)");
        if (batch == 0) {
            return; // an empty batch: no product to run
        }
        gatesBatch(spec, ops, p, batch, s, x, scratch);
        Activation act = spec.activation();
        int tc = batch * gn;
        for (int b = 0; b < batch; b++) {
            int z = b * gn;
            int st = b * sz;
            int t = tc + b * n;
            for (int i = 0; i < n; i++) {
                scratch[t + i] = scratch[z + n + i] * s[st + n + i] + scratch[z + i] * scratch[z + 3 * n + i];
            }
        }
        ops.activate(act, scratch, tc, scratch, tc, batch * n);
        for (int b = 0; b < batch; b++) {
            int z = b * gn;
            int st = b * sz;
            int t = tc + b * n;
            for (int i = 0; i < n; i++) {
                double ig = scratch[z + i];
                double f = scratch[z + n + i];
                double o = scratch[z + 2 * n + i];
                double cand = scratch[z + 3 * n + i];
                double phiC = scratch[t + i];
                double gh = g[st + i];
                double dct = g[st + n + i] + gh * o * act.derivativeFromOutput(phiC);
                // ∂Z overwrites the gate values it was computed from; the memory part of gS is δc ⊙ f
                scratch[z + i] = dct * cand * ig * (1.0 - ig);
                scratch[z + n + i] = dct * s[st + n + i] * f * (1.0 - f);
                scratch[z + 2 * n + i] = gh * phiC * o * (1.0 - o);
                scratch[z + 3 * n + i] = dct * ig * act.derivativeFromOutput(cand);
                gS[st + n + i] = dct * f;
            }
        }
        // hidden part: gS[b][k] = Σ_j ∂Z[b][j]·W[k][j], an NT product against W written with leading dimension 2N
        ops.gemm(false, true, batch, n, gn, scratch, 0, gn, p, 0, gn, gS, 0, sz, false);
    }

    /**
     * Z = [i, f, o, c̃] for a batch (B×4N) into scratch[0, 4BN): {@code 1·b + H·W + X·U} in the order of
     * {@link FusedLayout#preactivation} (bias, rows of W, rows of U), H being the first N entries of each state row;
     * then σ on the three gate blocks and φ on the candidate block of each row.
     */
    private static void gatesBatch(CellSpec spec, Ops ops, double[] p, int batch, double[] s, double[] x,
                                   double[] z) {
        int n = spec.hidden();
        int m = spec.inputs();
        int gn = 4 * n;
        int bias = FusedLayout.biasOffset(spec, 4);
        for (int b = 0; b < batch; b++) {
            System.arraycopy(p, bias, z, b * gn, gn);
        }
        ops.gemm(false, false, batch, gn, n, s, 0, 2 * n, p, 0, gn, z, 0, gn, true);
        ops.gemm(false, false, batch, gn, m, x, 0, m, p, n * gn, gn, z, 0, gn, true);
        Activation act = spec.activation();
        for (int b = 0; b < batch; b++) {
            ops.sigmoid(z, b * gn, z, b * gn, 3 * n);
            ops.activate(act, z, b * gn + 3 * n, z, b * gn + 3 * n, n);
        }
    }

    /** The boundary checks shared by the two batched methods; the outputs are checked by each. */
    private void requireBatch(CellSpec spec, Ops ops, double[] p, int batch, double[] s, double[] x,
                              double[] scratch) {
        java.util.Objects.requireNonNull(ops, "ops");
        requireBatchSize(spec, batch);
        CellArgs.requireLength(this, spec, p, parameterCount(spec), "p (parameters)");
        CellArgs.requireLength(this, spec, s, Math.multiplyExact(batch, 2 * spec.hidden()), "s (batch × S)");
        CellArgs.requireLength(this, spec, x, Math.multiplyExact(batch, spec.inputs()), "x (batch × M)");
        CellArgs.requireLength(this, spec, scratch, batchScratchSize(spec, batch), "scratch");
    }

    private static void requireBatchSize(CellSpec spec, int batch) {
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be >= 0, got " + batch + " (lstm cell with M="
                    + spec.inputs() + ", N=" + spec.hidden() + ")");
        }
    }

    /**
     * Writes the columns of ∂s'/∂v for {@code cols} variables v whose weight rows start at {@code rowOff} in p (h: the
     * rows of W; x: the rows of U) into columns {@code colOff..colOff+cols} of a 2N-row matrix with leading dimension
     * {@code ld}: {@code ∂c'_i/∂v = A_i V[i] + F_i V[N + i] + C_i V[3N + i]} and
     * {@code ∂h'_i/∂v = O_i V[2N + i] + P_i ∂c'_i/∂v}. Two units i at a time (their ten coefficients stay in
     * registers): each step along v reads two adjacent weights of each gate and appends to four rows of jac that run
     * along memory, instead of a strided write per entry.
     */
    private static void fillHiddenColumns(int n, int cols, double[] p, int rowOff, double[] jac, int ld, int colOff,
                                          double[] scratch) {
        int gn = 4 * n;
        int a = 5 * n;
        int f = 6 * n;
        int c = 7 * n;
        int o = 8 * n;
        int pp = 9 * n;
        int n2 = n - n % 2;
        for (int i = 0; i < n2; i += 2) {
            double a0 = scratch[a + i];
            double a1 = scratch[a + i + 1];
            double f0 = scratch[f + i];
            double f1 = scratch[f + i + 1];
            double c0 = scratch[c + i];
            double c1 = scratch[c + i + 1];
            double o0 = scratch[o + i];
            double o1 = scratch[o + i + 1];
            double p0 = scratch[pp + i];
            double p1 = scratch[pp + i + 1];
            int h0 = i * ld + colOff;
            int h1 = h0 + ld;
            int m0 = (n + i) * ld + colOff;
            int m1 = m0 + ld;
            for (int k = 0; k < cols; k++) {
                int w = rowOff + k * gn + i;
                double d0 = a0 * p[w] + f0 * p[w + n] + c0 * p[w + 3 * n];
                double d1 = a1 * p[w + 1] + f1 * p[w + n + 1] + c1 * p[w + 3 * n + 1];
                jac[m0 + k] = d0;
                jac[m1 + k] = d1;
                jac[h0 + k] = o0 * p[w + 2 * n] + p0 * d0;
                jac[h1 + k] = o1 * p[w + 2 * n + 1] + p1 * d1;
            }
        }
        for (int i = n2; i < n; i++) {
            for (int k = 0; k < cols; k++) {
                int w = rowOff + k * gn;
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
