package org.rnnatlas.metrics.support;

import java.util.Optional;
import org.ojalgo.matrix.decomposition.Eigenvalue;
import org.ojalgo.matrix.store.MatrixStore;
import org.ojalgo.matrix.store.R064Store;
import org.rnnatlas.spi.Representation;

/**
 * The double-precision linear algebra the similarity metrics share: centring, the symmetric eigendecomposition of
 * a Gram matrix (ojAlgo) for preparation, and the eigenvalues of the small symmetric per-pair blocks
 * (Householder tridiagonalisation + implicit QL). Every method works on caller-owned row-major arrays.
 */
public final class Spectra {

    private Spectra() {
    }

    /** A row-major copy of the representation with every column's mean subtracted. */
    public static double[] centred(Representation r) {
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
     * Eigendecomposition of a symmetric n × n matrix (row-major): eigenvalues in {@code values} in descending order,
     * the matching orthonormal eigenvectors as the columns of {@code vectors} (row-major n × n).
     */
    public static void symmetricEigen(double[] g, int n, double[] values, double[] vectors) {
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

    /**
     * Eigenvalues of the symmetric m × m matrix in {@code a} (row-major, overwritten; {@code work} holds at least
     * m doubles) into {@code values[0..m)}, unordered: Householder reduction to tridiagonal form (no vectors kept,
     * about 4m³/3 flops), then implicit QL iterations with Wilkinson shifts on the tridiagonal matrix. Several
     * times cheaper than cyclic Jacobi rotations at m ≈ 12–20; allocation-free.
     */
    /**
     * QL deflation threshold: an off-diagonal e_i is dropped once |e_i| ≤ DEFLATE·(|d_i| + |d_{i+1}|). Dropping it
     * moves each eigenvalue by at most |e_i| (Weyl), ≤ 2e-12 for the blocks of canonical correlations (entries ≤ 1),
     * far below the float rounding of the block itself (≈1e-7); a tighter threshold only costs QL sweeps.
     */
    public static final double DEFLATE = 1e-12;

    public static void tridiagonalEigenvalues(double[] a, int m, double[] values, double[] work) {
        double[] d = values;
        double[] e = work;
        // Householder: for column k, reflect rows/cols k+1..m−1 so that a[k+2..][k] become 0
        for (int k = 0; k < m - 2; k++) {
            double norm2 = 0.0;
            for (int i = k + 1; i < m; i++) {
                norm2 += a[i * m + k] * a[i * m + k];
            }
            double x0 = a[(k + 1) * m + k];
            double alpha = x0 >= 0.0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
            d[k] = a[k * m + k];
            e[k] = alpha;
            double vv = norm2 - x0 * x0 + (x0 - alpha) * (x0 - alpha);
            if (norm2 == 0.0 || vv == 0.0) {
                e[k] = x0;
                continue;
            }
            // v = x − α e₁ kept in column k of a (rows k+1..m−1); p = β A_sub v; K = β vᵀp / 2; q = p − K v
            a[(k + 1) * m + k] = x0 - alpha;
            double beta = 2.0 / vv;
            double vp = 0.0;
            for (int i = k + 1; i < m; i++) {
                double sum = 0.0;
                for (int j = k + 1; j < m; j++) {
                    sum += a[i * m + j] * a[j * m + k];
                }
                double pi = beta * sum;
                a[k * m + i] = pi; // row k (above the diagonal) is free: holds p
                vp += a[i * m + k] * pi;
            }
            double kk = 0.5 * beta * vp;
            for (int i = k + 1; i < m; i++) {
                a[k * m + i] -= kk * a[i * m + k]; // q
            }
            for (int i = k + 1; i < m; i++) {
                double vi = a[i * m + k];
                double qi = a[k * m + i];
                for (int j = k + 1; j < m; j++) {
                    a[i * m + j] -= vi * a[k * m + j] + qi * a[j * m + k];
                }
            }
        }
        if (m >= 2) {
            d[m - 2] = a[(m - 2) * m + (m - 2)];
            e[m - 2] = a[(m - 1) * m + (m - 2)];
        }
        d[m - 1] = a[(m - 1) * m + (m - 1)];
        e[m - 1] = 0.0;
        // implicit QL with Wilkinson shifts; e[i] couples d[i] and d[i+1]
        for (int l = 0; l < m; l++) {
            for (int iter = 0; iter < 64; iter++) {
                int mm = l;
                while (mm < m - 1) {
                    double dd = Math.abs(d[mm]) + Math.abs(d[mm + 1]);
                    if (Math.abs(e[mm]) <= DEFLATE * dd) {
                        break;
                    }
                    mm++;
                }
                if (mm == l) {
                    break;
                }
                double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
                double r = Math.sqrt(g * g + 1.0);
                g = d[mm] - d[l] + e[l] / (g + (g >= 0.0 ? r : -r));
                double s = 1.0;
                double c = 1.0;
                double p = 0.0;
                int i = mm - 1;
                boolean underflow = false;
                for (; i >= l; i--) {
                    double f = s * e[i];
                    double b = c * e[i];
                    r = Math.sqrt(f * f + g * g);
                    e[i + 1] = r;
                    if (r == 0.0) {
                        d[i + 1] -= p;
                        e[mm] = 0.0;
                        underflow = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2.0 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                }
                if (underflow) {
                    continue;
                }
                d[l] -= p;
                e[l] = g;
                e[mm] = 0.0;
            }
        }
    }
}
