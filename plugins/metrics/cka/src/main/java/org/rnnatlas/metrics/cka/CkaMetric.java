package org.rnnatlas.metrics.cka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.Representation;
import org.rnnatlas.spi.SimilarityMetric;
import org.rnnatlas.metrics.support.Dense;
import org.rnnatlas.metrics.support.Spectra;
import org.rnnatlas.metrics.support.Tiles;

/**
 * Linear centred kernel alignment (CKA; Kornblith et al. 2019) as a distance (SPEC §4).
 *
 * <p>On centred X (samples × N_a) and Y (samples × N_b), with Gram matrices K = XXᵀ and L = YYᵀ,
 * <pre>
 *   CKA = ⟨K, L⟩_F / (‖K‖_F ‖L‖_F) = ‖YᵀX‖²_F / (‖XᵀX‖_F ‖YᵀY‖_F)  ∈ [0, 1]
 * </pre>
 * and the distance is {@code 1 − CKA} (option {@code form=linear}, default) or {@code arccos(CKA) / (π/2)}
 * ({@code form=angular}: the angle between K and L as vectors, divided by π/2 so that the range stays [0, 1]).
 *
 * <p><b>Debiased estimator</b> ({@code estimator=debiased}): HSIC is replaced by Song et al.'s (2012) unbiased
 * U-statistic, HSIC_u(K, L) = [tr(K̃L̃) + 1ᵀK̃1·1ᵀL̃1/((n−1)(n−2)) − 2/(n−2)·1ᵀK̃L̃1] / (n(n−3)) with K̃ = K with its
 * diagonal set to 0 and n samples. For centred X (K1 = 0) and d_a = diag(K) (squared row norms), this is
 * <pre>
 *   n(n−3)·HSIC_u = ‖YᵀX‖²_F + tr K·tr L/((n−1)(n−2)) − n/(n−2)·d_aᵀd_b ,
 * </pre>
 * and CKA_u = HSIC_u(K, L)/√(HSIC_u(K, K)·HSIC_u(L, L)). CKA_u can fall below 0 (less aligned than chance); it is
 * clipped to [0, 1] before forming the distance, so distances stay in [0, 1]. The debiased estimator is exact
 * only: its normaliser is not ‖K‖_F‖L‖_F, so the truncation bound below does not carry over, and
 * {@code tolerance} must be 0 (the default when {@code estimator=debiased} is chosen).
 *
 * <p><b>Truncation and its error bound</b> (option {@code tolerance} = t, default {@value #DEFAULT_TOLERANCE}; biased
 * estimator). With XᵀX = V Λ Vᵀ (λ₁ ≥ λ₂ ≥ …, λ_i = s_i²) a network is prepared as P = X V_r (= U_r S_r), whose Gram
 * matrix K̃ = PPᵀ = Σ_{i≤r} λ_i u_i u_iᵀ is K without its tail E = K − K̃ = Σ_{i>r} λ_i u_i u_iᵀ. E and K̃ are
 * positive semidefinite and ‖E‖_F = (Σ_{i>r} λ_i²)^{1/2} = (Σ_{i>r} s_i⁴)^{1/2}. The metric keeps the smallest r with
 * <pre>
 *   ε = ‖E‖_F / ‖K‖_F = (Σ_{i>r} λ_i² / Σ_i λ_i²)^{1/2} ≤ t .
 * </pre>
 * For two networks, ⟨K_a, K_b⟩ − ⟨K̃_a, K̃_b⟩ = ⟨E_a, K_b⟩ + ⟨K̃_a, E_b⟩, a sum of inner products of PSD matrices,
 * hence ≥ 0, and by Cauchy–Schwarz ≤ ‖E_a‖‖K_b‖ + ‖K̃_a‖‖E_b‖ ≤ (ε_a + ε_b)·‖K_a‖‖K_b‖ (‖K̃_a‖ ≤ ‖K_a‖). The
 * denominators ‖K‖_F are kept exact (‖K̃‖²_F + ‖E‖²_F). Two sharper bounds hold for inner products of PSD matrices,
 * ⟨E_a, K_b⟩ ≤ λ_max(E_a)·tr K_b = λ_{r+1}(a)·tr K_b and ⟨E_a, K_b⟩ ≤ tr E_a·λ_max(K_b) = (Σ_{i>r} λ_i(a))·λ₁(b)
 * (likewise for ⟨K̃_a, E_b⟩ with tr K̃_a ≤ tr K_a and λ_max(K̃_a) = λ₁(a)), and each pair uses the smallest of the
 * three. With isotropic noise in the tail the spectral one is several times tighter than Cauchy–Schwarz: the
 * synthetic population's ε ≈ 3e-3 gives per-pair widths of about 1e-3. So with c̃ = ⟨K̃_a, K̃_b⟩/(‖K_a‖‖K_b‖) and w
 * the sum of the two smallest bounds over ‖K_a‖‖K_b‖ (w ≤ ε_a + ε_b ≤ 2t), the exact CKA lies in [c̃, c̃ + w]. The
 * metric reports the middle of that interval:
 * <ul>
 *   <li>linear: CKA ≈ min(1, c̃ + w/2), so |error of the distance| ≤ w/2 ≤ t;</li>
 *   <li>angular: the midpoint of [arccos(min(1, c̃ + w)), arccos(c̃)], so |error| ≤ half that width ≤
 *       arccos(1 − 2t)/2 (arccos is concave on [0, 1], so an interval of length w loses most at its top end),
 *       i.e. ≤ arccos(1 − 2t)/π on the [0, 1] scale.</li>
 * </ul>
 * {@link #errorBound()} returns these bounds (0 for t = 0, when r = N and nothing is truncated). Rotations,
 * permutations and scaling of the units leave the spectrum, hence r and ε, unchanged. For a network with itself
 * c̃ = 1 − ε², so the linear distance is exactly 0.
 *
 * <p><b>Tile form.</b> {@link #distances} stacks the row networks' Pᵀ one under another (Σr_a × samples) and the
 * column networks' P side by side (samples × Σr_b), computes every block P_aᵀP_b with {@link Ops#gemm} (one product
 * per chunk of row networks at most {@value Tiles#ROW_CHUNK} rows tall) and reduces each block to its sum of squares in
 * double; the debiased estimator adds one small gemm for all d_aᵀd_b. P is stored transposed in
 * single precision (Pᵀ, r × samples, row-major), so the tile form agrees with the per-pair form to about 1e-5.
 */
