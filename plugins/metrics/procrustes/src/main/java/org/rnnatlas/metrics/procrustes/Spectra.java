package org.rnnatlas.metrics.procrustes;

import org.rnnatlas.spi.Representation;

/**
 * Centring and a small cyclic Jacobi eigenvalue solver for the per-pair blocks. Every method works on caller-owned row-major arrays.
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
     * Eigenvalues of the symmetric m × m matrix in {@code a} (row-major, overwritten) by cyclic Jacobi rotations; on
     * return they sit on a's diagonal, unordered. Allocation-free: the per-pair step of the tile form calls it once
     * per pair on a ≤ 20 × 20 Gram matrix of canonical correlations.
     */
    static void jacobiEigenvalues(double[] a, int m) {
        for (int sweep = 0; sweep < 64; sweep++) {
            double off = 0.0;
            double diag = 0.0;
            for (int p = 0; p < m; p++) {
                diag += a[p * m + p] * a[p * m + p];
                for (int q = p + 1; q < m; q++) {
                    off += a[p * m + q] * a[p * m + q];
                }
            }
            // converged once the off-diagonal mass is below rounding of the diagonal
            if (off <= 1e-30 * diag || off == 0.0) {
                return;
            }
            for (int p = 0; p < m - 1; p++) {
                for (int q = p + 1; q < m; q++) {
                    double apq = a[p * m + q];
                    if (apq == 0.0) {
                        continue;
                    }
                    double app = a[p * m + p];
                    double aqq = a[q * m + q];
                    // rotation angle that zeroes a[p][q]: t = tan(theta), the smaller root for stability
                    double theta = (aqq - app) / (2.0 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1.0));
                    if (theta == 0.0) {
                        t = 1.0;
                    }
                    double c = 1.0 / Math.sqrt(t * t + 1.0);
                    double s = t * c;
                    for (int r = 0; r < m; r++) {
                        double arp = a[r * m + p];
                        double arq = a[r * m + q];
                        a[r * m + p] = c * arp - s * arq;
                        a[r * m + q] = s * arp + c * arq;
                    }
                    for (int r = 0; r < m; r++) {
                        double apr = a[p * m + r];
                        double aqr = a[q * m + r];
                        a[p * m + r] = c * apr - s * aqr;
                        a[q * m + r] = s * apr + c * aqr;
                    }
                    a[p * m + q] = 0.0;
                    a[q * m + p] = 0.0;
                }
            }
        }
    }
}
