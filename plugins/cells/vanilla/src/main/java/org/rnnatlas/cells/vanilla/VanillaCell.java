package org.rnnatlas.cells.vanilla;

import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.CellKernel;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.support.CellArgs;
import org.rnnatlas.spi.support.FusedCell;
import org.rnnatlas.spi.support.FusedLayout;

/**
 * The vanilla (Elman) recurrent cell of SPEC §1:
 *
 * <pre>
 *   h' = φ(h·W + x·U + b)
 * </pre>
 *
 * in the row-vector convention: h (1×N) and x (1×M) are rows, W is N×N, U is M×N, b is 1×N, and φ is tanh or relu
 * ({@link CellSpec#activation}). SPEC writes {@code W h} with W its transpose; the values are the same.
 *
 * <p><b>Parameters</b>, in storage order: {@code W} (N×N, fan-in N), {@code U} (M×N, fan-in M), {@code b} (N, starts
 * at 0). Because W is followed by U, {@code [W; U]} is one (N+M)×N row-major matrix and {@code z = [h, x]·[W; U] + b}
 * is a single matrix product: that is how the fast kernel computes it.
 *
 * <p><b>Derivatives.</b> With {@code d = φ'(z) = φ'(h')} ({@code 1 − h'²} for tanh, {@code [h' > 0]} for relu) and
 * upstream gradient g: {@code ∂z = g ⊙ d}, {@code gS = ∂z·Wᵀ}, {@code gX = ∂z·Uᵀ}, {@code ∂W = hᵀ∂z},
 * {@code ∂U = xᵀ∂z}, {@code ∂b = ∂z}; the state Jacobian is {@code J[i][k] = d_i W[k][i]} and the input Jacobian
 * {@code d_i U[m][i]}.
 *
 * <p><b>Batches</b> (double precision, B rows of states S and inputs X): {@link #stepBatch} is
 * {@code S' = φ(1·b + S·W + X·U)}, two {@link Ops#gemm} products; {@link #stepBackwardBatch} recomputes
 * {@code D = φ'(Z)}, forms {@code ∂Z = G ⊙ D} and returns {@code G_S = ∂Z·Wᵀ}, one product. The scratch holds
 * ∂Z (B×N); nothing is allocated.
 */
public final class VanillaCell extends FusedCell {

    /** The registered name. */
    public static final String NAME = "vanilla";

    /** Service-loader constructor; does no work beyond naming the cell. */
    public VanillaCell() {
        super(NAME, "Vanilla (Elman) RNN: h' = phi(hW + xU + b)", 1);
    }

    /** The derivative φ'(z) per unit (N). */
    @Override
    public int scratchSize(CellSpec spec) {
        return spec.hidden();
    }

    @Override
    public void step(CellSpec spec, double[] p, double[] s, double[] x, double[] sNext, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        CellArgs.requireLength(this, spec, sNext, spec.hidden(), "sNext");
        FusedLayout.preactivation(spec, 1, p, s, x, sNext, 0);
        Activation act = spec.activation();
        for (int j = 0; j < spec.hidden(); j++) {
            sNext[j] = act.apply(sNext[j]);
        }
    }

    @Override
    public void stepBackward(CellSpec spec, double[] p, double[] s, double[] x, double[] g,
                             double[] gS, double[] gX, double[] gP, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        CellArgs.requireLength(this, spec, g, n, "g");
        CellArgs.requireBackwardOutputs(this, spec, gS, gX, gP);
        // dz = g ⊙ φ'(z), computed into scratch before any output is written, so g may alias gS
        derivative(spec, p, s, x, scratch);
        for (int j = 0; j < n; j++) {
            scratch[j] *= g[j];
        }
        double[] dz = scratch;
        if (gS != null) {
            for (int k = 0; k < n; k++) {
                gS[k] = FusedLayout.dot(p, k * n, dz, 0, n);
            }
        }
        if (gX != null) {
            FusedLayout.inputGradient(spec, 1, p, dz, 0, gX);
        }
        if (gP != null) {
            FusedLayout.addParameterGradient(spec, 1, s, x, dz, 0, gP);
        }
    }

    /** {@inheritDoc} {@code J[i][k] = φ'_i W[k][i]}, filled four rows at a time (see {@link #fillColumns}). */
    @Override
    public void stateJacobian(CellSpec spec, double[] p, double[] s, double[] x, double[] jac, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        CellArgs.requireLength(this, spec, jac, n * n, "jac");
        derivative(spec, p, s, x, scratch);
        fillColumns(n, n, p, 0, jac, scratch);
    }

    @Override
    public void inputJacobian(CellSpec spec, double[] p, double[] s, double[] x, double[] jac, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        int m = spec.inputs();
        CellArgs.requireLength(this, spec, jac, n * m, "jac");
        derivative(spec, p, s, x, scratch);
        fillColumns(n, m, p, n * n, jac, scratch);
    }

    /** ∂Z of the batched state VJP, B×N; the batched step writes straight into sNext and uses none of it. */
    @Override
    public int batchScratchSize(CellSpec spec, int batch) {
        requireBatchSize(spec, batch);
        return Math.multiplyExact(batch, spec.hidden());
    }

