package org.rnnatlas.spi.support;

import java.util.List;

import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.ParamBlock;

/**
 * The fused parameter layout of a cell with G gate blocks, and its double-precision products.
 *
 * <p>The parameters are three blocks in storage order: {@code W} (N×GN, fan-in N), {@code U} (M×GN, fan-in M) and
 * {@code b} (GN), each row-major. Because W is followed by U, {@code [W; U]} is one (N+M)×GN matrix and the fused
 * pre-activation of all G gates is the row vector
 *
 * <pre>
 *   z = [h, x]·[W; U] + b        (1×GN; entry z[g·N + i] belongs to gate block g, unit i)
 * </pre>
 *
 * which is how {@link FusedCellKernel} computes it, one matrix product per step. Row k &lt; N of {@code [W; U]} starts
 * at {@code k·GN}, row N + j (input j) at {@code (N + j)·GN}, and the bias at {@link #biasOffset} = {@code (N+M)·GN}.
 *
 * <p>The helpers below run along those rows, so the inner loops read memory in order. {@link #addRow} skips a zero
 * coefficient, so a zero input contributes nothing even when the row holds an infinity.
 */
public final class FusedLayout {

    private FusedLayout() {
    }

    /** The blocks {@code W} (N×GN), {@code U} (M×GN) and {@code b} (GN), for {@link org.rnnatlas.spi.Cell#parameters}. */
    public static List<ParamBlock> blocks(CellSpec spec, int gates) {
        int n = spec.hidden();
        int m = spec.inputs();
        int gn = gates * n;
        return List.of(
                ParamBlock.weight("W", n, gn, ParamBlock.Role.RECURRENT_WEIGHT, n),
                ParamBlock.weight("U", m, gn, ParamBlock.Role.INPUT_WEIGHT, m),
                ParamBlock.bias("b", gn));
    }

    /** The parameter count {@code (N + M + 1)·GN}. */
    public static int parameterCount(CellSpec spec, int gates) {
        return (spec.hidden() + spec.inputs() + 1) * gates * spec.hidden();
    }

    /** Where b starts: {@code (N + M)·GN}. */
    public static int biasOffset(CellSpec spec, int gates) {
        return (spec.hidden() + spec.inputs()) * gates * spec.hidden();
    }

    /**
     * {@code z[zOff..zOff+GN) = h·W + x·U + b}, the fused pre-activation of all gates, accumulated row by row of
     * {@code [W; U]}.
     */
    public static void preactivation(CellSpec spec, int gates, double[] p, double[] h, double[] x,
                                     double[] z, int zOff) {
        int n = spec.hidden();
        int m = spec.inputs();
        int gn = gates * n;
        System.arraycopy(p, (n + m) * gn, z, zOff, gn);
        for (int k = 0; k < n; k++) {
            addRow(h[k], p, k * gn, z, zOff, gn);
        }
        for (int j = 0; j < m; j++) {
            addRow(x[j], p, (n + j) * gn, z, zOff, gn);
        }
    }

    /** {@code gX[j] = (∂z·Uᵀ)[j]}: the input gradient given {@code ∂z = dz[dzOff..dzOff+GN)}. */
    public static void inputGradient(CellSpec spec, int gates, double[] p, double[] dz, int dzOff, double[] gX) {
        int n = spec.hidden();
        int gn = gates * n;
        for (int j = 0; j < spec.inputs(); j++) {
            gX[j] = dot(p, (n + j) * gn, dz, dzOff, gn);
        }
    }

    /**
     * {@code gP += [h, x, 1]ᵀ·∂z}: the gradient of all three blocks given {@code ∂z = dz[dzOff..dzOff+GN)}, for a
     * cell whose pre-activation is exactly {@link #preactivation}.
     */
    public static void addParameterGradient(CellSpec spec, int gates, double[] h, double[] x, double[] dz, int dzOff,
                                            double[] gP) {
        int n = spec.hidden();
        int m = spec.inputs();
        int gn = gates * n;
        for (int k = 0; k < n; k++) {
            addRow(h[k], dz, dzOff, gP, k * gn, gn);
        }
        for (int j = 0; j < m; j++) {
            addRow(x[j], dz, dzOff, gP, (n + j) * gn, gn);
        }
        addRow(1.0, dz, dzOff, gP, (n + m) * gn, gn);
    }

    /** {@code dst[dstOff..dstOff+len) += a·src[srcOff..srcOff+len)}; nothing when {@code a == 0}. */
    public static void addRow(double a, double[] src, int srcOff, double[] dst, int dstOff, int len) {
        if (a == 0.0) {
            return;
        }
        for (int j = 0; j < len; j++) {
            dst[dstOff + j] += a * src[srcOff + j];
        }
    }

    /** {@code Σ_j a[aOff + j]·b[bOff + j]} over {@code len} entries, summed in index order. */
    public static double dot(double[] a, int aOff, double[] b, int bOff, int len) {
        double acc = 0.0;
        for (int j = 0; j < len; j++) {
            acc += a[aOff + j] * b[bOff + j];
        }
        return acc;
    }
}