public final class CkaMetric implements SimilarityMetric {

    /** Default truncation tolerance of the biased estimator (see the class comment for what it bounds). */
    public static final double DEFAULT_TOLERANCE = 5e-3;

    /** The HSIC estimator. */
    public enum Estimator { BIASED, DEBIASED }

    /** How CKA becomes a distance. */
    public enum Form { LINEAR, ANGULAR }

    private final Estimator estimator;
    private final Form form;
    private final double tolerance;

    /** The metric with default options (biased, linear, tolerance {@value #DEFAULT_TOLERANCE}); does no work. */
    public CkaMetric() {
        this(Estimator.BIASED, Form.LINEAR, DEFAULT_TOLERANCE);
    }

    private CkaMetric(Estimator estimator, Form form, double tolerance) {
        this.estimator = estimator;
        this.form = form;
        this.tolerance = tolerance;
    }

    /**
     * A prepared network: Pᵀ (r × samples, row-major, float) with ‖K‖_F, the relative truncation error ε, for the
     * debiased estimator the squared row norms d and tr K (all computed from the stored P, in double), and the
     * spectrum facts of the per-pair truncation bound.
     */
    record Features(int samples, int units, int r, float[] pt, double normK, double eps,
                    double[] rowNorms, double trace, double hsicSelf, Spectrum spectrum) implements Prepared {
    }

    /**
     * What the per-pair truncation bound needs: tr K (exact), λ₁, λ_{r+1} (the tail's largest eigenvalue) and the
     * tail's trace Σ_{i>r} λ_i (the last two 0 when nothing is truncated); all 0 with tolerance 0.
     */
    record Spectrum(double traceK, double top, double tailTop, double tailTrace) {
        static final Spectrum NONE = new Spectrum(0.0, 0.0, 0.0, 0.0);
    }

    @Override
    public String name() {
        return "cka";
    }

    @Override
    public String description() {
        return "Linear CKA: 1 - <XX', YY'> / (|XX'| |YY'|) on centred states (biased or debiased HSIC, linear or angular)";
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("estimator", estimator.name().toLowerCase(java.util.Locale.ROOT));
        o.put("form", form.name().toLowerCase(java.util.Locale.ROOT));
        o.put("tolerance", Double.toString(tolerance));
        return java.util.Collections.unmodifiableMap(o);
    }

