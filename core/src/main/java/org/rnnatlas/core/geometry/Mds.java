package org.rnnatlas.core.geometry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.ojalgo.matrix.decomposition.Eigenvalue;
import org.ojalgo.matrix.store.MatrixStore;
import org.ojalgo.matrix.store.R064Store;
import org.rnnatlas.core.BuildInfo;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.io.Npy;

/**
 * Multidimensional scaling of a distance matrix (SPEC §4).
 *
 * <p><b>Classical (Torgerson).</b> With {@code D²} the element-wise squared distances and {@code J = I − 11ᵀ/n},
 * {@code B = −½ J D² J}; the coordinates on axis k are {@code √λ_k · v_k} for the k largest eigenvalues
 * {@code λ_k} of B and their unit eigenvectors {@code v_k} (an axis with {@code λ_k ≤ 0} collapses to 0). Each axis'
 * sign is fixed so that its largest-magnitude coordinate is positive (the first such on ties). The proportion of
 * variance of axis k is {@code λ_k / tr B}, with {@code tr B = Σ_ij d_ij² / (2n)}, the sum of all eigenvalues
 * (negative eigenvalues, from non-Euclidean distances, count against it). For n ≤ {@value #DENSE_LIMIT} B is formed and
 * fully decomposed with ojAlgo; above, a Lanczos iteration with full reorthogonalisation and a fixed start vector
 * finds the top eigenpairs from products with B (computed from D without forming B), to a relative residual
 * {@code ‖Bv − λv‖ ≤ 1e-11·|λ₁|}: deterministic, and seconds for thousands of networks.
 *
 * <p><b>SMACOF</b> (metric MDS) minimises the raw stress {@code σ(X) = Σ_{i<j} (δ_ij − d_ij(X))²} by Guttman
 * transforms {@code X ← (1/n) B(X) X}, starting from the classical solution, until the relative decrease of σ falls
 * below a tolerance; σ never increases.
 *
 * <p><b>Stress</b> reported is Kruskal's stress-1, {@code √(Σ_{i<j} (δ_ij − d_ij(X))² / Σ_{i<j} d_ij(X)²)} with
 * {@code d_ij(X)} the embedding's distances (0 when both sums are 0, 1 when only the embedding collapsed); the raw
 * stress and the normalised stress {@code √(σ / Σ δ_ij²)} are reported too.
 */
public final class Mds {
    /** Format of the JSON sidecar of an embedding. */
    public static final String FORMAT = "rnnatlas.embedding/1";
    /** Largest n decomposed densely. */
    public static final int DENSE_LIMIT = 500;
    static final double LANCZOS_TOLERANCE = 1e-11;
    static final int LANCZOS_MAX_STEPS = 800;

    private Mds() {
    }

    /**
     * An embedding.
     *
     * @param coordinates      {@code n × dims}, row-major
     * @param eigenvalues      the top {@code dims} eigenvalues of B, descending
     * @param trace            {@code tr B}, the sum of all eigenvalues
     * @param stress           Kruskal stress-1 of these coordinates
     * @param rawStress        σ of these coordinates
     * @param normalizedStress {@code √(σ / Σ δ²)}
     * @param classicalStress  Kruskal stress-1 of the classical solution (equal to stress for classical)
     * @param iterations       SMACOF iterations (0 for classical)
     * @param converged        SMACOF reached its tolerance; classical: the eigensolver converged
     */
    public record Embedding(String method, int n, int dims, double[] coordinates, double[] eigenvalues, double trace,
                            double stress, double rawStress, double normalizedStress, double classicalStress,
                            int iterations, boolean converged) {

        /** {@code λ_k / tr B} per axis. */
        public double[] varianceProportion() {
            double[] p = new double[eigenvalues.length];
            for (int k = 0; k < p.length; k++) {
                p[k] = trace == 0 ? 0 : eigenvalues[k] / trace;
            }
            return p;
        }

        public double coordinate(int i, int axis) {
            return coordinates[i * dims + axis];
        }
    }

    /** Classical MDS in two dimensions. */
    public static Embedding classical(double[] d, int n) {
        return classical(d, n, 2);
    }

    /** Classical MDS in {@code dims} dimensions. */
    public static Embedding classical(double[] d, int n, int dims) {
        return classical(d, n, dims, n > DENSE_LIMIT);
    }

    static Embedding classical(double[] d, int n, int dims, boolean lanczos) {
        validate(d, n, dims);
        Eigs e = lanczos ? lanczos(d, n, dims) : dense(d, n, dims);
        double[] x = new double[n * dims];
        for (int k = 0; k < dims; k++) {
            double scale = Math.sqrt(Math.max(e.values[k], 0.0));
            for (int i = 0; i < n; i++) {
                x[i * dims + k] = scale * e.vectors[k * n + i];
            }
        }
        fixSigns(x, n, dims);
        double[] s = stresses(d, n, x, dims);
        return new Embedding("classical", n, dims, x, e.values, trace(d, n), s[0], s[1], s[2], s[0], 0, e.converged);
    }

