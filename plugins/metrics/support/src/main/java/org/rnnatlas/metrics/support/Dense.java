package org.rnnatlas.metrics.support;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.rnnatlas.spi.Representation;

/**
 * Double-precision dense kernels of preparation, on the Vector API when the JVM has it (else plain loops with the same
 * arithmetic structure): the centred transpose Xᵀ, the Gram matrix XᵀX as dot products of Xᵀ's contiguous rows, the
 * product WᵀXᵀ (a basis, transposed), and Gram–Schmidt over contiguous rows.
 *
 * <p>Why double and not the float {@code Ops} gemm: {@link org.rnnatlas.spi.SimilarityMetric#prepare} gets no
 * {@code Ops}, and the eigenvalues of XᵀX are s², so the Gram matrix squares the condition number; doubles keep the
 * retained subspace and the threshold decision as exact as the previous scalar path while the 8-lane FMA kernels
 * make the Gram matrix cost a few milliseconds at 6,400 × 256. Every sum runs in double, lane-wise partial sums are
 * added at the end; results agree with the scalar order to rounding of doubles (≈1e-16 relative).
 */
public final class Dense {

    private Dense() {
    }

    /** True when the Vector API is usable in this JVM (module added), probed once. */
    public static final boolean VECTOR = probe();

    private static boolean probe() {
        if (Boolean.getBoolean("rnnatlas.metrics.scalar")) {
            return false;
        }
        try {
            return Simd.SPECIES.length() >= 2;
        } catch (Throwable t) { // NoClassDefFoundError without --add-modules jdk.incubator.vector
            return false;
        }
    }

    /**
     * The centred transpose of a representation: rows {@code 0..units-1} of width {@code samples} hold each unit's
     * values minus its mean; rows up to {@code padRows} (≥ units) are zero. Returns the (padRows × samples) array.
     */
    public static double[] centredTranspose(Representation r, int padRows) {
        int s = r.samples();
        int n = r.units();
        double[] x = r.data();
        double[] mean = new double[n];
        for (int i = 0; i < s; i++) {
            int row = i * n;
            for (int p = 0; p < n; p++) {
                mean[p] += x[row + p];
            }
        }
        for (int p = 0; p < n; p++) {
            mean[p] /= s;
        }
        double[] xt = new double[padRows * s];
        // blocks of 64 samples, so both the read rows and the written columns stay in L1
        for (int i0 = 0; i0 < s; i0 += 64) {
            int i1 = Math.min(s, i0 + 64);
            for (int p = 0; p < n; p++) {
                double m = mean[p];
                int out = p * s;
                for (int i = i0; i < i1; i++) {
                    xt[out + i] = x[i * n + p] - m;
                }
            }
        }
        return xt;
    }

    /**
     * G = Xᵀ·X (n × n, row-major, both triangles) from the centred transpose {@code xt} (rows padded with zeros to a
     * multiple of 4, width s): upper-triangle 4 × 4 blocks of dot products along contiguous rows.
     */
    public static double[] gram(double[] xt, int n, int s) {
        int np = pad4(n);
        double[] gp = new double[np * np];
        for (int p = 0; p < np; p += 4) {
            for (int q = p; q < np; q += 4) {
                if (VECTOR) {
                    Simd.dot4x4(xt, p * s, xt, q * s, s, gp, p * np + q, np);
                } else {
                    dot4x4(xt, p * s, xt, q * s, s, gp, p * np + q, np);
                }
            }
        }
        double[] g = new double[n * n];
        for (int p = 0; p < n; p++) {
            for (int q = p; q < n; q++) {
                double v = gp[p * np + q];
                g[p * n + q] = v;
                g[q * n + p] = v;
            }
        }
        return g;
    }

    /**
     * Bᵀ = Wᵀ·Xᵀ ({@code k × s}, row-major) for W ({@code n × k}, row-major) and the centred transpose {@code xt}:
     * row j of the result is Σ_p W[p][j]·xt[p], eight rows at a time.
     */
    public static double[] timesTranspose(double[] w, int n, int k, double[] xt, int s) {
        int kp = (k + 7) / 8 * 8;
        double[] wp = new double[n * kp];
        for (int p = 0; p < n; p++) {
            System.arraycopy(w, p * k, wp, p * kp, k);
        }
        double[] out = new double[kp * s];
        for (int j0 = 0; j0 < kp; j0 += 8) {
            if (VECTOR) {
                Simd.axpy8(wp, kp, j0, n, xt, s, out);
            } else {
                axpy8(wp, kp, j0, n, xt, s, out);
            }
        }
        return out;
    }

