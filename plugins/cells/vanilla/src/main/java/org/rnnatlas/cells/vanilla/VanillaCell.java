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

    @Override
    public void stateJacobian(CellSpec spec, double[] p, double[] s, double[] x, double[] jac, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        CellArgs.requireLength(this, spec, jac, n * n, "jac");
        derivative(spec, p, s, x, scratch);
        for (int i = 0; i < n; i++) {
            double d = scratch[i];
            for (int k = 0; k < n; k++) {
                jac[i * n + k] = d * p[k * n + i];
            }
        }
    }

    @Override
    public void inputJacobian(CellSpec spec, double[] p, double[] s, double[] x, double[] jac, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        int m = spec.inputs();
        CellArgs.requireLength(this, spec, jac, n * m, "jac");
        derivative(spec, p, s, x, scratch);
        int uOff = n * n;
        for (int i = 0; i < n; i++) {
            double d = scratch[i];
            for (int q = 0; q < m; q++) {
                jac[i * m + q] = d * p[uOff + q * n + i];
            }
        }
    }

    @Override
    public CellKernel kernel(Ops ops, CellSpec spec, int batch, int maxSteps) {
        return new VanillaKernel(ops, spec, batch, maxSteps);
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
