package org.rnnatlas.metrics.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.Representation;

/**
 * The preparation steps against plain double loops written here from their definitions, both without Ops (the
 * plain-loop path) and through an Ops that follows the SPI's gemm/dot contract literally (so the arguments Dense
 * passes, leading dimensions included, are checked); shapes with odd sizes.
 */
class DenseTest {

    @ParameterizedTest
    @CsvSource({"37, 13, 3, false", "37, 13, 3, true", "64, 8, 8, true", "101, 21, 9, false", "101, 21, 9, true",
            "1200, 67, 17, true"})
    void stepsMatchTheirDefinitions(int s, int n, int k, boolean withOps) {
        SplittableRandom r = new SplittableRandom(s * 31L + n);
        double[] x = new double[s * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian() + 3.0; // an offset, so centring matters
        }
        AtomicInteger calls = new AtomicInteger();
        Ops ops = withOps ? contractOps(calls) : null;
        Dense.Centred c = Dense.centre(new Representation(s, n, x));
        double[] mean = new double[n];
        for (int i = 0; i < s; i++) {
            for (int p = 0; p < n; p++) {
                mean[p] += x[i * n + p] / s;
            }
        }
        for (int i = 0; i < s; i++) {
            for (int p = 0; p < n; p++) {
                assertEquals(x[i * n + p] - mean[p], c.x()[i * n + p], 1e-12);
                assertEquals(c.x()[i * n + p], c.xt()[p * s + i], "transpose");
            }
        }
        // Gram matrix, both triangles, exactly symmetric
        double[] g = c.gram(ops);
        double trace = 0.0;
        for (int p = 0; p < n; p++) {
            trace += g[p * n + p];
            for (int q = 0; q < n; q++) {
                double e = 0.0;
                double scale = 0.0;
                for (int i = 0; i < s; i++) {
                    e += c.x()[i * n + p] * c.x()[i * n + q];
                    scale += Math.abs(c.x()[i * n + p] * c.x()[i * n + q]);
                }
                assertEquals(e, g[p * n + q], 1e-13 * scale, "G[" + p + "][" + q + "]");
                assertEquals(g[p * n + q], g[q * n + p], "symmetric");
            }
        }
        assertEquals(trace, c.sumOfSquares(ops), 1e-12 * trace, "tr XᵀX");
        // Wᵀ Xᵀ
        double[] w = new double[n * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextGaussian();
        }
        double[] bt = c.project(ops, w, k);
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < s; i++) {
                double e = 0.0;
                double scale = 0.0;
                for (int p = 0; p < n; p++) {
                    e += w[p * k + j] * c.x()[i * n + p];
                    scale += Math.abs(w[p * k + j] * c.x()[i * n + p]);
                }
                assertEquals(e, bt[j * s + i], 1e-13 * scale, "(WᵀXᵀ)[" + j + "][" + i + "]");
            }
        }
        // Gram–Schmidt: orthonormal rows spanning the same space (each original row is recovered from the new basis)
        double[] before = bt.clone();
        Dense.orthonormaliseRows(ops, bt, k, s);
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                assertEquals(a == b ? 1.0 : 0.0, Dense.dot(null, bt, a * s, bt, b * s, s), 1e-12, "QQᵀ[" + a + "][" + b + "]");
            }
            double norm = Math.sqrt(Dense.dot(null, before, a * s, before, a * s, s));
            double[] rest = new double[s];
            System.arraycopy(before, a * s, rest, 0, s);
            for (int b = 0; b < k; b++) {
                double d = Dense.dot(null, before, a * s, bt, b * s, s);
                for (int i = 0; i < s; i++) {
                    rest[i] -= d * bt[b * s + i];
                }
            }
            assertEquals(0.0, Math.sqrt(Dense.dot(null, rest, 0, rest, 0, s)), 1e-10 * norm, "row " + a + " in the span");
        }
        float[] f = Dense.transposeToFloat(bt, k, s);
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < s; i++) {
                assertEquals((float) bt[j * s + i], f[i * k + j]);
            }
        }
        if (withOps) {
            assertTrue(calls.get() >= 2 + k * (k + 1) / 2, "gemm and dot went through Ops: " + calls.get());
        }
    }

    /**
     * An Ops whose double gemm and dot follow the SPI's contract word for word (element (i, p) of op(A) at
     * a[aOff + i*lda + p], or a[aOff + p*lda + i] when transposed), summing in a different order than Dense's plain
     * loops; every other method fails the test.
     */
    private static Ops contractOps(AtomicInteger calls) {
        return (Ops) Proxy.newProxyInstance(DenseTest.class.getClassLoader(), new Class<?>[] {Ops.class},
                (proxy, method, args) -> {
                    Class<?>[] t = method.getParameterTypes();
                    if (method.getName().equals("gemm") && t[5] == double[].class) {
                        calls.incrementAndGet();
                        boolean ta = (boolean) args[0];
                        boolean tb = (boolean) args[1];
                        int m = (int) args[2];
                        int n = (int) args[3];
                        int k = (int) args[4];
                        double[] a = (double[]) args[5];
                        int aOff = (int) args[6];
                        int lda = (int) args[7];
                        double[] b = (double[]) args[8];
                        int bOff = (int) args[9];
                        int ldb = (int) args[10];
                        double[] c = (double[]) args[11];
                        int cOff = (int) args[12];
                        int ldc = (int) args[13];
                        boolean acc = (boolean) args[14];
                        for (int j = 0; j < n; j++) {
                            for (int i = 0; i < m; i++) {
                                double sum = 0.0;
                                for (int p = k - 1; p >= 0; p--) {
                                    double av = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                                    double bv = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                                    sum += av * bv;
                                }
                                c[cOff + i * ldc + j] = acc ? c[cOff + i * ldc + j] + sum : sum;
                            }
                        }
                        return null;
                    }
                    if (method.getName().equals("dot") && t[0] == double[].class) {
                        calls.incrementAndGet();
                        double[] a = (double[]) args[0];
                        int aOff = (int) args[1];
                        double[] b = (double[]) args[2];
                        int bOff = (int) args[3];
                        int len = (int) args[4];
                        double sum = 0.0;
                        for (int i = len - 1; i >= 0; i--) {
                            sum += a[aOff + i] * b[bOff + i];
                        }
                        return sum;
                    }
                    throw new AssertionError("Dense called Ops." + method.getName() + " "
                            + java.util.Arrays.toString(t));
                });
    }
}
