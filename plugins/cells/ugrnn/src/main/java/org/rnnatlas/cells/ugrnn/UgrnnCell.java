package org.rnnatlas.cells.ugrnn;

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
 * The update-gate RNN (UGRNN) of SPEC §1:
 *
 * <pre>
 *   g  = σ(h·W_g + x·U_g + b_g)     update gate
 *   c  = φ(h·W_c + x·U_c + b_c)     candidate
 *   h' = g ⊙ h + (1 − g) ⊙ c
 * </pre>
 *
 * in the row-vector convention (SPEC's {@code W_g} is the transpose of the column block {@code W[:, 0:N]}).
 *
 * <p><b>Parameters</b>, in storage order: {@code W} (N×2N, fan-in N), {@code U} (M×2N, fan-in M), {@code b} (2N); the
 * column blocks are {@code [g, c]}, each N wide. Initialisation is SPEC §1's with the gate bias b_g at +1 and b_c at
 * 0. {@code z = [h, x]·[W; U] + b} is one product.
 *
 * <p><b>Derivatives</b> (upstream gradient γ, φ' written through c): {@code ∂z_g = γ(h − c)g(1 − g)},
 * {@code ∂z_c = γ(1 − g)φ'}, {@code gS = γ⊙g + ∂z·Wᵀ}; the state Jacobian is
 * {@code J[i][k] = δ_ik g_i + a_i W_g[k][i] + e_i W_c[k][i]} with {@code a = (h − c)g(1 − g)},
 * {@code e = (1 − g)φ'}, and the input Jacobian {@code a_i U_g[j][i] + e_i U_c[j][i]}.
 *
 * <p><b>Batches</b> (double precision, B rows of states S and inputs X): {@link #stepBatch} forms
 * {@code Z = 1·b + S·W + X·U} (B×2N) in two {@link Ops#gemm} products, applies σ and φ to its column blocks and
 * mixes; {@link #stepBackwardBatch} recomputes the gates, overwrites Z with {@code ∂Z = [∂z_g, ∂z_c]} row by row and
 * returns {@code G_S = G ⊙ g + ∂Z·Wᵀ}, one accumulating product. The scratch holds Z (B×2N); nothing is allocated.
 */
public final class UgrnnCell extends FusedCell {

    /** The registered name. */
    public static final String NAME = "ugrnn";

    /** Service-loader constructor; does no work beyond naming the cell. */
    public UgrnnCell() {
        super(NAME, "Update-gate RNN: h' = g*h + (1-g)*phi(hW_c + xU_c + b_c)", 2);
    }

    /** Gate values g, c (2N) and ∂z (2N); the Jacobians keep a, e in the ∂z area. */
    @Override
    public int scratchSize(CellSpec spec) {
        return 4 * spec.hidden();
    }

    @Override
    public void initialize(CellSpec spec, RandomGenerator rng, double[] params) {
        Cell.initializeDefault(parameters(spec), rng, params);
        int bias = FusedLayout.biasOffset(spec, 2);
        // the update-gate bias b_g starts at +1 (SPEC §1): the first N bias entries
        java.util.Arrays.fill(params, bias, bias + spec.hidden(), 1.0);
    }

    @Override
    public void step(CellSpec spec, double[] p, double[] s, double[] x, double[] sNext, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        CellArgs.requireLength(this, spec, sNext, n, "sNext");
        forward(spec, p, s, x, scratch);
        for (int i = 0; i < n; i++) {
            double g = scratch[i];
            sNext[i] = g * s[i] + (1.0 - g) * scratch[n + i];
        }
    }

    @Override
    public void stepBackward(CellSpec spec, double[] p, double[] s, double[] x, double[] g,
                             double[] gS, double[] gX, double[] gP, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        int gn = 2 * n;
        CellArgs.requireLength(this, spec, g, n, "g");
        CellArgs.requireBackwardOutputs(this, spec, gS, gX, gP);
        forward(spec, p, s, x, scratch);
        Activation act = spec.activation();
        int dz = 2 * n;
        for (int i = 0; i < n; i++) {
            double gate = scratch[i];
            double c = scratch[n + i];
            scratch[dz + i] = g[i] * (s[i] - c) * gate * (1.0 - gate);
            scratch[dz + n + i] = g[i] * (1.0 - gate) * act.derivativeFromOutput(c);
        }
        if (gS != null) {
            // reads g[k] before writing gS[k] only: g may alias gS
            for (int k = 0; k < n; k++) {
                gS[k] = g[k] * scratch[k] + FusedLayout.dot(p, k * gn, scratch, dz, gn);
            }
        }
        if (gX != null) {
            FusedLayout.inputGradient(spec, 2, p, scratch, dz, gX);
        }
        if (gP != null) {
            FusedLayout.addParameterGradient(spec, 2, s, x, scratch, dz, gP);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code J[i][k] = δ_ik g_i + a_i W_g[k][i] + e_i W_c[k][i]}: J's row i is column i of W, so it is filled four
     * rows at a time (see {@link #fillColumns}) and the diagonal added last.
     */
    @Override
    public void stateJacobian(CellSpec spec, double[] p, double[] s, double[] x, double[] jac, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        CellArgs.requireLength(this, spec, jac, n * n, "jac");
        coefficients(spec, p, s, x, scratch);
        fillColumns(n, n, p, 0, jac, scratch);
        for (int i = 0; i < n; i++) {
            jac[i * n + i] += scratch[i];
        }
    }

    @Override
    public void inputJacobian(CellSpec spec, double[] p, double[] s, double[] x, double[] jac, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        int m = spec.inputs();
        CellArgs.requireLength(this, spec, jac, n * m, "jac");
        coefficients(spec, p, s, x, scratch);
        fillColumns(n, m, p, n * 2 * n, jac, scratch);
    }

    /** Z = [g, c] per row (B×2N), which the batched state VJP overwrites with ∂Z. */
    @Override
    public int batchScratchSize(CellSpec spec, int batch) {
        requireBatchSize(spec, batch);
        return Math.multiplyExact(batch, 2 * spec.hidden());
    }

    /** {@inheritDoc} sNext must alias neither s nor x. */
    @Override
    public void stepBatch(CellSpec spec, Ops ops, double[] p, int batch, double[] s, double[] x, double[] sNext,
                          double[] scratch) {
        requireBatch(spec, ops, p, batch, s, x, scratch);
        int n = spec.hidden();
        int gn = 2 * n;
        CellArgs.requireLength(this, spec, sNext, batch * n, "sNext (batch × S)");
        if (batch == 0) {
            return; // an empty batch: no product to run
        }
        gatesBatch(spec, ops, p, batch, s, x, scratch);
        for (int b = 0; b < batch; b++) {
            int z = b * gn;
            int h = b * n;
            for (int i = 0; i < n; i++) {
                double g = scratch[z + i];
                sNext[h + i] = g * s[h + i] + (1.0 - g) * scratch[z + n + i];
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
        int gn = 2 * n;
        CellArgs.requireLength(this, spec, g, batch * n, "g (batch × S)");
        CellArgs.requireLength(this, spec, gS, batch * n, "gS (batch × S)");
        if (batch == 0) {
            return; // an empty batch: no product to run
        }
        gatesBatch(spec, ops, p, batch, s, x, scratch);
        Activation act = spec.activation();
        for (int b = 0; b < batch; b++) {
            int z = b * gn;
            int h = b * n;
            for (int i = 0; i < n; i++) {
                double gate = scratch[z + i];
                double c = scratch[z + n + i];
                double up = g[h + i];
                // ∂Z overwrites the gate values it was computed from; the direct path γ⊙g starts gS
                scratch[z + i] = up * (s[h + i] - c) * gate * (1.0 - gate);
                scratch[z + n + i] = up * (1.0 - gate) * act.derivativeFromOutput(c);
                gS[h + i] = up * gate;
            }
        }
        // gS[b][k] += Σ_j ∂Z[b][j]·W[k][j]: an NT product against W, accumulated onto the direct path
        ops.gemm(false, true, batch, n, gn, scratch, 0, gn, p, 0, gn, gS, 0, n, true);
    }

    @Override
    public CellKernel kernel(Ops ops, CellSpec spec, int batch, int maxSteps) {
        return new UgrnnKernel(ops, spec, batch, maxSteps);
    }

    /** scratch[0..2N) = g, c at (s, x). */
    private static void forward(CellSpec spec, double[] p, double[] s, double[] x, double[] scratch) {
        int n = spec.hidden();
        int gn = 2 * n;
        FusedLayout.preactivation(spec, 2, p, s, x, scratch, 0);
        for (int i = 0; i < n; i++) {
            scratch[i] = Activation.sigmoid(scratch[i]);
        }
        Activation act = spec.activation();
        for (int i = n; i < gn; i++) {
            scratch[i] = act.apply(scratch[i]);
        }
    }

    /**
     * {@code z = [g, c]} for a batch (B×2N): {@code 1·b + S·W + X·U} in the order of
     * {@link FusedLayout#preactivation} (bias, rows of W, rows of U), then σ on the gate block and φ on the candidate
     * block of each row.
     */
    private static void gatesBatch(CellSpec spec, Ops ops, double[] p, int batch, double[] s, double[] x,
                                   double[] z) {
        int n = spec.hidden();
        int m = spec.inputs();
        int gn = 2 * n;
        int bias = FusedLayout.biasOffset(spec, 2);
        for (int b = 0; b < batch; b++) {
            System.arraycopy(p, bias, z, b * gn, gn);
        }
        ops.gemm(false, false, batch, gn, n, s, 0, n, p, 0, gn, z, 0, gn, true);
        ops.gemm(false, false, batch, gn, m, x, 0, m, p, n * gn, gn, z, 0, gn, true);
        Activation act = spec.activation();
        for (int b = 0; b < batch; b++) {
            ops.sigmoid(z, b * gn, z, b * gn, n);
            ops.activate(act, z, b * gn + n, z, b * gn + n, n);
        }
    }

    /** The boundary checks shared by the two batched methods; the outputs are checked by each. */
    private void requireBatch(CellSpec spec, Ops ops, double[] p, int batch, double[] s, double[] x,
                              double[] scratch) {
        java.util.Objects.requireNonNull(ops, "ops");
        requireBatchSize(spec, batch);
        CellArgs.requireLength(this, spec, p, parameterCount(spec), "p (parameters)");
        CellArgs.requireLength(this, spec, s, Math.multiplyExact(batch, spec.hidden()), "s (batch × S)");
        CellArgs.requireLength(this, spec, x, Math.multiplyExact(batch, spec.inputs()), "x (batch × M)");
        CellArgs.requireLength(this, spec, scratch, batchScratchSize(spec, batch), "scratch");
    }

    private static void requireBatchSize(CellSpec spec, int batch) {
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be >= 0, got " + batch + " (ugrnn cell with M="
                    + spec.inputs() + ", N=" + spec.hidden() + ")");
        }
    }

    /**
     * {@code jac[i][k] = a_i·V[k][i] + e_i·V[k][N + i]} for the N×cols matrix jac (row-major, leading dimension
     * cols) and the {@code cols} rows V of [W; U] starting at {@code rowOff} (h: W; x: U); needs {@link #coefficients}.
     * Four rows of jac at a time: each step along k reads four adjacent weights of each gate row and writes four rows
     * that run along memory, instead of one strided write per weight.
     */
    private static void fillColumns(int n, int cols, double[] p, int rowOff, double[] jac, double[] scratch) {
        int gn = 2 * n;
        int a = 2 * n;
        int e = 3 * n;
        int n4 = n - n % 4;
        for (int i = 0; i < n4; i += 4) {
            double a0 = scratch[a + i];
            double a1 = scratch[a + i + 1];
            double a2 = scratch[a + i + 2];
            double a3 = scratch[a + i + 3];
            double e0 = scratch[e + i];
            double e1 = scratch[e + i + 1];
            double e2 = scratch[e + i + 2];
            double e3 = scratch[e + i + 3];
            int o0 = i * cols;
            int o1 = o0 + cols;
            int o2 = o1 + cols;
            int o3 = o2 + cols;
            for (int k = 0; k < cols; k++) {
                int w = rowOff + k * gn + i;
                jac[o0 + k] = a0 * p[w] + e0 * p[w + n];
                jac[o1 + k] = a1 * p[w + 1] + e1 * p[w + n + 1];
                jac[o2 + k] = a2 * p[w + 2] + e2 * p[w + n + 2];
                jac[o3 + k] = a3 * p[w + 3] + e3 * p[w + n + 3];
            }
        }
        for (int i = n4; i < n; i++) {
            double ai = scratch[a + i];
            double ei = scratch[e + i];
            for (int k = 0; k < cols; k++) {
                int w = rowOff + k * gn + i;
                jac[i * cols + k] = ai * p[w] + ei * p[w + n];
            }
        }
    }

    /** The forward values plus the Jacobian coefficients a (at 2N) and e (at 3N). */
    private static void coefficients(CellSpec spec, double[] p, double[] s, double[] x, double[] scratch) {
        forward(spec, p, s, x, scratch);
        int n = spec.hidden();
        Activation act = spec.activation();
        for (int i = 0; i < n; i++) {
            double g = scratch[i];
            double c = scratch[n + i];
            scratch[2 * n + i] = (s[i] - c) * g * (1.0 - g);
            scratch[3 * n + i] = (1.0 - g) * act.derivativeFromOutput(c);
        }
    }
}
