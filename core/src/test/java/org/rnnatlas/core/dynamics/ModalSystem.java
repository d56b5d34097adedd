package org.rnnatlas.core.dynamics;

import java.util.SplittableRandom;

/**
 * A test-only linear system with a chosen real block-diagonal form: {@code J = P D P⁻¹} with D built from 1×1 real
 * eigenvalues and 2×2 blocks {@code ρ·Rot(θ)} (eigenvalues ρe^{±iθ}), and P a seeded, well-conditioned, non-orthogonal
 * change of basis ({@code I + 0.3·Normal}). In the coordinates {@code z = P⁻¹ s} the system is D, so
 * {@code w J^k b = (w P) D^k (P⁻¹ b)} is known in closed form block by block.
 */
final class ModalSystem {
    final int n;
    final double[][] d;
    final double[][] p;
    final double[][] pInv;

    private ModalSystem(double[][] d, double[][] p, double[][] pInv) {
        this.n = d.length;
        this.d = d;
        this.p = p;
        this.pInv = pInv;
    }

    static double[][] real(double lambda) {
        return new double[][] {{lambda}};
    }

    static double[][] rotation(double rho, double theta) {
        return new double[][] {{rho * Math.cos(theta), -rho * Math.sin(theta)},
                {rho * Math.sin(theta), rho * Math.cos(theta)}};
    }

    static ModalSystem of(long seed, double[][]... blocks) {
        int n = 0;
        for (double[][] b : blocks) {
            n += b.length;
        }
        double[][] d = new double[n][n];
        int off = 0;
        for (double[][] b : blocks) {
            for (int i = 0; i < b.length; i++) {
                System.arraycopy(b[i], 0, d[off + i], off, b.length);
            }
            off += b.length;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] p = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                p[i][j] = (i == j ? 1 : 0) + 0.3 * rng.nextGaussian();
            }
        }
        double[][] pInv = inverse(p);
        double[][] check = multiply(p, pInv);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (Math.abs(check[i][j] - (i == j ? 1 : 0)) > 1e-12) {
                    throw new IllegalStateException("seed " + seed + " gives an ill-conditioned P");
                }
            }
        }
        return new ModalSystem(d, p, pInv);
    }

    /** J = P D P⁻¹, row-major. */
    double[] jacobian() {
        double[][] j = multiply(multiply(p, d), pInv);
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(j[i], 0, out, i * n, n);
        }
        return out;
    }

    double[][] jacobianMatrix() {
        return multiply(multiply(p, d), pInv);
    }

    /** A state whose coordinates are z: P z. */
    double[] state(double... z) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                s[i] += p[i][k] * z[k];
            }
        }
        return s;
    }

    /** A readout row that reads coordinate weights v: vᵀ P⁻¹. */
    double[] readout(double... v) {
        double[] w = new double[n];
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < n; k++) {
                w[j] += v[k] * pInv[k][j];
            }
        }
        return w;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < b.length; k++) {
                for (int j = 0; j < m; j++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    /** Gauss–Jordan with partial pivoting. */
    static double[][] inverse(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) {
                    piv = r;
                }
            }
            double[] t = m[c];
            m[c] = m[piv];
            m[piv] = t;
            double pv = m[c][c];
            for (int j = 0; j < 2 * n; j++) {
                m[c][j] /= pv;
            }
            for (int r = 0; r < n; r++) {
                if (r != c && m[r][c] != 0) {
                    double f = m[r][c];
                    for (int j = 0; j < 2 * n; j++) {
                        m[r][j] -= f * m[c][j];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], n, inv[i], 0, n);
        }
        return inv;
    }
}
