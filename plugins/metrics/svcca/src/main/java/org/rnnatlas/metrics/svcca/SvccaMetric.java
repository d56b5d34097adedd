package org.rnnatlas.metrics.svcca;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ojalgo.matrix.decomposition.SingularValue;
import org.ojalgo.matrix.store.R064Store;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.Representation;
import org.rnnatlas.spi.SimilarityMetric;
import org.rnnatlas.metrics.support.Dense;
import org.rnnatlas.metrics.support.Spectra;
import org.rnnatlas.metrics.support.Tiles;

/**
 * SVCCA distance (SPEC §4; Raghu et al. 2017): the mean canonical correlation between the leading principal
 * subspaces of two representations, turned into a distance.
 *
 * <p>For a representation X (samples × N, columns centred) with thin SVD X = U S Vᵀ and singular values
 * s₁ ≥ s₂ ≥ …, keep the smallest k with Σ_{i≤k} s_i² ≥ θ · Σ_i s_i² (θ = option {@code threshold}, default 0.95)
 * and let Q = U[:, 1..k]. For two networks the canonical correlations of the reduced representations are the
 * singular values ρ₁ ≥ … ≥ ρ_m of Q_aᵀ Q_b, m = min(k_a, k_b), and
 * <pre>
 *   d(a, b) = 1 − (1/m) Σ_{i≤m} ρ_i ,   clipped to [0, 1].
 * </pre>
 * The distance is 0 for identical retained subspaces and 1 for orthogonal ones; it is invariant to any invertible
 * linear map of the units that leaves the retained subspace (the span of U_k) unchanged, in particular to
 * rotations, permutations and isotropic scaling of the units.
 *
 * <p><b>Preparation.</b> Instead of the SVD of the tall X (samples × N), {@link #prepare} eigendecomposes the small
 * Gram matrix XᵀX = V S² Vᵀ (N × N, double; eigenvectors by ojAlgo) and forms Q = X V_k S_k⁻¹. The trade-off:
 * eigenvalues of XᵀX are s², so a singular value s_i is resolved only to an absolute error of about ε·s₁²/s_i and Q's
 * columns lose orthogonality like ε·(s₁/s_k)². The retained components carry ≥ 95% of the variance, so s₁/s_k is
 * moderate; one modified Gram–Schmidt pass over Q (which keeps its span, all SVCCA depends on) then restores
 * orthonormality to rounding. The test suite checks the result against the direct SVD path ({@link #prepareBySvd}).
 * All of it stays in double precision: the products (the Gram matrix XᵀX = Xᵀ·X from the centred data in both
 * layouts, then Qᵀ = Wᵀ Xᵀ and the Gram–Schmidt dot products) run on core's double {@link Ops} kernels, handed over in
 * {@link #prepare(Ops, Representation)}; the Ops-free {@link #prepare(Representation)} runs the same steps with plain
 * loops. Q is stored transposed in single precision (Qᵀ, k × samples, row-major).
 *
 * <p><b>Tile form.</b> {@link #distances} stacks the row networks' Qᵀ one under another (Σk_a × samples) and the
 * column networks' Q side by side (samples × Σk_b), computes every block Q_aᵀ Q_b with {@link Ops#gemm} (one
 * product per chunk of row networks at most {@value Tiles#ROW_CHUNK} rows tall), then per pair forms the m × m Gram
 * matrix of the block in double and takes the square roots of its eigenvalues (Householder tridiagonalisation +
 * implicit QL): ρ_i = √λ_i(BᵀB) or √λ_i(BBᵀ). Nothing is allocated per pair.
 * The per-pair reference {@link #distance} instead takes the block in double and its SVD with ojAlgo.
 *
 * <p>Distances are exact up to rounding ({@link #errorBound()} = 0); the tile form agrees with the per-pair form to
 * single-precision accumulation over the samples (about 1e-5).
 */
public final class SvccaMetric implements SimilarityMetric {

    /** The default share of variance the retained components carry. */
    public static final double DEFAULT_THRESHOLD = 0.95;

    private final double threshold;

    /** The metric with default options; does no work. */
    public SvccaMetric() {
        this(DEFAULT_THRESHOLD);
    }

    private SvccaMetric(double threshold) {
        this.threshold = threshold;
    }