    /** Σ a[aOff + t]·b[bOff + t] over t &lt; len, in double. */
    public static double dot(double[] a, int aOff, double[] b, int bOff, int len) {
        return VECTOR ? Simd.dot(a, aOff, b, bOff, len) : dotScalar(a, aOff, b, bOff, len);
    }

    /** Modified Gram–Schmidt over the first k rows (width s) of {@code qt}: orthonormal rows with the same span. */
    public static void orthonormaliseRows(double[] qt, int k, int s) {
        for (int j = 0; j < k; j++) {
            int rj = j * s;
            for (int prev = 0; prev < j; prev++) {
                int rp = prev * s;
                double d = dot(qt, rj, qt, rp, s);
                for (int i = 0; i < s; i++) {
                    qt[rj + i] -= d * qt[rp + i];
                }
            }
            double inv = 1.0 / Math.sqrt(dot(qt, rj, qt, rj, s));
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

    public static int pad4(int n) {
        return (n + 3) / 4 * 4;
    }

    // ------------------------------------------------------------------ scalar fallbacks (same structure)

    private static void dot4x4(double[] a, int aOff, double[] b, int bOff, int len, double[] c, int cOff, int ldc) {
        for (int r = 0; r < 4; r++) {
            for (int q = 0; q < 4; q++) {
                c[cOff + r * ldc + q] = dotScalar(a, aOff + r * len, b, bOff + q * len, len);
            }
        }
    }

    private static void axpy8(double[] wp, int kp, int j0, int n, double[] xt, int s, double[] out) {
        for (int p = 0; p < n; p++) {
            int xr = p * s;
            for (int r = 0; r < 8; r++) {
                double w = wp[p * kp + j0 + r];
                if (w == 0.0) {
                    continue;
                }
                int o = (j0 + r) * s;
                for (int i = 0; i < s; i++) {
                    out[o + i] += w * xt[xr + i];
                }
            }
        }
    }

    private static double dotScalar(double[] a, int aOff, double[] b, int bOff, int len) {
        double sum = 0.0;
        for (int t = 0; t < len; t++) {
            sum += a[aOff + t] * b[bOff + t];
        }
        return sum;
    }

    /** The Vector API kernels; loaded only when {@link #VECTOR} is true. */
    private static final class Simd {
        static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

        private Simd() {
        }

        /** c[r][q] = dot(a row r, b row q) for a 4 × 4 block; rows are {@code len} apart. */
        static void dot4x4(double[] a, int aOff, double[] b, int bOff, int len, double[] c, int cOff, int ldc) {
            int l = SPECIES.length();
            int bound = SPECIES.loopBound(len);
            DoubleVector z = DoubleVector.zero(SPECIES);
            DoubleVector c00 = z, c01 = z, c02 = z, c03 = z;
            DoubleVector c10 = z, c11 = z, c12 = z, c13 = z;
            DoubleVector c20 = z, c21 = z, c22 = z, c23 = z;
            DoubleVector c30 = z, c31 = z, c32 = z, c33 = z;
            int a0 = aOff, a1 = aOff + len, a2 = aOff + 2 * len, a3 = aOff + 3 * len;
            int b0 = bOff, b1 = bOff + len, b2 = bOff + 2 * len, b3 = bOff + 3 * len;
            for (int t = 0; t < bound; t += l) {
                DoubleVector x0 = DoubleVector.fromArray(SPECIES, a, a0 + t);
                DoubleVector x1 = DoubleVector.fromArray(SPECIES, a, a1 + t);
                DoubleVector x2 = DoubleVector.fromArray(SPECIES, a, a2 + t);
                DoubleVector x3 = DoubleVector.fromArray(SPECIES, a, a3 + t);
                DoubleVector y = DoubleVector.fromArray(SPECIES, b, b0 + t);
                c00 = x0.fma(y, c00);
                c10 = x1.fma(y, c10);
                c20 = x2.fma(y, c20);
                c30 = x3.fma(y, c30);
                y = DoubleVector.fromArray(SPECIES, b, b1 + t);
                c01 = x0.fma(y, c01);
                c11 = x1.fma(y, c11);
                c21 = x2.fma(y, c21);
                c31 = x3.fma(y, c31);
                y = DoubleVector.fromArray(SPECIES, b, b2 + t);
                c02 = x0.fma(y, c02);
                c12 = x1.fma(y, c12);
                c22 = x2.fma(y, c22);
                c32 = x3.fma(y, c32);
                y = DoubleVector.fromArray(SPECIES, b, b3 + t);
                c03 = x0.fma(y, c03);
                c13 = x1.fma(y, c13);
                c23 = x2.fma(y, c23);
                c33 = x3.fma(y, c33);
            }
            int c0 = cOff, c1 = cOff + ldc, c2 = cOff + 2 * ldc, c3 = cOff + 3 * ldc;
            c[c0] = finish(c00, a, a0, b, b0, bound, len);
            c[c0 + 1] = finish(c01, a, a0, b, b1, bound, len);
            c[c0 + 2] = finish(c02, a, a0, b, b2, bound, len);
            c[c0 + 3] = finish(c03, a, a0, b, b3, bound, len);
            c[c1] = finish(c10, a, a1, b, b0, bound, len);
            c[c1 + 1] = finish(c11, a, a1, b, b1, bound, len);
            c[c1 + 2] = finish(c12, a, a1, b, b2, bound, len);
            c[c1 + 3] = finish(c13, a, a1, b, b3, bound, len);
            c[c2] = finish(c20, a, a2, b, b0, bound, len);
            c[c2 + 1] = finish(c21, a, a2, b, b1, bound, len);
            c[c2 + 2] = finish(c22, a, a2, b, b2, bound, len);
            c[c2 + 3] = finish(c23, a, a2, b, b3, bound, len);
            c[c3] = finish(c30, a, a3, b, b0, bound, len);
            c[c3 + 1] = finish(c31, a, a3, b, b1, bound, len);
            c[c3 + 2] = finish(c32, a, a3, b, b2, bound, len);
            c[c3 + 3] = finish(c33, a, a3, b, b3, bound, len);
        }

        /** The lanes' sum plus the scalar tail t in [bound, len). */
        private static double finish(DoubleVector acc, double[] a, int ar, double[] b, int br, int bound, int len) {
            double sum = acc.reduceLanes(VectorOperators.ADD);
            for (int t = bound; t < len; t++) {
                sum += a[ar + t] * b[br + t];
            }
            return sum;
        }

        /** out rows j0..j0+7 (width s) = Σ_p wp[p][j0 + r]·xt[p], lanes along the samples. */
        static void axpy8(double[] wp, int kp, int j0, int n, double[] xt, int s, double[] out) {
            int l = SPECIES.length();
            int bound = SPECIES.loopBound(s);
            for (int i = 0; i < bound; i += l) {
                DoubleVector z = DoubleVector.zero(SPECIES);
                DoubleVector r0 = z, r1 = z, r2 = z, r3 = z, r4 = z, r5 = z, r6 = z, r7 = z;
                for (int p = 0; p < n; p++) {
                    DoubleVector x = DoubleVector.fromArray(SPECIES, xt, p * s + i);
                    int w = p * kp + j0;
                    r0 = x.fma(DoubleVector.broadcast(SPECIES, wp[w]), r0);
                    r1 = x.fma(DoubleVector.broadcast(SPECIES, wp[w + 1]), r1);
                    r2 = x.fma(DoubleVector.broadcast(SPECIES, wp[w + 2]), r2);
                    r3 = x.fma(DoubleVector.broadcast(SPECIES, wp[w + 3]), r3);
                    r4 = x.fma(DoubleVector.broadcast(SPECIES, wp[w + 4]), r4);
                    r5 = x.fma(DoubleVector.broadcast(SPECIES, wp[w + 5]), r5);
                    r6 = x.fma(DoubleVector.broadcast(SPECIES, wp[w + 6]), r6);
                    r7 = x.fma(DoubleVector.broadcast(SPECIES, wp[w + 7]), r7);
                }
                r0.intoArray(out, j0 * s + i);
                r1.intoArray(out, (j0 + 1) * s + i);
                r2.intoArray(out, (j0 + 2) * s + i);
                r3.intoArray(out, (j0 + 3) * s + i);
                r4.intoArray(out, (j0 + 4) * s + i);
                r5.intoArray(out, (j0 + 5) * s + i);
                r6.intoArray(out, (j0 + 6) * s + i);
                r7.intoArray(out, (j0 + 7) * s + i);
            }
            for (int i = bound; i < s; i++) {
                for (int r = 0; r < 8; r++) {
                    double sum = 0.0;
                    for (int p = 0; p < n; p++) {
                        sum += wp[p * kp + j0 + r] * xt[p * s + i];
                    }
                    out[(j0 + r) * s + i] = sum;
                }
            }
        }

        static double dot(double[] a, int aOff, double[] b, int bOff, int len) {
            int l = SPECIES.length();
            int bound = SPECIES.loopBound(len);
            DoubleVector acc = DoubleVector.zero(SPECIES);
            for (int t = 0; t < bound; t += l) {
                acc = DoubleVector.fromArray(SPECIES, a, aOff + t).fma(DoubleVector.fromArray(SPECIES, b, bOff + t), acc);
            }
            double sum = acc.reduceLanes(VectorOperators.ADD);
            for (int t = bound; t < len; t++) {
                sum += a[aOff + t] * b[bOff + t];
            }
            return sum;
        }
    }
}
