package org.rnnatlas.metrics.support;

import java.util.Objects;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.Representation;

/**
 * The dense double-precision steps of preparation, as products on core's {@link Ops} kernels: the centred data in
 * both layouts, the Gram matrix XᵀX, the projection WᵀXᵀ and Gram–Schmidt over rows. Plain Java: the SIMD lives in
 * core's kernels ({@link org.rnnatlas.spi.SimilarityMetric#prepare(Ops, Representation)} hands them over), so no
 * plugin imports {@code jdk.incubator.vector}.
 *
 * <p><b>Without Ops.</b> Every method accepts {@code ops == null} and then runs plain loops with the same loop order
 * as the scalar reference kernel; that is the path of the Ops-free {@code prepare(Representation)}, which the SPI
 * keeps for single networks and tests. Both paths agree to rounding of doubles (≈1e-16 relative per product).
 *
 * <p><b>Why double.</b> The eigenvalues of XᵀX are s², so the Gram matrix squares the condition number; doubles keep
 * the retained subspace and the threshold decision as exact as a direct SVD would (the metric tests check it).
 */
public final class Dense {

    private Dense() {
    }

    /**
     * A representation with every unit's mean subtracted, in both layouts: {@code x} (samples × units, row-major) and
     * its transpose {@code xt} (units × samples, row-major), so that every product below is a plain NN gemm whose
     * inner loop runs along contiguous rows.
     */
    public record Centred(int samples, int units, double[] x, double[] xt) {
        public Centred {
            if (x.length != samples * units || xt.length != samples * units) {
                throw new IllegalArgumentException("centred data has " + x.length + " and " + xt.length
                        + " entries, expected " + samples + "x" + units);
            }
        }

        /** Σ_{i,p} x[i][p]² = tr XᵀX, accumulated in double; the total variance times the samples. */
        public double sumOfSquares(Ops ops) {
            return dot(ops, x, 0, x, 0, x.length);
        }

        /**
         * G = XᵀX (units × units, row-major) as the product Xᵀ·X of the two layouts; exactly symmetric (the upper
         * triangle is mirrored, so a kernel's blocking cannot leave rounding-level asymmetry for the eigensolver).
         */
        public double[] gram(Ops ops) {
            int n = units;
            double[] g = new double[n * n];
            // the upper triangle only, in bands of GRAM_BAND rows: band [p0, p1) × columns [p0, n) is one NN gemm
            // (B and C read from column p0 with leading dimension n), about (1/2 + GRAM_BAND/2n) of the full product
            for (int p0 = 0; p0 < n; p0 += GRAM_BAND) {
                int rows = Math.min(GRAM_BAND, n - p0);
                gemm(ops, rows, n - p0, samples, xt, p0 * samples, x, p0, n, g, p0 * n + p0, n);
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    g[q * n + p] = g[p * n + q];
                }
            }
            return g;
        }

        /**
         * Bᵀ = Wᵀ·Xᵀ ({@code k × samples}, row-major) for W ({@code units × k}, row-major): the data projected on
         * W's columns, each projection a contiguous row.
         */
        public double[] project(Ops ops, double[] w, int k) {
            int n = units;
            if (w.length < n * k) {
                throw new IllegalArgumentException("W has " + w.length + " entries, expected " + n + "x" + k);
            }
            double[] wt = new double[k * n];
            for (int p = 0; p < n; p++) {
                for (int j = 0; j < k; j++) {
                    wt[j * n + p] = w[p * k + j];
                }
            }
            double[] out = new double[k * samples];
            gemm(ops, k, samples, n, wt, xt, out);
            return out;
        }
    }

    /** The centred representation in both layouts; see {@link Centred}. */
    public static Centred centre(Representation r) {
        Objects.requireNonNull(r, "representation");
        int s = r.samples();
        int n = r.units();
        double[] x = Spectra.centred(r);
        double[] xt = new double[s * n];
        // blocks of 64 samples, so both the read rows and the written columns stay in L1
        for (int i0 = 0; i0 < s; i0 += 64) {
            int i1 = Math.min(s, i0 + 64);
            for (int p = 0; p < n; p++) {
                int out = p * s;
                for (int i = i0; i < i1; i++) {
                    xt[out + i] = x[i * n + p];
                }
            }
        }
        return new Centred(s, n, x, xt);
    }

    /** Σ a[aOff + t]·b[bOff + t] over t &lt; len, in double: {@link Ops#dot} or, without ops, a plain loop. */
    public static double dot(Ops ops, double[] a, int aOff, double[] b, int bOff, int len) {
        if (ops != null) {
            return ops.dot(a, aOff, b, bOff, len);
        }
        double sum = 0.0;
        for (int t = 0; t < len; t++) {
            sum += a[aOff + t] * b[bOff + t];
        }
        return sum;
    }

    /**
     * Modified Gram–Schmidt over the first k rows (width s) of {@code qt}: orthonormal rows with the same span. The
     * projections are {@link Ops#dot} products along contiguous rows.
     */
    public static void orthonormaliseRows(Ops ops, double[] qt, int k, int s) {
        for (int j = 0; j < k; j++) {
            int rj = j * s;
            for (int prev = 0; prev < j; prev++) {
                int rp = prev * s;
                double d = dot(ops, qt, rj, qt, rp, s);
                for (int i = 0; i < s; i++) {
                    qt[rj + i] -= d * qt[rp + i];
                }
            }
            double inv = 1.0 / Math.sqrt(dot(ops, qt, rj, qt, rj, s));
            for (int i = 0; i < s; i++) {
                qt[rj + i] *= inv;
            }
        }
    }

    /** The first k rows (width s) of {@code qt}, transposed to a row-major s × k float matrix. */
    public static float[] transposeToFloat(double[] qt, int k, int s) {
        float[] q = new float[s * k];
        for (int j = 0; j < k; j++) {
            int row = j * s;
            for (int i = 0; i < s; i++) {
                q[i * k + j] = (float) qt[row + i];
            }
        }
        return q;
    }

    /** The first k rows (width s) of {@code qt} as floats, same layout. */
    public static float[] rowsToFloat(double[] qt, int k, int s) {
        float[] q = new float[k * s];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) qt[i];
        }
        return q;
    }

    /** Rows per band of the Gram matrix's upper triangle (see {@link Centred#gram}). */
    static final int GRAM_BAND = 32;

    /** C = A·B (m × n) for dense row-major A (m × k) and B (k × n): the Ops NN gemm or plain loops. */
    static void gemm(Ops ops, int m, int n, int k, double[] a, double[] b, double[] c) {
        gemm(ops, m, n, k, a, 0, b, 0, n, c, 0, n);
    }

    /**
     * C = A·B for A (m × k, row-major, dense, from {@code aOff}), B (k × n from {@code bOff}, leading dimension
     * {@code ldb}) and C (m × n from {@code cOff}, leading dimension {@code ldc}): the Ops NN gemm or plain loops.
     */
    static void gemm(Ops ops, int m, int n, int k, double[] a, int aOff, double[] b, int bOff, int ldb,
                     double[] c, int cOff, int ldc) {
        if (ops != null) {
            ops.gemm(false, false, m, n, k, a, aOff, k, b, bOff, ldb, c, cOff, ldc, false);
            return;
        }
        // i, p, j: the inner loop runs along a row of B and a row of C (the scalar kernel's order)
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[ci + j] = 0.0;
            }
            for (int p = 0; p < k; p++) {
                double aip = a[aOff + i * k + p];
                int bp = bOff + p * ldb;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aip * b[bp + j];
                }
            }
        }
    }
}
