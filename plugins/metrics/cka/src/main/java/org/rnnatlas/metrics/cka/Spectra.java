package org.rnnatlas.metrics.cka;

import java.util.Optional;
import org.ojalgo.matrix.decomposition.Eigenvalue;
import org.ojalgo.matrix.store.MatrixStore;
import org.ojalgo.matrix.store.R064Store;
import org.rnnatlas.spi.Representation;

/**
 * The double-precision linear algebra of preparation and of the per-pair step: centring, the unit Gram matrix
 * XᵀX, its symmetric eigendecomposition (ojAlgo) (ojAlgo). Every method works on caller-owned row-major arrays.
 */
final class Spectra {

    private Spectra() {
    }

    /** A row-major copy of the representation with every column's mean subtracted. */
    static double[] centred(Representation r) {
        int s = r.samples();
        int n = r.units();
        double[] x = r.data().clone();
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
        for (int i = 0; i < s; i++) {
            int row = i * n;
            for (int p = 0; p < n; p++) {
                x[row + p] -= mean[p];
            }
        }
        return x;
    }

    /**
     * G = XᵀX (n × n, row-major, both triangles) of a row-major s × n matrix. Four samples per pass over G, so G
     * (at most 512 KB for n = 256) is read and written a quarter as often; the inner loop runs along contiguous rows.
     */
    static double[] gram(double[] x, int s, int n) {
        double[] g = new double[n * n];
        int i = 0;
        for (; i + 3 < s; i += 4) {
            int r0 = i * n;
            int r1 = r0 + n;
            int r2 = r1 + n;
            int r3 = r2 + n;
            for (int p = 0; p < n; p++) {
                double a0 = x[r0 + p];
                double a1 = x[r1 + p];
                double a2 = x[r2 + p];
                double a3 = x[r3 + p];
                int gp = p * n;
                for (int q = p; q < n; q++) {
                    g[gp + q] += a0 * x[r0 + q] + a1 * x[r1 + q] + a2 * x[r2 + q] + a3 * x[r3 + q];
                }
            }
        }
        for (; i < s; i++) {
            int r0 = i * n;
            for (int p = 0; p < n; p++) {
                double a0 = x[r0 + p];
                int gp = p * n;
                for (int q = p; q < n; q++) {
                    g[gp + q] += a0 * x[r0 + q];
                }
            }
        }
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < p; q++) {
                g[p * n + q] = g[q * n + p];
            }
        }
        return g;
    }

    /**
     * Eigendecomposition of a symmetric n × n matrix (row-major): eigenvalues in {@code values} in descending order,
     * the matching orthonormal eigenvectors as the columns of {@code vectors} (row-major n × n).
     */
    static void symmetricEigen(double[] g, int n, double[] values, double[] vectors) {
        R064Store m = R064Store.FACTORY.make(n, n);
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
                m.set(p, q, g[p * n + q]);
            }
        }
        Eigenvalue<Double> evd = Eigenvalue.R064.make(n, true);
        if (!evd.decompose(m)) {
            throw new ArithmeticException("symmetric eigendecomposition of the " + n + "x" + n + " Gram matrix failed");
        }
        double[] raw = new double[n];
        evd.getEigenvalues(raw, Optional.empty());
        MatrixStore<Double> v = evd.getV();
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) {
            order[j] = j;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(raw[b], raw[a]));
        for (int j = 0; j < n; j++) {
            int src = order[j];
            values[j] = raw[src];
            for (int p = 0; p < n; p++) {
                vectors[p * n + j] = v.doubleValue(p, src);
            }
        }
    }
}