    @Override
    public CkaMetric configure(Map<String, String> options) {
        Objects.requireNonNull(options, "options");
        Estimator e = estimator;
        Form f = form;
        Double t = null;
        for (Map.Entry<String, String> entry : options.entrySet()) {
            String v = entry.getValue() == null ? "" : entry.getValue().strip().toLowerCase(java.util.Locale.ROOT);
            switch (entry.getKey()) {
                case "estimator" -> e = switch (v) {
                    case "biased" -> Estimator.BIASED;
                    case "debiased" -> Estimator.DEBIASED;
                    default -> throw new IllegalArgumentException("cka option estimator: '" + entry.getValue()
                            + "' is not allowed; allowed: biased (default), debiased");
                };
                case "form" -> f = switch (v) {
                    case "linear" -> Form.LINEAR;
                    case "angular" -> Form.ANGULAR;
                    default -> throw new IllegalArgumentException("cka option form: '" + entry.getValue()
                            + "' is not allowed; allowed: linear (1 - CKA, default), angular (arccos(CKA)/(pi/2))");
                };
                case "tolerance" -> t = parseTolerance(entry.getValue());
                default -> throw new IllegalArgumentException("Metric 'cka' has no option '" + entry.getKey()
                        + "'. Allowed: estimator (biased|debiased), form (linear|angular), tolerance (>= 0, < 0.5)");
            }
        }
        double tol;
        if (e == Estimator.DEBIASED) {
            if (t != null && t > 0.0) {
                throw new IllegalArgumentException("cka: estimator=debiased is exact only, got tolerance=" + t
                        + "; use tolerance=0 (the truncation bound holds for the biased estimator only)");
            }
            tol = 0.0;
        } else {
            tol = t != null ? t : (estimator == Estimator.DEBIASED ? 0.0 : tolerance);
        }
        return new CkaMetric(e, f, tol);
    }

    private static double parseTolerance(String value) {
        double t;
        try {
            t = Double.parseDouble(value == null ? "" : value.strip());
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("cka option tolerance: '" + value
                    + "' is not a number; allowed: 0 (exact) or a bound on the CKA error below 0.5, e.g. 0.005", ex);
        }
        if (!(t >= 0.0 && t < 0.5)) {
            throw new IllegalArgumentException("cka option tolerance: " + value
                    + " is out of range; allowed: 0 (exact) or a bound on the CKA error below 0.5, e.g. 0.005");
        }
        return t;
    }

    @Override
    public double errorBound() {
        if (tolerance == 0.0) {
            return 0.0;
        }
        return form == Form.LINEAR ? tolerance : Math.acos(1.0 - 2.0 * tolerance) / Math.PI;
    }

    // -------------------------------------------------------------------------------------------------- prepare

    /** The Ops-free form: the same steps as {@link #prepare(Ops, Representation)} with plain loops in place of Ops. */
    @Override
    public Features prepare(Representation representation) {
        return prepare(null, representation);
    }