    /**
     * {@inheritDoc} Here {@code S' = φ(1·b + S·W + X·U)}: the pre-activation goes straight into sNext, which must
     * alias neither s nor x.
     */
    @Override
    public void stepBatch(CellSpec spec, Ops ops, double[] p, int batch, double[] s, double[] x, double[] sNext,
                          double[] scratch) {
        requireBatch(spec, ops, p, batch, s, x, scratch);
        int bn = batch * spec.hidden();
        CellArgs.requireLength(this, spec, sNext, bn, "sNext (batch × S)");
        if (batch == 0) {
            return; // an empty batch: no product to run
        }
        preactivationBatch(spec, ops, p, batch, s, x, sNext);
        ops.activate(spec.activation(), sNext, 0, sNext, 0, bn);
    }

    /**
     * {@inheritDoc} Here {@code G_S = (G ⊙ φ'(Z))·Wᵀ}. g is read completely before gS is written, so the two may be
     * the same array.
     */
    @Override
    public void stepBackwardBatch(CellSpec spec, Ops ops, double[] p, int batch, double[] s, double[] x,
                                  double[] g, double[] gS, double[] scratch) {
        requireBatch(spec, ops, p, batch, s, x, scratch);
        int n = spec.hidden();
        int bn = batch * n;
        CellArgs.requireLength(this, spec, g, bn, "g (batch × S)");
        CellArgs.requireLength(this, spec, gS, bn, "gS (batch × S)");
        if (batch == 0) {
            return; // an empty batch: no product to run
        }
        Activation act = spec.activation();
        double[] dz = scratch;
        preactivationBatch(spec, ops, p, batch, s, x, dz);
        ops.activate(act, dz, 0, dz, 0, bn);
        for (int i = 0; i < bn; i++) {
            dz[i] = g[i] * act.derivativeFromOutput(dz[i]);
        }
        // gS[b][k] = Σ_i ∂Z[b][i]·W[k][i]: an NT product against W
        ops.gemm(false, true, batch, n, n, dz, 0, n, p, 0, n, gS, 0, n, false);
    }

    @Override
    public CellKernel kernel(Ops ops, CellSpec spec, int batch, int maxSteps) {
        return new VanillaKernel(ops, spec, batch, maxSteps);
    }

    /**
     * {@code Z = 1·b + S·W + X·U} (B×N) into z, in the order of {@link FusedLayout#preactivation} (bias, then the
     * rows of W, then those of U), so that it agrees with the row-by-row step to rounding.
     */
    private static void preactivationBatch(CellSpec spec, Ops ops, double[] p, int batch, double[] s, double[] x,
                                           double[] z) {
        int n = spec.hidden();
        int m = spec.inputs();
        int bias = FusedLayout.biasOffset(spec, 1);
        for (int b = 0; b < batch; b++) {
            System.arraycopy(p, bias, z, b * n, n);
        }
        ops.gemm(false, false, batch, n, n, s, 0, n, p, 0, n, z, 0, n, true);
        ops.gemm(false, false, batch, n, m, x, 0, m, p, n * n, n, z, 0, n, true);
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
            throw new IllegalArgumentException("batch must be >= 0, got " + batch + " (vanilla cell with M="
                    + spec.inputs() + ", N=" + spec.hidden() + ")");
        }
    }

    /**
     * {@code jac[i][k] = φ'_i·V[k][i]} for the N×cols matrix jac (row-major, leading dimension cols) and the
     * {@code cols} rows V of [W; U] starting at {@code rowOff}; needs {@link #derivative}. Four rows of jac at a time:
     * each step along k reads four adjacent weights and writes four rows that run along memory.
     */
    private static void fillColumns(int n, int cols, double[] p, int rowOff, double[] jac, double[] scratch) {
        int n4 = n - n % 4;
        for (int i = 0; i < n4; i += 4) {
            double d0 = scratch[i];
            double d1 = scratch[i + 1];
            double d2 = scratch[i + 2];
            double d3 = scratch[i + 3];
            int o0 = i * cols;
            int o1 = o0 + cols;
            int o2 = o1 + cols;
            int o3 = o2 + cols;
            for (int k = 0; k < cols; k++) {
                int w = rowOff + k * n + i;
                jac[o0 + k] = d0 * p[w];
                jac[o1 + k] = d1 * p[w + 1];
                jac[o2 + k] = d2 * p[w + 2];
                jac[o3 + k] = d3 * p[w + 3];
            }
        }
        for (int i = n4; i < n; i++) {
            double d = scratch[i];
            for (int k = 0; k < cols; k++) {
                jac[i * cols + k] = d * p[rowOff + k * n + i];
            }
        }
    }

    /** scratch[0..N) = φ'(z) at (s, x). */
    private static void derivative(CellSpec spec, double[] p, double[] s, double[] x, double[] scratch) {
        FusedLayout.preactivation(spec, 1, p, s, x, scratch, 0);
        Activation act = spec.activation();
        for (int j = 0; j < spec.hidden(); j++) {
            scratch[j] = act.derivativeFromOutput(act.apply(scratch[j]));
        }
    }
}
