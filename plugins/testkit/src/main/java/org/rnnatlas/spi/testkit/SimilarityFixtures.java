package org.rnnatlas.spi.testkit;

import java.util.SplittableRandom;
import org.rnnatlas.spi.Representation;

/**
 * Seeded synthetic representations and the unit maps the {@link SimilarityMetricContract} applies to them.
 * Matrices are row-major {@code double[]}.
 */
public final class SimilarityFixtures {

    private SimilarityFixtures() {
    }

    /**
     * A samples × units representation of latent dimension {@code dim}: X = Z W + noise + μ, where the latent Z
     * (samples × dim) has independent Gaussian columns with standard deviations 1, 1/2, …, 1/dim, W (dim × units) is
     * Gaussian, the noise is isotropic Gaussian with standard deviation {@code noise}, and every unit has a random
     * offset μ (so that centring matters).
     */
    public static Representation lowRank(SplittableRandom rng, int samples, int units, int dim, double noise) {
        double[] z = new double[samples * dim];
        for (int i = 0; i < samples; i++) {
            for (int j = 0; j < dim; j++) {
                z[i * dim + j] = gaussian(rng) / (j + 1);
            }
        }
        double[] w = new double[dim * units];
        for (int i = 0; i < w.length; i++) {
            w[i] = gaussian(rng);
        }
        double[] x = multiply(z, samples, dim, w, units);
        for (int p = 0; p < units; p++) {
            double mu = 3.0 * gaussian(rng);
            for (int i = 0; i < samples; i++) {
                x[i * units + p] += mu + noise * gaussian(rng);
            }
        }
        return new Representation(samples, units, x);
    }

    /** A random orthogonal n × n matrix (Gram–Schmidt on a Gaussian matrix, Haar-distributed up to signs). */
    public static double[] orthogonal(SplittableRandom rng, int n) {
        double[] q = new double[n * n];
        for (int i = 0; i < q.length; i++) {
            q[i] = gaussian(rng);
        }
        for (int j = 0; j < n; j++) {
            for (int pass = 0; pass < 2; pass++) { // twice is enough for orthogonality to rounding
                for (int prev = 0; prev < j; prev++) {
                    double dot = 0.0;
                    for (int i = 0; i < n; i++) {
                        dot += q[i * n + j] * q[i * n + prev];
                    }
                    for (int i = 0; i < n; i++) {
                        q[i * n + j] -= dot * q[i * n + prev];
                    }
                }
            }
            double norm = 0.0;
            for (int i = 0; i < n; i++) {
                norm += q[i * n + j] * q[i * n + j];
            }
            for (int i = 0; i < n; i++) {
                q[i * n + j] /= Math.sqrt(norm);
            }
        }
        return q;
    }

    /** A random well-conditioned invertible n × n matrix: I + G/(2√n) with G Gaussian, times a random scale per column. */
    public static double[] invertible(SplittableRandom rng, int n) {
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i * n + j] = (i == j ? 1.0 : 0.0) + gaussian(rng) / (2.0 * Math.sqrt(n));
            }
        }
        for (int j = 0; j < n; j++) {
            double scale = 0.5 + rng.nextDouble();
            for (int i = 0; i < n; i++) {
                m[i * n + j] *= scale;
            }
        }
        return m;
    }

    /** A random permutation of 0..n−1. */
    public static int[] permutation(SplittableRandom rng, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** X M for an units × cols matrix M: a linear map of the units. */
    public static Representation mapUnits(Representation r, double[] m, int cols) {
        if (m.length != r.units() * cols) {
            throw new IllegalArgumentException("map has " + m.length + " entries, expected " + r.units() + "x" + cols);
        }
        return new Representation(r.samples(), cols, multiply(r.data(), r.samples(), r.units(), m, cols));
    }

    /** c·X. */
    public static Representation scale(Representation r, double c) {
        double[] x = r.data().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] *= c;
        }
        return new Representation(r.samples(), r.units(), x);
    }

    /** The units reordered: column p of the result is column {@code perm[p]} of X. */
    public static Representation permuteUnits(Representation r, int[] perm) {
        int s = r.samples();
        int n = r.units();
        double[] x = new double[s * n];
        for (int i = 0; i < s; i++) {
            for (int p = 0; p < n; p++) {
                x[i * n + p] = r.data()[i * n + perm[p]];
            }
        }
        return new Representation(s, n, x);
    }

    /** Row-major (m × k)·(k × n). */
    public static double[] multiply(double[] a, int m, int k, double[] b, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double aip = a[i * k + p];
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += aip * b[p * n + j];
                }
            }
        }
        return c;
    }

    /** A standard normal variate (Box–Muller; the generator's own nextGaussian is not pinned across JDKs). */
    public static double gaussian(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }
}