    /**
     * The per-network step on core's double kernels: the Gram matrix XᵀX and Pᵀ = V_rᵀXᵀ run on {@code ops}
     * ({@code null}: plain loops, see {@link Dense}).
     */
    @Override
    public Features prepare(Ops ops, Representation representation) {
        Objects.requireNonNull(representation, "representation");
        int s = representation.samples();
        int n = representation.units();
        int minSamples = estimator == Estimator.DEBIASED ? 4 : 2;
        if (s < minSamples || n < 1) {
            throw new IllegalArgumentException("cka (" + estimator.name().toLowerCase(java.util.Locale.ROOT)
                    + ") needs at least " + minSamples + " samples and 1 unit, got " + s + " x " + n);
        }
        representation = rescaled(representation);
        float[] p;
        int r;
        double tail = 0.0;
        Spectrum spectrum = Spectrum.NONE;
        // the centred data in both layouts: the Gram matrix and Pᵀ are NN products along contiguous rows
        Dense.Centred x = Dense.centre(representation);
        if (tolerance == 0.0) {
            // exact: P = X itself (any orthogonal V gives the same K), stored as Xᵀ
            r = n;
            checkVariance(x.sumOfSquares(ops), s, n);
            p = Dense.rowsToFloat(x.xt(), n, s);
        } else {
            double[] g = x.gram(ops);
            double total = 0.0;
            for (double gij : g) {
                total += gij * gij; // ‖XᵀX‖²_F = Σ λ_i², exactly from the Gram matrix
            }
            // before the eigensolver, which a constant or non-finite representation would only confuse
            checkVariance(total, s, n);
            double[] lambda = new double[n];
            double[] v = new double[n * n];
            Spectra.symmetricEigen(g, n, lambda, v);
            // smallest r whose tail Σ_{i>r} λ_i² is within t²·Σ λ_i²; the tail is summed from the bottom
            double[] tailFrom = new double[n + 1];
            for (int i = n - 1; i >= 0; i--) {
                double l = Math.max(lambda[i], 0.0);
                tailFrom[i] = tailFrom[i + 1] + l * l;
            }
            double limit = tolerance * tolerance * total;
            r = n;
            for (int k = 1; k <= n; k++) {
                if (tailFrom[k] <= limit) {
                    r = k;
                    break;
                }
            }
            tail = tailFrom[r];
            // the other network's bounds read tr K and λ₁ of this one even when nothing here is truncated
            double traceK = 0.0;
            for (int q = 0; q < n; q++) {
                traceK += g[q * n + q]; // tr K = tr XᵀX, exactly from the Gram matrix
            }
            double tailTrace = 0.0;
            for (int i = n - 1; i >= r; i--) {
                tailTrace += Math.max(lambda[i], 0.0);
            }
            spectrum = new Spectrum(traceK, Math.max(lambda[0], 0.0), r < n ? Math.max(lambda[r], 0.0) : 0.0,
                    tailTrace);
            // Pᵀ = V_rᵀ Xᵀ (r × samples), stored as is
            double[] vr = new double[n * r];
            for (int q = 0; q < n; q++) {
                System.arraycopy(v, q * n, vr, q * r, r);
            }
            p = Dense.rowsToFloat(x.project(ops, vr, r), r, s);
        }
        // ‖K̃‖²_F = ‖PᵀP‖²_F from the stored floats, so that a network with itself gives exactly 1 − ε²
        double[] pg = gramOfFloats(p, s, r);
        double kept = 0.0;
        for (double e : pg) {
            kept += e * e;
        }
        double normSq = kept + tail;
        checkVariance(normSq, s, n);
        double normK = Math.sqrt(normSq);
        double eps = Math.sqrt(tail / normSq);
        if (estimator == Estimator.BIASED) {
            return new Features(s, n, r, p, normK, eps, null, 0.0, 0.0, spectrum);
        }
        double[] d = new double[s];
        double trace = 0.0;
        for (int i = 0; i < s; i++) {
            double sum = 0.0;
            for (int j = 0; j < r; j++) {
                double e = p[j * s + i];
                sum += e * e;
            }
            d[i] = sum;
            trace += sum;
        }
        double dd = 0.0;
        for (double e : d) {
            dd += e * e;
        }
        double hsicSelf = hsicScaled(normSq, trace, trace, dd, s);
        if (!(hsicSelf > 0.0)) {
            throw new IllegalArgumentException("cka (debiased): the unbiased HSIC of the " + s + " x " + n
                    + " representation with itself is " + hsicSelf + " (not positive); too few samples or degenerate states");
        }
        return new Features(s, n, r, p, normK, eps, d, trace, hsicSelf, spectrum);
    }

