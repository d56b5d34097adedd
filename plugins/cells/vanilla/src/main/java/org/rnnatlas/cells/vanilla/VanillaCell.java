package org.rnnatlas.cells.vanilla;

import java.util.List;

import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellKernel;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.ParamBlock;

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
public final class VanillaCell implements Cell {

    /** The registered name. */
    public static final String NAME = "vanilla";

    /** Service-loader constructor; does no work. */
    public VanillaCell() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Vanilla (Elman) RNN: h' = phi(hW + xU + b)";
    }

    @Override
    public int gates() {
        return 1;
    }

    @Override
    public List<ParamBlock> parameters(CellSpec spec) {
        int n = spec.hidden();
        int m = spec.inputs();
        return List.of(
                ParamBlock.weight("W", n, n, ParamBlock.Role.RECURRENT_WEIGHT, n),
                ParamBlock.weight("U", m, n, ParamBlock.Role.INPUT_WEIGHT, m),
                ParamBlock.bias("b", n));
    }

    @Override
    public int parameterCount(CellSpec spec) {
        int n = spec.hidden();
        return (n + spec.inputs() + 1) * n;
    }

    /** The derivative φ'(z) per unit (N). */
    @Override
    public int scratchSize(CellSpec spec) {
        return spec.hidden();
    }

    @Override
    public void step(CellSpec spec, double[] p, double[] s, double[] x, double[] sNext, double[] scratch) {
        check(spec, p, s, x, scratch);
        requireLength(sNext, spec.hidden(), "sNext", spec);
        preactivation(spec, p, s, x, sNext);
        Activation act = spec.activation();
        for (int j = 0; j < spec.hidden(); j++) {
            sNext[j] = act.apply(sNext[j]);
        }
    }

    @Override
    public void stepBackward(CellSpec spec, double[] p, double[] s, double[] x, double[] g,
                             double[] gS, double[] gX, double[] gP, double[] scratch) {
        check(spec, p, s, x, scratch);
        int n = spec.hidden();
        int m = spec.inputs();
        requireLength(g, n, "g", spec);
        // dz = g ⊙ φ'(z), computed into scratch before any output is written, so g may alias gS
        derivative(spec, p, s, x, scratch);
        for (int j = 0; j < n; j++) {
            scratch[j] *= g[j];
        }
        double[] dz = scratch;
        int uOff = n * n;
        if (gS != null) {
            requireLength(gS, n, "gS", spec);
            for (int k = 0; k < n; k++) {
                gS[k] = dot(p, k * n, dz, n);
            }
        }
        if (gX != null) {
            requireLength(gX, m, "gX", spec);
            for (int q = 0; q < m; q++) {
                gX[q] = dot(p, uOff + q * n, dz, n);
            }
        }
        if (gP != null) {
            requireLength(gP, parameterCount(spec), "gP", spec);
            for (int k = 0; k < n; k++) {
                addToRow(s[k], dz, gP, k * n, n);
            }
            for (int q = 0; q < m; q++) {
                addToRow(x[q], dz, gP, uOff + q * n, n);
            }
            addToRow(1.0, dz, gP, uOff + m * n, n);
        }
    }

    @Override
    public void stateJacobian(CellSpec spec, double[] p, double[] s, double[] x, double[] jac, double[] scratch) {
        check(spec, p, s, x, scratch);
        int n = spec.hidden();
        requireLength(jac, n * n, "jac", spec);
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
        check(spec, p, s, x, scratch);
        int n = spec.hidden();
        int m = spec.inputs();
        requireLength(jac, n * m, "jac", spec);
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
        return new VanillaKernel(ops, spec, parameterCount(spec), batch, maxSteps);
    }

    /** out = h·W + x·U + b (N entries). */
    private static void preactivation(CellSpec spec, double[] p, double[] h, double[] x, double[] out) {
        int n = spec.hidden();
        int m = spec.inputs();
        System.arraycopy(p, (n + m) * n, out, 0, n);
        // row-major [W; U]: accumulate whole rows so the inner loop runs along memory
        for (int k = 0; k < n; k++) {
            addRow(h[k], p, k * n, out, n);
        }
        for (int q = 0; q < m; q++) {
            addRow(x[q], p, (n + q) * n, out, n);
        }
    }

    /** scratch[0..N) = φ'(z) at (s, x). */
    private static void derivative(CellSpec spec, double[] p, double[] s, double[] x, double[] scratch) {
        preactivation(spec, p, s, x, scratch);
        Activation act = spec.activation();
        for (int j = 0; j < spec.hidden(); j++) {
            scratch[j] = act.derivativeFromOutput(act.apply(scratch[j]));
        }
    }

    /** dst[0..n) += a · src[srcOff..srcOff+n). */
    private static void addRow(double a, double[] src, int srcOff, double[] dst, int n) {
        if (a == 0.0) {
            return;
        }
        for (int j = 0; j < n; j++) {
            dst[j] += a * src[srcOff + j];
        }
    }

    /** dst[dstOff..dstOff+n) += a · src[0..n). */
    private static void addToRow(double a, double[] src, double[] dst, int dstOff, int n) {
        if (a == 0.0) {
            return;
        }
        for (int j = 0; j < n; j++) {
            dst[dstOff + j] += a * src[j];
        }
    }

    private static double dot(double[] a, int aOff, double[] b, int n) {
        double acc = 0.0;
        for (int j = 0; j < n; j++) {
            acc += a[aOff + j] * b[j];
        }
        return acc;
    }

    private void check(CellSpec spec, double[] p, double[] s, double[] x, double[] scratch) {
        requireLength(p, parameterCount(spec), "p (parameters)", spec);
        requireLength(s, spec.hidden(), "s (state)", spec);
        requireLength(x, spec.inputs(), "x (input)", spec);
        requireLength(scratch, scratchSize(spec), "scratch", spec);
    }

    private static void requireLength(double[] a, int needed, String what, CellSpec spec) {
        if (a == null || a.length < needed) {
            throw new IllegalArgumentException(what + " has " + (a == null ? "no array" : a.length + " entries")
                    + "; the vanilla cell with M=" + spec.inputs() + ", N=" + spec.hidden() + " needs at least "
                    + needed);
        }
    }
}