    /**
     * A prepared network: the orthonormal basis Q (samples × k) of its retained subspace, stored transposed: {@code qt}
     * is Qᵀ (k × samples, row-major, float), so each basis vector is a contiguous row (the layout the tile gemm's
     * left operand and the per-pair dot products read).
     */
    record Basis(int samples, int units, int k, float[] qt) implements Prepared {
        /** Q[sample][j]. */
        float at(int sample, int j) {
            return qt[j * samples + sample];
        }
    }

    @Override
    public String name() {
        return "svcca";
    }

    @Override
    public String description() {
        return "SVCCA: 1 - mean canonical correlation of the leading principal subspaces (threshold of variance)";
    }

    /** The share of variance the retained subspace carries. */
    public double threshold() {
        return threshold;
    }

    @Override
    public Map<String, String> options() {
        return Map.of("threshold", Double.toString(threshold));
    }

    @Override
    public SvccaMetric configure(Map<String, String> options) {
        Objects.requireNonNull(options, "options");
        double t = threshold;
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (!"threshold".equals(e.getKey())) {
                throw new IllegalArgumentException("Metric 'svcca' has no option '" + e.getKey()
                        + "'. Allowed: threshold (share of variance in (0, 1], default " + DEFAULT_THRESHOLD + ")");
            }
            t = parseThreshold(e.getValue());
        }
        return new SvccaMetric(t);
    }

    private static double parseThreshold(String value) {
        double t;
        try {
            t = Double.parseDouble(value == null ? "" : value.strip());
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("svcca option threshold: '" + value
                    + "' is not a number; allowed: a share of variance in (0, 1], e.g. 0.95 or 0.99", ex);
        }
        if (!(t > 0.0 && t <= 1.0)) {
            throw new IllegalArgumentException("svcca option threshold: " + value
                    + " is out of range; allowed: a share of variance in (0, 1], e.g. 0.95 or 0.99");
        }
        return t;
    }

    // -------------------------------------------------------------------------------------------------- prepare

    /** The Ops-free form: the same steps as {@link #prepare(Ops, Representation)} with plain loops in place of Ops. */
    @Override
    public Basis prepare(Representation representation) {
        return prepare(null, representation);
    }

    /**
     * The per-network step on core's double kernels: the Gram matrix XᵀX, WᵀXᵀ and the Gram–Schmidt dot products
     * run on {@code ops} ({@code null}: plain loops, see {@link Dense}).
     */
    @Override
    public Basis prepare(Ops ops, Representation representation) {
        Objects.requireNonNull(representation, "representation");
        int s = representation.samples();
        int n = representation.units();
        checkShape(s, n);
        // the centred data in both layouts, so that the Gram matrix and WᵀXᵀ are NN products along contiguous rows
        Dense.Centred x = Dense.centre(representation);
        double[] g = x.gram(ops);
        // the total variance from the trace of XᵀX: exact, unlike the sum of the eigenvalues; checked before the
        // eigensolver, which a constant or non-finite representation would only confuse
        double total = 0.0;
        for (int p = 0; p < n; p++) {
            total += g[p * n + p];
        }
        checkVariance(total, s, n);
        double[] values = new double[n];
        double[] v = new double[n * n];
        Spectra.symmetricEigen(g, n, values, v);
        int k = retained(values, total, s, n);
        // W = V_k S_k⁻¹ (n × k), then Qᵀ = Wᵀ Xᵀ (k × samples), orthonormalised along its rows
        double[] w = new double[n * k];
        for (int j = 0; j < k; j++) {
            double inv = 1.0 / Math.sqrt(values[j]);
            for (int p = 0; p < n; p++) {
                w[p * k + j] = v[p * n + j] * inv;
            }
        }
        double[] qt = x.project(ops, w, k);
        Dense.orthonormaliseRows(ops, qt, k, s);
        return new Basis(s, n, k, Dense.rowsToFloat(qt, k, s));
    }

    /**
     * The reference preparation: Q from the thin SVD of X itself (ojAlgo), no Gram matrix. Slower; the tests check
     * {@link #prepare} against it.
     */
    public Prepared prepareBySvd(Representation representation) {
        Objects.requireNonNull(representation, "representation");
        int s = representation.samples();
        int n = representation.units();
        checkShape(s, n);
        double[] x = Spectra.centred(representation);
        R064Store m = R064Store.FACTORY.make(s, n);
        for (int i = 0; i < s; i++) {
            for (int p = 0; p < n; p++) {
                m.set(i, p, x[i * n + p]);
            }
        }
        SingularValue<Double> svd = SingularValue.R064.make(m, false);
        if (!svd.decompose(m)) {
            throw new ArithmeticException("SVD of the " + s + "x" + n + " representation failed");
        }
        double[] sv = new double[Math.min(s, n)];
        svd.getSingularValues(sv);
        double[] sq = new double[sv.length];
        double total = 0.0;
        for (int i = 0; i < sv.length; i++) {
            sq[i] = sv[i] * sv[i];
        }
        for (int i = 0; i < s * n; i++) {
            total += x[i] * x[i];
        }
        int k = retained(sq, total, s, n);
        var u = svd.getU();
        float[] q = new float[s * k];
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < k; j++) {
                q[j * s + i] = (float) u.doubleValue(i, j);
            }
        }
        return new Basis(s, n, k, q);
    }

    private static void checkShape(int s, int n) {
        if (s < 2 || n < 1) {
            throw new IllegalArgumentException("svcca needs at least 2 samples and 1 unit, got " + s + " x " + n);
        }
    }

    private static void checkVariance(double total, int s, int n) {
        if (!(total > 0.0) || !Double.isFinite(total)) {
            throw new IllegalArgumentException("svcca: the representation (" + s + " x " + n + ") has "
                    + (Double.isFinite(total) ? "zero variance (every unit constant over the samples)"
                    : "non-finite values") + "; its principal subspace is undefined");
        }
    }

    /** The smallest k whose leading eigenvalues (descending) reach threshold · total. */
    private int retained(double[] values, double total, int s, int n) {
        checkVariance(total, s, n);
        double target = threshold * total;
        double cum = 0.0;
        int limit = Math.min(values.length, s - 1); // centring removes one dimension of the sample space
        for (int k = 1; k <= limit; k++) {
            cum += Math.max(values[k - 1], 0.0);
            // relative slack: with threshold 1 the sum of eigenvalues may round to just below the trace
            if (cum >= target * (1.0 - 1e-12)) {
                return k;
            }
        }
        // the eigenvalues' sum falls short of the trace only through rounding: keep every resolved component
        int k = 0;
        while (k < limit && values[k] > values[0] * 1e-13) {
            k++;
        }
        return Math.max(k, 1);
    }

    // ------------------------------------------------------------------------------------------------- distance

    @Override
    public double distance(Prepared a, Prepared b) {
        Basis pa = basis(a, "a");
        Basis pb = basis(b, "b");
        checkSamples(pa, pb);
        int s = pa.samples();
        int ka = pa.k();
        int kb = pb.k();
        R064Store block = R064Store.FACTORY.make(ka, kb);
        for (int i = 0; i < ka; i++) {
            for (int j = 0; j < kb; j++) {
                double dot = 0.0;
                for (int r = 0; r < s; r++) {
                    dot += (double) pa.qt()[i * s + r] * pb.qt()[j * s + r];
                }
                block.set(i, j, dot);
            }
        }
        SingularValue<Double> svd = SingularValue.R064.make(block);
        if (!svd.decompose(block)) {
            throw new ArithmeticException("SVD of the " + ka + "x" + kb + " canonical-correlation block failed");
        }
        double[] rho = new double[Math.min(ka, kb)];
        svd.getSingularValues(rho);
        double sum = 0.0;
        for (double r : rho) {
            sum += Math.min(r, 1.0);
        }
        return Tiles.clip01(1.0 - sum / rho.length);
    }

    @Override
    public void distances(Ops ops, List<? extends Prepared> rows, List<? extends Prepared> cols, double[] out) {
        Objects.requireNonNull(ops, "ops");
        int nr = rows.size();
        int nc = cols.size();
        if (!Tiles.checkOut(nr, nc, out)) {
            return;
        }
        Basis[] rb = bases(rows, "rows");
        Basis[] cb = bases(cols, "cols");
        int s = rb[0].samples();
        for (Basis b : rb) {
            checkSamples(rb[0], b);
        }
        for (Basis b : cb) {
            checkSamples(rb[0], b);
        }
        float[][] rq = new float[nr][];
        int[] rk = new int[nr];
        float[][] cq = new float[nc][];
        int[] ck = new int[nc];
        int maxK = 0;
        for (int i = 0; i < nr; i++) {
            rq[i] = rb[i].qt();
            rk[i] = rb[i].k();
            maxK = Math.max(maxK, rk[i]);
        }
        for (int j = 0; j < nc; j++) {
            cq[j] = cb[j].qt();
            ck[j] = cb[j].k();
            maxK = Math.max(maxK, ck[j]);
        }
        int[] rOff = Tiles.offsets(rk);
        int[] cOff = Tiles.offsets(ck);
        int wr = rOff[nr];
        int wc = cOff[nc];
        // A = [Q_a1 | Q_a2 | …]ᵀ (Σk_a × samples: the bases' rows one after another), B = [Q_b1 | Q_b2 | …]
        // (samples × Σk_b); C = A·B holds every block Q_aᵀ Q_b. The NN gemm runs ~15% faster here than TN.
        float[] a = Tiles.stackRows(rq, rOff, s);
        float[] b = Tiles.stackColumns(cq, cOff, s);
        // one gemm per chunk of row networks at most ROW_CHUNK wide (~20% faster at 1,600 rows than at 3,200; C halves)
        int chunkMax = 0;
        for (int i0 = 0; i0 < nr; ) {
            int i1 = Tiles.rowChunkEnd(rOff, i0, nr);
            chunkMax = Math.max(chunkMax, rOff[i1] - rOff[i0]);
            i0 = i1;
        }
        float[] c = new float[chunkMax * wc];
        double[] gram = new double[maxK * maxK];
        double[] values = new double[maxK];
        double[] work = new double[maxK];
        for (int i0 = 0; i0 < nr; ) {
            int i1 = Tiles.rowChunkEnd(rOff, i0, nr);
            ops.gemm(false, false, rOff[i1] - rOff[i0], wc, s, a, rOff[i0] * s, s, b, 0, wc, c, 0, wc, false);
            for (int i = i0; i < i1; i++) {
                int ka = rb[i].k();
                for (int j = 0; j < nc; j++) {
                    int kb = cb[j].k();
                    out[i * nc + j] = blockDistance(c, (rOff[i] - rOff[i0]) * wc + cOff[j], wc, ka, kb, gram, values,
                            work);
                }
            }
            i0 = i1;
        }
    }

    /** Rows of C per gemm: chunks of row networks whose bases together are at most this wide (at least one). */

    /**
     * 1 − mean singular value of the ka × kb block at {@code c[off + r*ld + col]}: the m × m Gram matrix of the
     * block along its longer side (m = min(ka, kb)) in double, its eigenvalues by tridiagonal QL, ρ = √λ.
     */
    private static double blockDistance(float[] c, int off, int ld, int ka, int kb, double[] gram,
                                        double[] values, double[] work) {
        int m = Math.min(ka, kb);
        if (ka <= kb) {
            // B Bᵀ (ka × ka)
            for (int p = 0; p < ka; p++) {
                for (int q = p; q < ka; q++) {
                    double dot = 0.0;
                    int rp = off + p * ld;
                    int rq = off + q * ld;
                    for (int t = 0; t < kb; t++) {
                        dot += (double) c[rp + t] * c[rq + t];
                    }
                    gram[p * m + q] = dot;
                    gram[q * m + p] = dot;
                }
            }
        } else {
            // Bᵀ B (kb × kb)
            for (int p = 0; p < kb; p++) {
                for (int q = p; q < kb; q++) {
                    double dot = 0.0;
                    for (int t = 0; t < ka; t++) {
                        int r = off + t * ld;
                        dot += (double) c[r + p] * c[r + q];
                    }
                    gram[p * m + q] = dot;
                    gram[q * m + p] = dot;
                }
            }
        }
        Spectra.tridiagonalEigenvalues(gram, m, values, work);
        double sum = 0.0;
        for (int p = 0; p < m; p++) {
            sum += Math.min(Math.sqrt(Math.max(values[p], 0.0)), 1.0);
        }
        return Tiles.clip01(1.0 - sum / m);
    }

    private static Basis[] bases(List<? extends Prepared> list, String what) {
        Objects.requireNonNull(list, what);
        Basis[] out = new Basis[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = basis(list.get(i), what + "[" + i + "]");
        }
        return out;
    }

    private static Basis basis(Prepared p, String what) {
        Objects.requireNonNull(p, what);
        if (!(p instanceof Basis b)) {
            throw new IllegalArgumentException("svcca: " + what + " was prepared by another metric ("
                    + p.getClass().getName() + "); prepare it with svcca");
        }
        return b;
    }

    private static void checkSamples(Basis a, Basis b) {
        Tiles.checkSamples("svcca", a.samples(), b.samples());
    }

    @Override
    public String toString() {
        return "svcca" + options();
    }
}