    /**
     * CKA is invariant to scaling a representation, but the tiles multiply single-precision features whose squares
     * and sums overflow float (3.4e38) for states beyond about 1e6 (an untrained relu network can reach 1e38). Such a
     * representation is scaled by a power of two, which is exact, into [1, 2) at its largest entry; every stored
     * quantity (norms, traces, spectrum) is then that of the scaled data, consistently. Representations of ordinary
     * size are left untouched, so their distances do not change by a bit.
     */
    private static Representation rescaled(Representation r) {
        double max = 0.0;
        for (double v : r.data()) {
            max = Math.max(max, Math.abs(v));
        }
        if (!(max > 0.0) || !Double.isFinite(max)) {
            return r; // zero or non-finite: checkVariance names the problem
        }
        int k = Math.getExponent(max);
        if (Math.abs(k) <= RESCALE_EXPONENT) {
            return r;
        }
        double scale = Math.scalb(1.0, -k);
        double[] d = r.data();
        double[] out = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = d[i] * scale;
        }
        return new Representation(r.samples(), r.units(), out);
    }

    /** Representations whose largest entry lies outside [2^-20, 2^21) are rescaled by {@link #rescaled}. */
    static final int RESCALE_EXPONENT = 20;

    private static void checkVariance(double normSq, int s, int n) {
        if (!(normSq > 0.0) || !Double.isFinite(normSq)) {
            throw new IllegalArgumentException("cka: the representation (" + s + " x " + n + ") has "
                    + (Double.isFinite(normSq) ? "zero variance (every unit constant over the samples)" : "non-finite values")
                    + "; CKA is undefined");
        }
    }

    /** PᵀP (r × r) in double from Pᵀ (r × s, row-major, float): dot products of its rows. */
    private static double[] gramOfFloats(float[] pt, int s, int r) {
        double[] g = new double[r * r];
        for (int a = 0; a < r; a++) {
            for (int b = a; b < r; b++) {
                double sum = 0.0;
                int ra = a * s;
                int rb = b * s;
                for (int i = 0; i < s; i++) {
                    sum += (double) pt[ra + i] * pt[rb + i];
                }
                g[a * r + b] = sum;
                g[b * r + a] = sum;
            }
        }
        return g;
    }

    /** n(n−3)·HSIC_u from ‖YᵀX‖²_F, the traces and d_aᵀd_b (see the class comment). */
    private static double hsicScaled(double cross, double traceA, double traceB, double dd, int n) {
        return cross + traceA * traceB / ((n - 1.0) * (n - 2.0)) - n / (n - 2.0) * dd;
    }

    // ------------------------------------------------------------------------------------------------- distance

    @Override
    public double distance(Prepared a, Prepared b) {
        Features fa = features(a, "a");
        Features fb = features(b, "b");
        checkSamples(fa, fb);
        int s = fa.samples();
        int ra = fa.r();
        int rb = fb.r();
        double cross = 0.0;
        for (int i = 0; i < ra; i++) {
            for (int j = 0; j < rb; j++) {
                double dot = 0.0;
                for (int t = 0; t < s; t++) {
                    dot += (double) fa.pt()[i * s + t] * fb.pt()[j * s + t];
                }
                cross += dot * dot;
            }
        }
        double dd = 0.0;
        if (estimator == Estimator.DEBIASED) {
            for (int t = 0; t < s; t++) {
                dd += fa.rowNorms()[t] * fb.rowNorms()[t];
            }
        }
        return fromCross(fa, fb, cross, dd);
    }

    /** The distance from ‖P_aᵀP_b‖²_F (and d_aᵀd_b for the debiased estimator). */
    private double fromCross(Features fa, Features fb, double cross, double dd) {
        if (estimator == Estimator.DEBIASED) {
            double h = hsicScaled(cross, fa.trace(), fb.trace(), dd, fa.samples());
            double cka = Tiles.clip01(h / Math.sqrt(fa.hsicSelf() * fb.hsicSelf()));
            return form == Form.LINEAR ? 1.0 - cka : Math.acos(cka) / (Math.PI / 2.0);
        }
        double norms = fa.normK() * fb.normK();
        double lo = cross / norms;
        double w = width(fa, fb, norms);
        if (form == Form.LINEAR) {
            return Tiles.clip01(1.0 - Tiles.clip01(lo + 0.5 * w));
        }
        double top = Math.acos(Tiles.clip01(lo + w));
        double bottom = Math.acos(Tiles.clip01(lo));
        return Tiles.clip01(0.5 * (top + bottom) / (Math.PI / 2.0));
    }

    /**
     * The relative width w of the interval [c̃, c̃ + w] holding the exact CKA: the smallest of the three bounds on
     * ⟨E_a, K_b⟩ plus the smallest of the three on ⟨K̃_a, E_b⟩ (class comment), over ‖K_a‖‖K_b‖; ≤ ε_a + ε_b.
     */
    static double width(Features fa, Features fb, double norms) {
        Spectrum a = fa.spectrum();
        Spectrum b = fb.spectrum();
        double ea = fa.eps() * norms;
        if (fa.eps() > 0.0) {
            ea = Math.min(ea, Math.min(a.tailTop() * b.traceK(), a.tailTrace() * b.top()));
        }
        double eb = fb.eps() * norms;
        if (fb.eps() > 0.0) {
            eb = Math.min(eb, Math.min(b.tailTop() * a.traceK(), b.tailTrace() * a.top()));
        }
        return Math.min(fa.eps() + fb.eps(), (ea + eb) / norms);
    }

    @Override
    public void distances(Ops ops, List<? extends Prepared> rows, List<? extends Prepared> cols, double[] out) {
        Objects.requireNonNull(ops, "ops");
        int nr = rows.size();
        int nc = cols.size();
        if (!Tiles.checkOut(nr, nc, out)) {
            return;
        }
        Features[] rf = all(rows, "rows");
        Features[] cf = all(cols, "cols");
        for (Features f : rf) {
            checkSamples(rf[0], f);
        }
        for (Features f : cf) {
            checkSamples(rf[0], f);
        }
        int s = rf[0].samples();
        int[] rOff = offsets(rf);
        int[] cOff = offsets(cf);
        int wr = rOff[nr];
        int wc = cOff[nc];
        // A = the row networks' Pᵀ stacked (Σr_a × samples), B = the column networks' P side by side (samples × Σr_b):
        // C = A·B holds every block P_aᵀ P_b (the NN gemm runs ~15% faster here than TN)
        float[] a = Tiles.stackRows(pts(rf), rOff, s);
        float[] b = Tiles.stackColumns(pts(cf), cOff, s);
        float[] dd = null;
        if (estimator == Estimator.DEBIASED) {
            float[] da = rowNormColumns(rf, s);
            float[] db = rows == cols ? da : rowNormColumns(cf, s);
            dd = new float[nr * nc];
            ops.gemm(true, false, nr, nc, s, da, 0, nr, db, 0, nc, dd, 0, nc, false);
        }
        // all blocks P_aᵀ P_b (Σr_a × Σr_b), one gemm per chunk of row networks at most ROW_CHUNK wide (the gemm runs
        // ~20% faster at 1,600 rows than at 3,200, and C halves)
        int chunkMax = 0;
        for (int i0 = 0; i0 < nr; ) {
            int i1 = Tiles.rowChunkEnd(rOff, i0, nr);
            chunkMax = Math.max(chunkMax, rOff[i1] - rOff[i0]);
            i0 = i1;
        }
        float[] c = new float[chunkMax * wc];
        for (int i0 = 0; i0 < nr; ) {
            int i1 = Tiles.rowChunkEnd(rOff, i0, nr);
            ops.gemm(false, false, rOff[i1] - rOff[i0], wc, s, a, rOff[i0] * s, s, b, 0, wc, c, 0, wc, false);
            for (int i = i0; i < i1; i++) {
                int ra = rf[i].r();
                for (int j = 0; j < nc; j++) {
                    int rb = cf[j].r();
                    double cross = 0.0;
                    int off = (rOff[i] - rOff[i0]) * wc + cOff[j];
                    for (int p = 0; p < ra; p++) {
                        int row = off + p * wc;
                        for (int q = 0; q < rb; q++) {
                            double e = c[row + q];
                            cross += e * e;
                        }
                    }
                    out[i * nc + j] = fromCross(rf[i], cf[j], cross, dd == null ? 0.0 : dd[i * nc + j]);
                }
            }
            i0 = i1;
        }
    }

    /** Rows of C per gemm: chunks of row networks whose features together are at most this wide (at least one). */

    private static int[] offsets(Features[] f) {
        int[] widths = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            widths[i] = f[i].r();
        }
        return Tiles.offsets(widths);
    }

    private static float[][] pts(Features[] f) {
        float[][] p = new float[f.length][];
        for (int i = 0; i < f.length; i++) {
            p[i] = f[i].pt();
        }
        return p;
    }

    /** samples × networks, column n holding network n's squared row norms. */
    private static float[] rowNormColumns(Features[] f, int s) {
        float[] d = new float[s * f.length];
        for (int n = 0; n < f.length; n++) {
            double[] rn = f[n].rowNorms();
            for (int t = 0; t < s; t++) {
                d[t * f.length + n] = (float) rn[t];
            }
        }
        return d;
    }

    private Features[] all(List<? extends Prepared> list, String what) {
        Objects.requireNonNull(list, what);
        Features[] out = new Features[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = features(list.get(i), what + "[" + i + "]");
        }
        return out;
    }

    private Features features(Prepared p, String what) {
        Objects.requireNonNull(p, what);
        if (!(p instanceof Features f)) {
            throw new IllegalArgumentException("cka: " + what + " was prepared by another metric ("
                    + p.getClass().getName() + "); prepare it with cka");
        }
        if ((f.rowNorms() != null) != (estimator == Estimator.DEBIASED)) {
            throw new IllegalArgumentException("cka: " + what + " was prepared for the "
                    + (f.rowNorms() != null ? "debiased" : "biased") + " estimator; prepare it with this configuration "
                    + options());
        }
        return f;
    }

    private static void checkSamples(Features a, Features b) {
        Tiles.checkSamples("cka", a.samples(), b.samples());
    }

    @Override
    public String toString() {
        return "cka" + options();
    }
}