    /** SMACOF in two dimensions from the classical solution: at most 300 iterations, relative tolerance 1e-6. */
    public static Embedding smacof(double[] d, int n) {
        return smacof(d, n, 2, 300, 1e-6);
    }

    /** SMACOF in {@code dims} dimensions from the classical solution. */
    public static Embedding smacof(double[] d, int n, int dims, int maxIterations, double tolerance) {
        if (maxIterations < 0 || !(tolerance >= 0)) {
            throw new GeometryException("SMACOF needs iterations >= 0 and tolerance >= 0, got " + maxIterations
                    + " and " + tolerance);
        }
        Embedding start = classical(d, n, dims);
        double[] x = start.coordinates().clone();
        double[] next = new double[x.length];
        double previous = Double.POSITIVE_INFINITY;
        int it = 0;
        boolean converged = false;
        while (true) {
            double sigma = guttman(d, n, dims, x, next);
            if (sigma == 0 || (it > 0 && previous - sigma <= tolerance * previous)) {
                converged = true;
                break;
            }
            if (it == maxIterations) {
                break;
            }
            previous = sigma;
            double[] swap = x;
            x = next;
            next = swap;
            it++;
        }
        fixSigns(x, n, dims);
        double[] s = stresses(d, n, x, dims);
        return new Embedding("smacof", n, dims, x, start.eigenvalues(), start.trace(), s[0], s[1], s[2],
                start.stress(), it, converged);
    }

    /** Kruskal stress-1 of {@code x} ({@code n × dims}) against the distances {@code d}. */
    public static double kruskalStress(double[] d, int n, double[] x, int dims) {
        return stresses(d, n, x, dims)[0];
    }

    /**
     * Writes {@code <name>.npy} ({@code n × dims}, float64) and the sidecar {@code <name>.json}: format, method, ids in
     * row order, eigenvalues, variance proportions, stresses, iterations and {@code source} (what was embedded, e.g.
     * the distance matrix's file and key).
     */
    public static void write(Embedding e, List<String> ids, Path dir, String name, Map<String, ?> source)
            throws IOException {
        Objects.requireNonNull(e, "embedding");
        if (ids.size() != e.n()) {
            throw new GeometryException("embedding has " + e.n() + " points but " + ids.size() + " ids were given");
        }
        if (!AllPairs.MatrixName.valid(name)) {
            throw new GeometryException("Embedding name '" + name + "' is not allowed: use letters, digits, '.',"
                    + " '_' and '-'");
        }
        Npy.write(dir.resolve(name + ".npy"), e.coordinates(), e.n(), e.dims());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("name", name);
        m.put("method", e.method());
        m.put("shape", List.of(e.n(), e.dims()));
        m.put("dtype", "float64");
        m.put("ids", List.copyOf(ids));
        m.put("eigenvalues", e.eigenvalues());
        m.put("trace", e.trace());
        m.put("variance_proportion", e.varianceProportion());
        m.put("stress", e.stress());
        m.put("stress_kind", "kruskal-1");
        m.put("raw_stress", e.rawStress());
        m.put("normalized_stress", e.normalizedStress());
        m.put("classical_stress", e.classicalStress());
        m.put("iterations", e.iterations());
        m.put("converged", e.converged());
        m.put("source", source == null ? Map.of() : new TreeMap<>(source));
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("rnnatlas_version", BuildInfo.version());
        prov.put("rnnatlas_commit", BuildInfo.commit());
        prov.put("jdk", BuildInfo.jdk());
        m.put("provenance", prov);
        Json.write(dir.resolve(name + ".json"), m);
    }

    // ---------------------------------------------------------------- internals

    private static void validate(double[] d, int n, int dims) {
        if (n < 1 || d.length != (long) n * n) {
            throw new GeometryException("MDS needs a square n x n distance matrix; got " + d.length
                    + " entries for n = " + n);
        }
        if (dims < 1 || dims > n) {
            throw new GeometryException("MDS dimensions must be in 1.." + n + ", got " + dims);
        }
        double max = 0;
        for (double v : d) {
            if (!Double.isFinite(v) || v < 0) {
                throw new GeometryException("MDS needs finite, non-negative distances; found " + v
                        + " (a network the metric could not handle?)");
            }
            max = Math.max(max, v);
        }
        for (int i = 0; i < n; i++) {
            if (d[i * n + i] != 0) {
                throw new GeometryException("MDS needs a zero diagonal; d[" + i + "][" + i + "] = " + d[i * n + i]);
            }
            for (int j = i + 1; j < n; j++) {
                if (Math.abs(d[i * n + j] - d[j * n + i]) > 1e-9 * max) {
                    throw new GeometryException("MDS needs a symmetric matrix; d[" + i + "][" + j + "] = "
                            + d[i * n + j] + " but d[" + j + "][" + i + "] = " + d[j * n + i]);
                }
            }
        }
    }

