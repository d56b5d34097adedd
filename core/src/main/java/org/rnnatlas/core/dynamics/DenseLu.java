package org.rnnatlas.core.dynamics;

import org.rnnatlas.spi.Ops;

/**
 * LU factorisation with partial pivoting of a dense row-major n×n matrix, in place: {@code P A = L U} with L unit
 * lower triangular (below the diagonal) and U upper triangular (on and above it); {@code perm[i]} is the original
 * row now at row i. Used by {@link FixedPointFinder}'s Newton steps on {@code J − I}.
 *
 * <p>Up to {@link #BLOCK_FROM} rows the factorisation is the plain right-looking elimination, whose inner loop is a
 * row update the JIT vectorises. Above it (the LSTM's 2N states at N = 128) the matrix no longer fits in L2 cache,
 * so columns are factored in panels of {@link #PANEL} and the trailing block is updated with one
 * {@link Ops#gemm} per panel: {@code A₂₂ −= L₂₁ U₁₂}. Both orders do the same arithmetic up to the order of the
 * additions, so they agree to rounding.
 *
 * <p>Static methods; callers pass the work arrays (nothing is allocated).
 */
final class DenseLu {

    /** Matrices of at least this many rows are factored in panels. */
    static final int BLOCK_FROM = 160;
    /** Panel width of the blocked factorisation. */
    static final int PANEL = 32;
    /** A pivot smaller than this times the largest pivot marks the matrix as (nearly) singular. */
    static final double PIVOT_RATIO = 1e-12;

    private DenseLu() {
    }

    /** Size of the {@code work} array {@link #factor} needs for an n×n matrix. */
    static int workSize(int n) {
        return n >= BLOCK_FROM ? PANEL * n : 0;
    }

    /**
     * Factors {@code a} in place. Returns false when a pivot is zero or not finite, or the smallest pivot is below
     * {@link #PIVOT_RATIO} times the largest (the factors are then not to be trusted for a solve).
     *
     * @param work at least {@link #workSize} entries (may be null below {@link #BLOCK_FROM})
     */
    static boolean factor(double[] a, int[] perm, int n, Ops ops, double[] work) {
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        if (n < BLOCK_FROM) {
            return panel(a, perm, n, 0, n);
        }
        for (int k0 = 0; k0 < n; k0 += PANEL) {
            int kb = Math.min(PANEL, n - k0);
            int end = k0 + kb;
            if (!panel(a, perm, n, k0, end)) {
                return false;
            }
            int rest = n - end;
            if (rest == 0) {
                break;
            }
            // U₁₂ = L₁₁⁻¹ A₁₂ (unit lower triangular forward substitution, row by row)
            for (int i = k0 + 1; i < end; i++) {
                int ri = i * n;
                for (int p = k0; p < i; p++) {
                    double l = a[ri + p];
                    if (l != 0) {
                        int rp = p * n;
                        for (int j = end; j < n; j++) {
                            a[ri + j] -= l * a[rp + j];
                        }
                    }
                }
            }
            // A₂₂ += L₂₁ (−U₁₂): gemm only adds, so the panel of U goes in negated
            for (int i = 0; i < kb; i++) {
                int src = (k0 + i) * n + end;
                int dst = i * rest;
                for (int j = 0; j < rest; j++) {
                    work[dst + j] = -a[src + j];
                }
            }
            ops.gemm(false, false, rest, rest, kb, a, end * n + k0, n, work, 0, rest, a, end * n + end, n, true);
        }
        return pivotsOk(a, n);
    }

    /**
     * Eliminates columns {@code c0..c1} over rows {@code c0..n}, swapping whole rows; the row updates reach column
     * {@code c1} only (the unblocked case passes {@code c1 = n}, so they reach the whole row).
     */
    private static boolean panel(double[] a, int[] perm, int n, int c0, int c1) {
        for (int col = c0; col < c1; col++) {
            int p = col;
            double best = Math.abs(a[col * n + col]);
            for (int r = col + 1; r < n; r++) {
                double v = Math.abs(a[r * n + col]);
                if (v > best) {
                    best = v;
                    p = r;
                }
            }
            if (p != col) {
                int rc = col * n;
                int rp = p * n;
                for (int j = 0; j < n; j++) {
                    double t = a[rc + j];
                    a[rc + j] = a[rp + j];
                    a[rp + j] = t;
                }
                int t = perm[col];
                perm[col] = perm[p];
                perm[p] = t;
            }
            double pivot = a[col * n + col];
            if (pivot == 0 || !Double.isFinite(pivot)) {
                return false;
            }
            int rc = col * n;
            for (int r = col + 1; r < n; r++) {
                int rr = r * n;
                double f = a[rr + col] / pivot;
                a[rr + col] = f;
                if (f != 0) {
                    for (int j = col + 1; j < c1; j++) {
                        a[rr + j] -= f * a[rc + j];
                    }
                }
            }
        }
        return c1 < n || pivotsOk(a, n);
    }

    private static boolean pivotsOk(double[] a, int n) {
        double max = 0;
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double v = Math.abs(a[i * n + i]);
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        return min > PIVOT_RATIO * max;
    }

    /** Solves {@code A x = b} with the factors of {@link #factor}; {@code out} must not alias {@code b}. */
    static void solve(double[] lu, int[] perm, int n, double[] b, double[] out) {
        for (int i = 0; i < n; i++) {
            double v = b[perm[i]];
            int ri = i * n;
            for (int j = 0; j < i; j++) {
                v -= lu[ri + j] * out[j];
            }
            out[i] = v;
        }
        for (int i = n - 1; i >= 0; i--) {
            double v = out[i];
            int ri = i * n;
            for (int j = i + 1; j < n; j++) {
                v -= lu[ri + j] * out[j];
            }
            out[i] = v / lu[ri + i];
        }
    }
}
