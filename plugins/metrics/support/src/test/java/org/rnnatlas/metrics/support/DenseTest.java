package org.rnnatlas.metrics.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnatlas.spi.Representation;

/** The preparation kernels against plain double loops, at shapes with vector and 4-block tails. */
class DenseTest {

    @ParameterizedTest
    @CsvSource({"37, 13, 3", "64, 8, 8", "101, 21, 9", "6400, 67, 17"})
    void kernelsMatchPlainDoubleLoops(int s, int n, int k) {
        SplittableRandom r = new SplittableRandom(s * 31L + n);
        double[] x = new double[s * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian() + 3.0; // an offset, so centring matters
        }
        Representation rep = new Representation(s, n, x);
        double[] xt = Dense.centredTranspose(rep, Dense.pad4(n));
        // centred transpose
        double[] mean = new double[n];
        for (int i = 0; i < s; i++) {
            for (int p = 0; p < n; p++) {
                mean[p] += x[i * n + p] / s;
            }
        }
        for (int i = 0; i < s; i++) {
            for (int p = 0; p < n; p++) {
                assertEquals(x[i * n + p] - mean[p], xt[p * s + i], 1e-12);
            }
        }
        for (int p = n; p < Dense.pad4(n); p++) {
            for (int i = 0; i < s; i++) {
                assertEquals(0.0, xt[p * s + i], "padding row " + p);
            }
        }
        // Gram matrix, both triangles
        double[] g = Dense.gram(xt, n, s);
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
                double e = 0.0;
                double scale = 0.0;
                for (int i = 0; i < s; i++) {
                    e += xt[p * s + i] * xt[q * s + i];
                    scale += Math.abs(xt[p * s + i] * xt[q * s + i]);
                }
                assertEquals(e, g[p * n + q], 1e-13 * scale, "G[" + p + "][" + q + "]");
            }
        }
        // Wᵀ Xᵀ
        double[] w = new double[n * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextGaussian();
        }
        double[] bt = Dense.timesTranspose(w, n, k, xt, s);
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < s; i++) {
                double e = 0.0;
                double scale = 0.0;
                for (int p = 0; p < n; p++) {
                    e += w[p * k + j] * xt[p * s + i];
                    scale += Math.abs(w[p * k + j] * xt[p * s + i]);
                }
                assertEquals(e, bt[j * s + i], 1e-13 * scale, "(WᵀXᵀ)[" + j + "][" + i + "]");
            }
        }
        // Gram–Schmidt: orthonormal rows spanning the same space
        Dense.orthonormaliseRows(bt, k, s);
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                assertEquals(a == b ? 1.0 : 0.0, Dense.dot(bt, a * s, bt, b * s, s), 1e-12, "QQᵀ[" + a + "][" + b + "]");
            }
        }
        float[] f = Dense.transposeToFloat(bt, k, s);
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < s; i++) {
                assertEquals((float) bt[j * s + i], f[i * k + j]);
            }
        }
    }
}