    /** {@code tr B = Σ_ij d_ij² / (2n)}. */
    static double trace(double[] d, int n) {
        double s = 0;
        for (double v : d) {
            s += v * v;
        }
        return s / (2.0 * n);
    }

    /** Eigenpairs: {@code values} descending, {@code vectors[k*n + i]} the i-th entry of the k-th unit eigenvector. */
    private record Eigs(double[] values, double[] vectors, boolean converged) {
    }

    private static Eigs dense(double[] d, int n, int dims) {
        double[] rowMean = new double[n];
        double grand = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += d[i * n + j] * d[i * n + j];
            }
            rowMean[i] = s / n;
            grand += s;
        }
        grand /= (double) n * n;
        double[] b = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dij = d[i * n + j];
                b[i * n + j] = -0.5 * (dij * dij - rowMean[i] - rowMean[j] + grand);
            }
        }
        return symmetricEigen(b, n, dims);
    }

    /** The top {@code dims} eigenpairs of a symmetric m × m matrix (row-major), via ojAlgo. */
    private static Eigs symmetricEigen(double[] a, int m, int dims) {
        R064Store s = R064Store.FACTORY.make(m, m);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                s.set(i, j, a[i * m + j]);
            }
        }
        Eigenvalue<Double> evd = Eigenvalue.R064.make(s, true);
        if (!evd.decompose(s)) {
            throw new IllegalStateException("ojAlgo eigendecomposition of a " + m + " x " + m + " symmetric matrix"
                    + " failed");
        }
        double[] values = new double[m];
        evd.getEigenvalues(values, java.util.Optional.empty());
        MatrixStore<Double> v = evd.getV();
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        // descending by value, ties by index: a fixed order whatever ojAlgo returns
        Arrays.sort(order, (p, q) -> values[p] != values[q] ? Double.compare(values[q], values[p])
                : Integer.compare(p, q));
        double[] top = new double[dims];
        double[] vec = new double[dims * m];
        for (int k = 0; k < dims; k++) {
            top[k] = values[order[k]];
            for (int i = 0; i < m; i++) {
                vec[k * m + i] = v.doubleValue(i, order[k]);
            }
        }
        return new Eigs(top, vec, true);
    }

    /** y = B v with B = −½ J D² J, from D without forming B. */
    private static void applyB(double[] d, int n, double[] v, double[] u, double[] y) {
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += v[i];
        }
        mean /= n;
        for (int i = 0; i < n; i++) {
            u[i] = v[i] - mean;
        }
        double zMean = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            int row = i * n;
            for (int j = 0; j < n; j++) {
                double dij = d[row + j];
                s += dij * dij * u[j];
            }
            y[i] = s;
            zMean += s;
        }
        zMean /= n;
        for (int i = 0; i < n; i++) {
            y[i] = -0.5 * (y[i] - zMean);
        }
    }

    private static Eigs lanczos(double[] d, int n, int dims) {
        int maxSteps = Math.min(n, LANCZOS_MAX_STEPS);
        double[][] basis = new double[maxSteps][];
        double[] alpha = new double[maxSteps];
        double[] beta = new double[maxSteps];
        double[] u = new double[n];
        double[] w = new double[n];
        SplittableRandom rng = new SplittableRandom(0x4d44534c414e43L);
        basis[0] = startVector(rng, n, basis, 0);
        double norm = 0;
        Eigs result = null;
        int m = 0;
        for (int j = 0; j < maxSteps; j++) {
            applyB(d, n, basis[j], u, w);
            double a = dot(basis[j], w, n);
            alpha[j] = a;
            // full reorthogonalisation, twice (classical Gram-Schmidt twice is enough in double precision)
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p <= j; p++) {
                    double c = dot(basis[p], w, n);
                    axpy(-c, basis[p], w, n);
                }
            }
            double b = Math.sqrt(dot(w, w, n));
            beta[j] = b;
            norm = Math.max(norm, Math.abs(a) + b);
            m = j + 1;
            boolean last = m == maxSteps;
            boolean breakdown = b <= 1e-13 * Math.max(norm, Double.MIN_NORMAL);
            if (m >= dims && (last || breakdown || m % 5 == 0 || m == dims)) {
                result = ritz(alpha, beta, m, basis, n, dims, norm);
                if (result.converged || last) {
                    break;
                }
            }
            if (breakdown) {
                // an invariant subspace: continue in a fresh direction orthogonal to it
                beta[j] = 0;
                basis[j + 1] = startVector(rng, n, basis, j + 1);
                if (basis[j + 1] == null) {
                    result = ritz(alpha, beta, m, basis, n, dims, norm);
                    break;
                }
            } else {
                double[] next = new double[n];
                for (int i = 0; i < n; i++) {
                    next[i] = w[i] / b;
                }
                basis[j + 1] = next;
            }
        }
        return result;
    }

    /** A random unit vector orthogonal to the first {@code count} basis vectors, or null if none is left. */
    private static double[] startVector(SplittableRandom rng, int n, double[][] basis, int count) {
        for (int attempt = 0; attempt < 5; attempt++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = rng.nextDouble() - 0.5;
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < count; p++) {
                    axpy(-dot(basis[p], v, n), basis[p], v, n);
                }
            }
            double norm = Math.sqrt(dot(v, v, n));
            if (norm > 1e-8) {
                for (int i = 0; i < n; i++) {
                    v[i] /= norm;
                }
                return v;
            }
        }
        return null;
    }

    /** Ritz pairs of the tridiagonal T_m; converged when every wanted residual β_m·|s_m,k| is small. */
    private static Eigs ritz(double[] alpha, double[] beta, int m, double[][] basis, int n, int dims, double norm) {
        double[] t = new double[m * m];
        for (int i = 0; i < m; i++) {
            t[i * m + i] = alpha[i];
            if (i + 1 < m) {
                t[i * m + i + 1] = beta[i];
                t[(i + 1) * m + i] = beta[i];
            }
        }
        Eigs small = symmetricEigen(t, m, dims);
        double scale = Math.max(Math.abs(small.values[0]), 1e-300 + 1e-14 * norm);
        boolean converged = true;
        for (int k = 0; k < dims; k++) {
            double residual = Math.abs(beta[m - 1] * small.vectors[k * m + m - 1]);
            converged &= residual <= LANCZOS_TOLERANCE * scale || m == n;
        }
        double[] vec = new double[dims * n];
        for (int k = 0; k < dims; k++) {
            for (int p = 0; p < m; p++) {
                double s = small.vectors[k * m + p];
                double[] q = basis[p];
                for (int i = 0; i < n; i++) {
                    vec[k * n + i] += s * q[i];
                }
            }
        }
        return new Eigs(small.values, vec, converged);
    }

    private static double dot(double[] a, double[] b, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double c, double[] x, double[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] += c * x[i];
        }
    }

    /** Flips each axis so that its largest-magnitude coordinate (first on ties) is positive. */
    static void fixSigns(double[] x, int n, int dims) {
        for (int k = 0; k < dims; k++) {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (Math.abs(x[i * dims + k]) > Math.abs(x[best * dims + k])) {
                    best = i;
                }
            }
            if (x[best * dims + k] < 0) {
                for (int i = 0; i < n; i++) {
                    x[i * dims + k] = -x[i * dims + k];
                }
            }
        }
    }

    /** One Guttman transform: writes {@code next = (1/n) B(x) x} and returns the raw stress of {@code x}. */
    private static double guttman(double[] d, int n, int dims, double[] x, double[] next) {
        Arrays.fill(next, 0.0);
        double sigma = 0;
        double[] diff = new double[dims];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0;
                for (int k = 0; k < dims; k++) {
                    diff[k] = x[i * dims + k] - x[j * dims + k];
                    s += diff[k] * diff[k];
                }
                double dist = Math.sqrt(s);
                double delta = d[i * n + j];
                sigma += (delta - dist) * (delta - dist);
                if (dist > 0) {
                    // b_ij = −δ/dist: pulls i and j to distance δ along their current direction
                    double w = delta / dist;
                    for (int k = 0; k < dims; k++) {
                        next[i * dims + k] += w * diff[k];
                        next[j * dims + k] -= w * diff[k];
                    }
                }
            }
        }
        for (int i = 0; i < next.length; i++) {
            next[i] /= n;
        }
        return sigma;
    }

    /** Kruskal stress-1, raw stress, normalised stress. */
    private static double[] stresses(double[] d, int n, double[] x, int dims) {
        double raw = 0;
        double config = 0;
        double target = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0;
                for (int k = 0; k < dims; k++) {
                    double diff = x[i * dims + k] - x[j * dims + k];
                    s += diff * diff;
                }
                double delta = d[i * n + j];
                double dist = Math.sqrt(s);
                raw += (delta - dist) * (delta - dist);
                config += s;
                target += delta * delta;
            }
        }
        double kruskal = config > 0 ? Math.sqrt(raw / config) : (raw > 0 ? 1.0 : 0.0);
        double normalized = target > 0 ? Math.sqrt(raw / target) : 0.0;
        return new double[] {kruskal, raw, normalized};
    }
}
