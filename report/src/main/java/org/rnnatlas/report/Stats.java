package org.rnnatlas.report;

import java.util.List;
import java.util.Objects;

/** The numbers behind the report's tables and projections: PCA, silhouette, within/between distance ratio. */
public final class Stats {
    private Stats() {
    }

    /** The top two principal axes of samples × dims data (rows are samples): mean, axes, explained proportion. */
    public record Pca(double[] mean, double[][] axes, double[] explained) {
        /** Coordinates of one state on the two axes. */
        public double[] project(double[] x, int offset) {
            double[] p = new double[axes.length];
            for (int a = 0; a < axes.length; a++) {
                double s = 0;
                for (int d = 0; d < mean.length; d++) {
                    s += (x[offset + d] - mean[d]) * axes[a][d];
                }
                p[a] = s;
            }
            return p;
        }
    }

    /**
     * PCA by power iteration with deflation on the dims × dims covariance (dims is a state size, at most a few
     * hundred, so the covariance is small even for thousands of samples). Axis signs are fixed so the
     * largest-magnitude loading is positive, making the projection deterministic.
     */
    public static Pca pca(double[] data, int samples, int dims, int components) {
        double[] mean = new double[dims];
        for (int s = 0; s < samples; s++) {
            for (int d = 0; d < dims; d++) {
                mean[d] += data[s * dims + d];
            }
        }
        for (int d = 0; d < dims; d++) {
            mean[d] /= samples;
        }
        double[][] cov = new double[dims][dims];
        double[] row = new double[dims];
        for (int s = 0; s < samples; s++) {
            for (int d = 0; d < dims; d++) {
                row[d] = data[s * dims + d] - mean[d];
            }
            for (int i = 0; i < dims; i++) {
                double ri = row[i];
                if (ri == 0) {
                    continue;
                }
                double[] ci = cov[i];
                for (int j = i; j < dims; j++) {
                    ci[j] += ri * row[j];
                }
            }
        }
        double trace = 0;
        for (int i = 0; i < dims; i++) {
            for (int j = i; j < dims; j++) {
                cov[i][j] /= Math.max(1, samples - 1);
                cov[j][i] = cov[i][j];
            }
            trace += cov[i][i];
        }
        double[][] axes = new double[components][];
        double[] explained = new double[components];
        for (int c = 0; c < components; c++) {
            double[] v = new double[dims];
            for (int d = 0; d < dims; d++) {
                v[d] = (1.0 + 0.01 * d) / Math.sqrt(dims); // deterministic start, not orthogonal to any axis in practice
            }
            double n0 = Math.sqrt(dot(v, v));
            for (int d = 0; d < dims; d++) {
                v[d] /= n0; // unit length: the convergence test below compares unit vectors
            }
            double lambda = 0;
            for (int it = 0; it < 500; it++) {
                double[] w = new double[dims];
                for (int i = 0; i < dims; i++) {
                    double s = 0;
                    for (int j = 0; j < dims; j++) {
                        s += cov[i][j] * v[j];
                    }
                    w[i] = s;
                }
                double norm = Math.sqrt(dot(w, w));
                if (norm == 0) {
                    break;
                }
                for (int i = 0; i < dims; i++) {
                    w[i] /= norm;
                }
                double change = 1 - Math.abs(dot(w, v));
                v = w;
                lambda = norm;
                if (change < 1e-13) {
                    break;
                }
            }
            int big = 0;
            for (int d = 1; d < dims; d++) {
                if (Math.abs(v[d]) > Math.abs(v[big])) {
                    big = d;
                }
            }
            if (v[big] < 0) {
                for (int d = 0; d < dims; d++) {
                    v[d] = -v[d];
                }
            }
            axes[c] = v;
            explained[c] = trace > 0 ? lambda / trace : Double.NaN;
            for (int i = 0; i < dims; i++) { // deflate
                for (int j = 0; j < dims; j++) {
                    cov[i][j] -= lambda * v[i] * v[j];
                }
            }
        }
        return new Pca(mean, axes, explained);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * Mean distance between networks of the same group divided by the mean distance between networks of different
     * groups (off-diagonal entries only): below 1 when the distance clusters by the grouping, about 1 when it does
     * not. NaN when there is no within-group or no between-group pair.
     */
    public static double withinBetweenRatio(double[][] d, List<String> groups) {
        double within = 0;
        long nw = 0;
        double between = 0;
        long nb = 0;
        for (int i = 0; i < d.length; i++) {
            for (int j = i + 1; j < d.length; j++) {
                if (!Double.isFinite(d[i][j])) {
                    continue;
                }
                if (groups.get(i).equals(groups.get(j))) {
                    within += d[i][j];
                    nw++;
                } else {
                    between += d[i][j];
                    nb++;
                }
            }
        }
        return nw == 0 || nb == 0 ? Double.NaN : (within / nw) / (between / nb);
    }

    /**
     * Mean silhouette over networks, from the distances (Rousseeuw 1987): s_i = (b_i − a_i) / max(a_i, b_i), a_i the
     * mean distance to the rest of i's group, b_i the smallest mean distance to another group; 0 for a network alone
     * in its group. In [−1, 1]; near 1 when groups are tight and apart. NaN with fewer than two groups.
     */
    public static double silhouette(double[][] d, List<String> groups) {
        Objects.requireNonNull(groups, "groups");
        List<String> distinct = groups.stream().distinct().toList();
        if (distinct.size() < 2) {
            return Double.NaN;
        }
        double total = 0;
        for (int i = 0; i < d.length; i++) {
            double[] sum = new double[distinct.size()];
            int[] count = new int[distinct.size()];
            for (int j = 0; j < d.length; j++) {
                if (j != i && Double.isFinite(d[i][j])) {
                    int g = distinct.indexOf(groups.get(j));
                    sum[g] += d[i][j];
                    count[g]++;
                }
            }
            int own = distinct.indexOf(groups.get(i));
            if (count[own] == 0) {
                continue; // alone in its group: s = 0
            }
            double a = sum[own] / count[own];
            double b = Double.POSITIVE_INFINITY;
            for (int g = 0; g < distinct.size(); g++) {
                if (g != own && count[g] > 0) {
                    b = Math.min(b, sum[g] / count[g]);
                }
            }
            if (Double.isFinite(b) && Math.max(a, b) > 0) {
                total += (b - a) / Math.max(a, b);
            }
        }
        return total / d.length;
    }
}
