package org.rnnatlas.core.dynamics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Ops;

/**
 * Finds the fixed points and slow points of {@code s ↦ F(s, x*)} for one network and one condition input x*
 * (SPEC §5).
 *
 * <p><b>Objective.</b> Per candidate {@code q(s) = ½‖F(s, x*) − s‖²}, in double precision. Its gradient is the
 * vector–Jacobian product {@code ∇q = (∂F/∂s − I)ᵀ r} with the residual {@code r = F(s) − s}, which
 * {@link Cell#stepBackwardBatch} gives for many candidates at once with the upstream gradient r.
 *
 * <p><b>Candidates.</b> {@link Options#candidates} states drawn with replacement from the given trajectory states,
 * plus isotropic Gaussian noise of standard deviation {@link Options#noise} (for relu cells, whose states have no
 * natural scale, the default makes the noise relative to the root-mean-square state entry; see
 * {@link Options#defaults}).
 *
 * <p><b>Phase 1: Adam on the mean q</b> over all candidates jointly (β₁ 0.9, β₂ 0.999). The candidates are
 * independent, so each iteration runs the batched step and state VJP ({@link Cell#stepBatch},
 * {@link Cell#stepBackwardBatch}) over blocks of {@value #ADAM_CHUNK} candidates, which keeps a block's states,
 * residuals and the cell's scratch in cache while the cell's products run as {@link Ops} matrix products. The rate
 * adapts: ×0.95 when the newest mean q is worse than each of the previous 5, ×1/0.95 after 5 decreases in a row. It
 * stops after {@link Options#maxAdamIterations} or when the mean q improved by less than a fraction
 * {@link Options#stallTolerance} over the last {@link Options#stallWindow} iterations. Adam only has to bring the
 * candidates into the basins of Newton's method; phase 2 does the precise work, which is why the default length is
 * far below the 5,000 iterations SPEC allows.
 *
 * <p><b>Region rule</b> (off in {@link Options#defaults}, SPEC's finder; {@link NetworkAnalysis} turns it on). The
 * region is the ball around the centroid of the trajectory states with radius {@link Options#regionFactor} times the
 * initial candidates' root-mean-square distance to that centroid (which includes the noise, so that the rule scales
 * with it). A candidate is dropped ({@link Diagnostics#drifted}) when Adam leaves it outside the region or a Newton
 * iterate leaves it; its Newton refinement stops, keeping the point, when the root the Newton step predicts
 * ({@code s + δ}) lies outside. Gated cells have wide regions where the gates saturate and F(s) ≈ s: q is tiny there,
 * Adam drifts many candidates into them, and Newton spends its whole budget on each without confirming a root while
 * its damped steps carry the candidate ever farther out (a trained sine GRU: ~13,000 Jacobians per condition, for
 * ~370 slow points 5 to 21 probe spreads from the visited states; its true fixed points lie within 1.3). Such points
 * say nothing about the computation on the task, which is what the analysis is for. The cost of the rule: a root
 * outside the region, or one Newton reaches only through a detour outside it, is missed (on a trained sine LSTM, 2 of
 * 27 roots, 2.2 and 2.7 spreads out; none the task's analyses use).
 *
 * <p><b>Phase 2: Newton refinement</b> of each candidate, in order of increasing q, with the closed-form Jacobian
 * {@link Cell#stateJacobian}: solve {@code A δ = −r} with {@code A = J − I} by LU with partial pivoting
 * ({@link DenseLu}). The Newton direction always descends on q ({@code ∇q·δ = −‖r‖²}), so when the full step does
 * not lower q the step is halved up to {@value #MAX_HALVINGS} times. When {@code A} is ill-conditioned (pivot ratio
 * below 1e-12) or no halved step lowers q, a damped Levenberg–Marquardt step {@code (AᵀA + μI) δ = −Aᵀ r} is taken,
 * μ rising tenfold until q falls. After a step that cut q at least fourfold the next step first tries the same
 * factors (a chord step: {@code δ = −A_old⁻¹ r}, no new Jacobian or factorisation) and keeps it if it again cuts q
 * fourfold; near a root, where Newton spends most of its steps, this halves the number of factorisations. The
 * factors of J − I near the first points found (up to 64 points and 2²⁰ doubles) are kept: before computing a new
 * Jacobian, a candidate first tries a chord step with the factors of the nearest point found so far and keeps them
 * while they cut q fourfold, so the many candidates that Adam leaves on their way to an attractor reach it without
 * factorisations of their own (the flip-flop vanilla network: 1,848 → 522 factorisations, same points).
 *
 * <p>A candidate stops when q &lt; {@link Options#newtonTolerance} (<i>converged</i>), when no damped step lowers
 * q, after {@link Options#maxNewtonIterations} steps, or after {@value #MAX_POOR_STEPS} steps in a row that fail to
 * halve q (it is then sitting in a slow region or at a kink of a relu map; a real root attracts Newton
 * quadratically), or after {@value #MAX_POOR_STEPS_WITHIN} such steps once q is within the fixed-point tolerance
 * (the point counts already; more steps could only confirm a root, which Newton would do quadratically). A
 * candidate whose iterate comes within {@link Options#mergeDistance} of a point already refined
 * to q ≤ {@link Options#fixedPointTolerance}, or of the end point of a candidate that stalled above it, stops there
 * and is counted as a duplicate: the merge below would remove it anyway, and this keeps the cost proportional to the
 * number of distinct points rather than the number of candidates.
 *
 * <p><b>Which points are fixed.</b> Every point with q ≤ {@link Options#fixedPointTolerance} also gets the Newton
 * step estimate {@code ‖(J − I)⁻¹ r‖}, the first-order distance to the root the linearisation predicts, and a
 * {@link Status}. A point is <i>verified</i> when Newton converged there, or when the estimate is below
 * {@link Options#mergeDistance} and the full Newton step from it cuts q at least fourfold (the linear model holds
 * there). A q below tolerance that fails this is {@link Status#UNVERIFIED}: typically a relu network, whose map is
 * piecewise linear, so that Newton is exact within one linear piece and stalls only where the piece's root lies
 * outside it — at a kink where q is small but not zero. Under {@link Criterion#TOLERANCE} (SPEC's rule, the
 * default) such points remain fixed points, marked unverified; under {@link Criterion#VERIFIED} they are reported
 * as slow points.
 *
 * <p><b>Filters.</b> The others with q ≤ {@link Options#slowPointTolerance} are slow points, reported separately (a
 * slow point within the merge distance of a fixed point is dropped). Points farther from the centroid of the
 * initial candidates than {@link Options#outlierFactor} times the candidates' mean distance to it are dropped.
 * Points closer than {@link Options#mergeDistance} (L2) are merged, keeping the lowest q.
 *
 * <p><b>Continua.</b> A map can have a continuum of fixed points (a line attractor: eigenvalue 1, J − I singular),
 * or a wide region of q within the tolerance where Newton confirms no root (a gated cell whose update gates
 * saturate, so that F(s) ≈ s). The merge keeps one point per merge distance, so such a set would give one point per
 * candidate, each with its own Newton work and eigendecomposition downstream. So after the merge the points that
 * are not isolated roots — within the tolerance but {@link Status#UNVERIFIED} or with J − I singular, and all slow
 * points — are linked to their {@value #CONTINUUM_NEIGHBOURS} nearest such neighbours when q stays within the
 * tolerance (the slow-point tolerance for slow points) at a quarter, half and three quarters of the segment between
 * them; each connected set keeps at most {@value #CONTINUUM_KEEP} points, the lowest q and then farthest-point
 * samples, which span the set. A converged or verified root with regular J − I is never dropped by this rule, so
 * saddles next to attractors stay. {@link Diagnostics#collapsed} counts the points dropped.
 *
 * <p>A finder is immutable and thread-safe; {@link #find} allocates its work arrays once per call, before its loops,
 * and is single-threaded and deterministic for a given generator state (the same on any machine for the same
 * {@link Ops}; the chunking does not change the result).
 */
public final class FixedPointFinder {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double ADAM_EPSILON = 1e-12;
    private static final double RATE_DOWN = 0.95;
    private static final int RATE_WINDOW = 5;
    /** Candidates per batched Adam block: 256 rows of a 64-unit state and the cell's gate buffers fit in L2. */
    static final int ADAM_CHUNK = 256;
    private static final int MAX_DAMPING_TRIALS = 12;
    private static final int MAX_HALVINGS = 4;
    private static final int MAX_POOR_STEPS = 8;
    /** At most this many found points keep their factors for other candidates' chord steps … */
    private static final int POOL_SLOTS = 64;
    /** … and at most this many doubles of factors in all (8 MB: 32 points of an LSTM-128's 256 states). */
    private static final int POOL_DOUBLES = 1 << 20;
    /** Poor steps in a row after which a candidate already within the fixed-point tolerance stops. */
    private static final int MAX_POOR_STEPS_WITHIN = 2;
    /** A connected set of non-isolated points keeps at most this many, spread out along it. */
    static final int CONTINUUM_KEEP = 8;
    /** Each non-isolated point is tested for a link with this many of its nearest neighbours. */
    private static final int CONTINUUM_NEIGHBOURS = 8;
    /** Where on a segment between two non-isolated points q is tested for a link (midpoint first). */
    private static final double[] SEGMENT_POINTS = {0.5, 0.25, 0.75};
    /**
     * The {@link Options#regionFactor} {@link NetworkAnalysis} uses. The initial candidates (states plus noise) lie about 2 probe spreads
     * from the probe centroid on the trained sine GRU, whose saturated points (F(s) ≈ s), where Adam and damped
     * Newton steps carry many candidates, lie 4.9 to 21 spreads out; its true fixed points lie within 1.3. A trained
     * sine LSTM has true fixed points up to 2.7 spreads out (2.2 times the candidates' distance); 3 keeps them inside
     * the region while still cutting the GRU's Newton work fivefold (factor 2 lost two more of them).
     */
    public static final double DEFAULT_REGION_FACTOR = 3.0;
    /** A step "works" (keeps its factors for a chord step; verifies a point) when it cuts q by this factor. */
    private static final double GOOD_STEP = 0.25;

    /** Which points with q ≤ the fixed-point tolerance count as fixed points. */
    public enum Criterion {
        /** SPEC §5: every point with q ≤ the tolerance (unverified ones are marked {@link Status#UNVERIFIED}). */
        TOLERANCE,
        /** Only points Newton converged at or whose Newton step checks out; unverified points become slow points. */
        VERIFIED
    }

    /** How a reported point came out of the refinement. */
    public enum Status {
        /** Newton brought q below the Newton tolerance. */
        CONVERGED,
        /** q ≤ the fixed-point tolerance and the Newton step estimate is below the merge distance and works. */
        VERIFIED,
        /**
         * q ≤ the fixed-point tolerance but Newton stalled and a Newton step from the point does not confirm a
         * root within the merge distance (e.g. a kink of a relu map).
         */
        UNVERIFIED,
        /** q above the fixed-point tolerance: a slow point. */
        SLOW
    }

    /**
     * Options of the finder.
     *
     * @param candidates          number of candidates (default 1,024)
     * @param noise               standard deviation of the isotropic noise added to sampled states (default 0.5)
     * @param noiseRelative       when true, the standard deviation is {@code noise} times the root-mean-square
     *                            entry of the trajectory states (the relu default); when false it is absolute
     * @param learningRate        initial Adam rate (default 0.05)
     * @param maxAdamIterations   at most this many Adam iterations (default 200; SPEC's ceiling is 5,000)
     * @param stallWindow         Adam stops when the best mean q improved by less than {@code stallTolerance}
     *                            (relative) over this many iterations (default 20)
     * @param stallTolerance      see {@code stallWindow} (default 0.05)
     * @param maxNewtonIterations Newton/LM steps per candidate at most (default 60)
     * @param newtonTolerance     Newton stops when q falls below this (default 1e-20)
     * @param fixedPointTolerance q at or below which a point is a fixed point (default 1e-8)
     * @param slowPointTolerance  q at or below which a non-fixed point is reported as a slow point (default 1e-4)
     * @param mergeDistance       points closer than this (L2) are merged, keeping the lowest q (default 1e-3)
     * @param outlierFactor       points farther from the candidates' centroid than this times the candidates' mean
     *                            distance to it are dropped (default 10)
     * @param criterion           which points within the tolerance are fixed points (default
     *                            {@link Criterion#TOLERANCE}, SPEC's rule)
     * @param regionFactor        candidates that go (or whose Newton step points) farther from the centroid of the
     *                            trajectory states than this times the initial candidates' root-mean-square distance
     *                            to it are dropped (default Infinity: off, as SPEC; {@link NetworkAnalysis} uses
     *                            {@value #DEFAULT_REGION_FACTOR}); see the class comment
     */
    public record Options(int candidates, double noise, boolean noiseRelative, double learningRate,
                          int maxAdamIterations, int stallWindow, double stallTolerance, int maxNewtonIterations,
                          double newtonTolerance, double fixedPointTolerance, double slowPointTolerance,
                          double mergeDistance, double outlierFactor, Criterion criterion, double regionFactor) {

        public Options {
            positive("candidates", candidates);
            if (!(noise >= 0) || Double.isInfinite(noise)) {
                throw new IllegalArgumentException("noise must be a finite number >= 0, got " + noise);
            }
            positive("learningRate", learningRate);
            if (maxAdamIterations < 0) {
                throw new IllegalArgumentException("maxAdamIterations must be >= 0, got " + maxAdamIterations);
            }
            positive("stallWindow", stallWindow);
            if (!(stallTolerance >= 0 && stallTolerance < 1)) {
                throw new IllegalArgumentException("stallTolerance must be in [0, 1), got " + stallTolerance);
            }
            if (maxNewtonIterations < 0) {
                throw new IllegalArgumentException("maxNewtonIterations must be >= 0, got " + maxNewtonIterations);
            }
            positive("newtonTolerance", newtonTolerance);
            positive("fixedPointTolerance", fixedPointTolerance);
            if (!(slowPointTolerance >= fixedPointTolerance)) {
                throw new IllegalArgumentException("slowPointTolerance (" + slowPointTolerance
                        + ") must be >= fixedPointTolerance (" + fixedPointTolerance + ")");
            }
            positive("mergeDistance", mergeDistance);
            positive("outlierFactor", outlierFactor);
            Objects.requireNonNull(criterion, "criterion (allowed: TOLERANCE, VERIFIED)");
            if (!(regionFactor > 0)) {
                throw new IllegalArgumentException("regionFactor must be > 0 (Infinity turns the region rule off), got "
                        + regionFactor);
            }
        }

        /**
         * SPEC §5's defaults for a cell with activation φ. Tanh: noise standard deviation 0.5 (states lie in
         * [−1, 1]). Relu: states have no fixed scale, so the noise is 0.5 times the root-mean-square entry of the
         * trajectory states, which for a tanh-like spread of states gives the same relative perturbation.
         */
        public static Options defaults(Activation activation) {
            Objects.requireNonNull(activation, "activation");
            boolean relative = activation == Activation.RELU;
            return new Options(1024, 0.5, relative, 0.05, 200, 20, 0.05, 60, 1e-20, 1e-8, 1e-4, 1e-3, 10.0,
                    Criterion.TOLERANCE, Double.POSITIVE_INFINITY);
        }

        public Options withCandidates(int n) {
            return new Options(n, noise, noiseRelative, learningRate, maxAdamIterations, stallWindow,
                    stallTolerance, maxNewtonIterations, newtonTolerance, fixedPointTolerance, slowPointTolerance,
                    mergeDistance, outlierFactor, criterion, regionFactor);
        }

        public Options withNoise(double std, boolean relative) {
            return new Options(candidates, std, relative, learningRate, maxAdamIterations, stallWindow,
                    stallTolerance, maxNewtonIterations, newtonTolerance, fixedPointTolerance, slowPointTolerance,
                    mergeDistance, outlierFactor, criterion, regionFactor);
        }

        public Options withAdam(double rate, int maxIterations, int window, double tolerance) {
            return new Options(candidates, noise, noiseRelative, rate, maxIterations, window, tolerance,
                    maxNewtonIterations, newtonTolerance, fixedPointTolerance, slowPointTolerance, mergeDistance,
                    outlierFactor, criterion, regionFactor);
        }

        public Options withNewton(int maxIterations, double tolerance) {
            return new Options(candidates, noise, noiseRelative, learningRate, maxAdamIterations, stallWindow,
                    stallTolerance, maxIterations, tolerance, fixedPointTolerance, slowPointTolerance,
                    mergeDistance, outlierFactor, criterion, regionFactor);
        }

        public Options withTolerances(double fixedPoint, double slowPoint) {
            return new Options(candidates, noise, noiseRelative, learningRate, maxAdamIterations, stallWindow,
                    stallTolerance, maxNewtonIterations, newtonTolerance, fixedPoint, slowPoint, mergeDistance,
                    outlierFactor, criterion, regionFactor);
        }

        public Options withFilters(double merge, double outlier) {
            return new Options(candidates, noise, noiseRelative, learningRate, maxAdamIterations, stallWindow,
                    stallTolerance, maxNewtonIterations, newtonTolerance, fixedPointTolerance, slowPointTolerance,
                    merge, outlier, criterion, regionFactor);
        }

        public Options withRegionFactor(double factor) {
            return new Options(candidates, noise, noiseRelative, learningRate, maxAdamIterations, stallWindow,
                    stallTolerance, maxNewtonIterations, newtonTolerance, fixedPointTolerance, slowPointTolerance,
                    mergeDistance, outlierFactor, criterion, factor);
        }

        public Options withCriterion(Criterion c) {
            return new Options(candidates, noise, noiseRelative, learningRate, maxAdamIterations, stallWindow,
                    stallTolerance, maxNewtonIterations, newtonTolerance, fixedPointTolerance, slowPointTolerance,
                    mergeDistance, outlierFactor, c, regionFactor);
        }

        private static void positive(String name, double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(name + " must be a finite number > 0, got " + v);
            }
        }
    }

    /**
     * A point found.
     *
     * @param state        the state
     * @param q            its residual ½‖F(s, x*) − s‖²
     * @param status       how the refinement ended there (the reason a point within the tolerance is reported as
     *                     a slow point under {@link Criterion#VERIFIED} is {@link Status#UNVERIFIED})
     * @param stepEstimate the Newton step estimate ‖(J − I)⁻¹ r‖ at the point (infinite when J − I is singular to
     *                     working precision); NaN for points above the fixed-point tolerance, where it is not
     *                     computed
     */
    public record Point(double[] state, double q, Status status, double stepEstimate) {
        public Point {
            state = state.clone();
            Objects.requireNonNull(status, "status");
        }

        @Override
        public double[] state() {
            return state.clone();
        }
    }

    /**
     * What a run did.
     *
     * @param adamIterations    Adam iterations run
     * @param finalLearningRate the adapted Adam rate at the end
     * @param adamMeanQ         mean q over the candidates after Adam
     * @param newtonIterations  Newton/chord/LM steps taken over all candidates
     * @param jacobians         Jacobian evaluations (and factorisations) in the Newton phase
     * @param newtonConverged   candidates refined to q below the Newton tolerance
     * @param duplicates        candidates stopped early or merged because they reached an already found point
     * @param outliers          points dropped by the outlier rule
     * @param drifted           candidates dropped because Adam or Newton left the region of the trajectory
     *                          states ({@link Options#regionFactor})
     * @param discarded         candidates whose final q exceeded the slow-point tolerance
     * @param unverified        distinct points within the tolerance that failed the Newton check (fixed points
     *                          under {@link Criterion#TOLERANCE}, slow points under {@link Criterion#VERIFIED})
     * @param collapsed         points dropped because they lie on a connected set of non-isolated points that
     *                          keeps only {@value #CONTINUUM_KEEP} of them
     * @param noiseStd          the noise standard deviation used
     */
    public record Diagnostics(int adamIterations, double finalLearningRate, double adamMeanQ, long newtonIterations,
                              long jacobians, int newtonConverged, int duplicates, int outliers, int drifted,
                              int discarded,
                              int unverified, int collapsed, double noiseStd) {
    }

    /**
     * The result for one condition: fixed points and slow points, each sorted by increasing q.
     */
    public record Result(List<Point> fixedPoints, List<Point> slowPoints, Diagnostics diagnostics) {
        public Result {
            fixedPoints = List.copyOf(fixedPoints);
            slowPoints = List.copyOf(slowPoints);
        }
    }

    private final Cell cell;
    private final CellSpec spec;
    private final double[] params;
    private final Options options;
    private final Ops ops;
    private final int stateSize;
    private final int chunk;

    /**
     * A finder on the JVM's default kernels ({@link Kernels#ops()}).
     *
     * @param params the network's parameters: the cell's blocks first (any readout blocks after them are ignored)
     */
    public FixedPointFinder(Cell cell, CellSpec spec, double[] params, Options options) {
        this(cell, spec, params, options, Kernels.ops());
    }

    /**
     * @param params the network's parameters: the cell's blocks first (any readout blocks after them are ignored)
     * @param ops    the kernels the batched cell methods and the blocked LU use
     */
    public FixedPointFinder(Cell cell, CellSpec spec, double[] params, Options options, Ops ops) {
        this(cell, spec, params, options, ops, ADAM_CHUNK);
    }

    /** With another Adam block size, for the test that the result does not depend on it. */
    FixedPointFinder(Cell cell, CellSpec spec, double[] params, Options options, Ops ops, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
        }
        this.chunk = chunk;
        this.cell = Objects.requireNonNull(cell, "cell");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.options = Objects.requireNonNull(options, "options");
        this.ops = Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(params, "params");
        int need = cell.parameterCount(spec);
        if (params.length < need) {
            throw new IllegalArgumentException("cell " + cell.name() + " needs " + need + " parameters, got "
                    + params.length);
        }
        this.params = params.clone();
        this.stateSize = cell.stateSize(spec);
    }

    public Options options() {
        return options;
    }

    /**
     * Runs both phases and the filters for the condition input {@code x}.
     *
     * @param x      the condition input x* (M entries)
     * @param states trajectory states to sample candidates from, row-major {@code count × S}
     * @param rng    the only source of randomness: the same generator state gives the same result
     */
    public Result find(double[] x, double[] states, RandomGenerator rng) {
        return find(x, states, new double[0], rng);
    }

    /**
     * As {@link #find(double[], double[], RandomGenerator)}, with extra candidates: {@code seeds} (row-major
     * {@code n × S}, no noise added) join the {@link Options#candidates} random ones, after them. A caller that
     * knows where a fixed point should be (the centre of the orbit a sine network circles) seeds it there, so that
     * the point does not depend on a random candidate happening to land in its basin. The random candidates draw
     * the same values from {@code rng} with or without seeds.
     */
    public Result find(double[] x, double[] states, double[] seeds, RandomGenerator rng) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(states, "states");
        Objects.requireNonNull(seeds, "seeds");
        Objects.requireNonNull(rng, "rng");
        int s = stateSize;
        if (x.length != spec.inputs()) {
            throw new IllegalArgumentException("condition input has " + x.length + " entries, the cell takes "
                    + spec.inputs());
        }
        if (states.length == 0 || states.length % s != 0) {
            throw new IllegalArgumentException("states must hold count × S = count × " + s
                    + " values with count >= 1, got " + states.length);
        }
        if (seeds.length % s != 0) {
            throw new IllegalArgumentException("seeds must hold n × S = n × " + s + " values, got " + seeds.length);
        }
        for (double v : states) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("trajectory states contain a non-finite value (" + v + ")");
            }
        }
        for (double v : seeds) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("seeds contain a non-finite value (" + v + ")");
            }
        }
        int random = options.candidates();
        int k = random + seeds.length / s;
        double std = options.noise();
        if (options.noiseRelative()) {
            double ss = 0;
            for (double v : states) {
                ss += v * v;
            }
            std *= Math.sqrt(ss / states.length);
        }
        double[] cand = new double[k * s];
        int count = states.length / s;
        // draw order: for each candidate, the trajectory index, then S noise values
        for (int c = 0; c < random; c++) {
            int from = rng.nextInt(count) * s;
            for (int d = 0; d < s; d++) {
                cand[c * s + d] = states[from + d] + std * rng.nextGaussian();
            }
        }
        System.arraycopy(seeds, 0, cand, random * s, seeds.length);
        double[] centroid = new double[s];
        for (int c = 0; c < k; c++) {
            for (int d = 0; d < s; d++) {
                centroid[d] += cand[c * s + d];
            }
        }
        for (int d = 0; d < s; d++) {
            centroid[d] /= k;
        }
        double meanDist = 0;
        for (int c = 0; c < k; c++) {
            meanDist += distance(cand, c * s, centroid, 0, s);
        }
        meanDist /= k;
        // the region of the states the network visits: their centroid, and the initial candidates' root-mean-square
        // distance to it (which includes the noise, so that the rule scales with it)
        double[] visited = new double[s];
        for (int i = 0; i < count; i++) {
            for (int d = 0; d < s; d++) {
                visited[d] += states[i * s + d];
            }
        }
        for (int d = 0; d < s; d++) {
            visited[d] /= count;
        }
        double reach = 0;
        for (int c = 0; c < k; c++) {
            double e = distance(cand, c * s, visited, 0, s);
            reach += e * e;
        }
        reach = Math.sqrt(reach / k);

        Work w = new Work(cell, spec, s, k, x, chunk);
        double[] q = new double[k];
        AdamOutcome adam = adam(cand, q, w);
        // candidates Adam moved far outside the visited region: typically into saturated gates, where F(s) ≈ s
        // over a wide region, q is tiny, and Newton can confirm no root but spends its full budget trying (the
        // rule's threshold is the initial candidates' RMS distance, so the noise the candidates start with counts)
        boolean[] drifted = new boolean[k];
        int nDrifted = 0;
        double region = options.regionFactor() * reach;
        for (int c = 0; c < k; c++) {
            if (distance(cand, c * s, visited, 0, s) > region) {
                drifted[c] = true;
                nDrifted++;
            }
        }
        NewtonOutcome newton = newton(x, cand, q, drifted, visited, region, w);
        nDrifted += newton.drifted;

        // classify, drop outliers, check the points within the tolerance, merge
        double limit = options.outlierFactor() * meanDist;
        int outliers = 0;
        int discarded = 0;
        int unverified = 0;
        Status[] status = new Status[k];
        double[] estimate = new double[k];
        List<Integer> fixed = new ArrayList<>();
        List<Integer> slow = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            if (newton.duplicate[c] || drifted[c]) {
                continue;
            }
            if (!(q[c] <= options.slowPointTolerance())) {
                discarded++;
                continue;
            }
            if (distance(cand, c * s, centroid, 0, s) > limit) {
                outliers++;
                continue;
            }
            estimate[c] = Double.NaN;
            status[c] = Status.SLOW;
            if (q[c] <= options.fixedPointTolerance()) {
                System.arraycopy(cand, c * s, w.st, 0, s);
                estimate[c] = check(x, w);
                if (q[c] < options.newtonTolerance()) {
                    status[c] = Status.CONVERGED;
                } else {
                    status[c] = w.verified ? Status.VERIFIED : Status.UNVERIFIED;
                }
            }
            boolean isFixed = status[c] == Status.CONVERGED || status[c] == Status.VERIFIED
                    || (status[c] == Status.UNVERIFIED && options.criterion() == Criterion.TOLERANCE);
            (isFixed ? fixed : slow).add(c);
        }
        List<Integer> keptFixed = merge(cand, s, q, fixed, List.of(), options.mergeDistance());
        List<Integer> keptSlow = merge(cand, s, q, slow, keptFixed, options.mergeDistance());
        // bound the points of a continuum: an isolated root (Newton converged or verified, J − I regular) is never
        // touched; points within the tolerance that Newton could not confirm, or where J − I is singular, and all
        // slow points, are linked when the segment between them stays within the tolerance
        int merged = keptFixed.size() + keptSlow.size();
        keptFixed = collapse(x, cand, q, keptFixed, c -> status[c] == Status.UNVERIFIED
                || Double.isInfinite(estimate[c]), options.fixedPointTolerance(), w);
        keptSlow = collapse(x, cand, q, keptSlow, c -> true, options.slowPointTolerance(), w);
        int collapsed = merged - keptFixed.size() - keptSlow.size();
        for (int c : keptFixed) {
            unverified += status[c] == Status.UNVERIFIED ? 1 : 0;
        }
        for (int c : keptSlow) {
            unverified += status[c] == Status.UNVERIFIED ? 1 : 0;
        }
        int duplicates = newton.duplicates + (fixed.size() - keptFixed.size()) + (slow.size() - keptSlow.size());
        Diagnostics diag = new Diagnostics(adam.iterations, adam.rate, adam.meanQ, newton.iterations,
                newton.jacobians, newton.converged, duplicates, outliers, nDrifted, discarded, unverified, collapsed,
                std);
        return new Result(points(cand, s, q, status, estimate, keptFixed),
                points(cand, s, q, status, estimate, keptSlow), diag);
    }

    /** Work arrays, allocated once per {@link #find}. */
    private static final class Work {
        // Newton, one candidate at a time
        final double[] st;
        final double[] next;
        final double[] r;
        final double[] trial;
        final double[] delta;
        final double[] rhs;
        final double[] jac;
        final double[] lu;
        final double[] luWork;
        final double[] normal;
        /** Factors of J − I near the first found points (states in poolState), for chord steps of later candidates. */
        final double[][] poolLu;
        final int[][] poolPerm;
        final double[] poolState;
        final int[] perm;
        final double[] scratch;
        /** Set by {@link #check}: whether the point passed the Newton check. */
        boolean verified;
        /** The Levenberg–Marquardt damping after the last damped step. */
        double mu;
        // Adam, a block of candidates at a time
        final int chunk;
        final double[] xb;
        final double[] cs;
        final double[] cr;
        final double[] cg;
        final double[] batchScratch;
        final double[] m;
        final double[] v;

        Work(Cell cell, CellSpec spec, int s, int k, double[] x, int blockRows) {
            st = new double[s];
            next = new double[s];
            r = new double[s];
            trial = new double[s];
            delta = new double[s];
            rhs = new double[s];
            jac = new double[s * s];
            lu = new double[s * s];
            luWork = new double[Math.max(1, DenseLu.workSize(s))];
            normal = new double[s * s];
            perm = new int[s];
            int slots = Math.min(k, Math.max(1, Math.min(POOL_SLOTS, POOL_DOUBLES / (s * s))));
            poolLu = new double[slots][s * s];
            poolPerm = new int[slots][s];
            poolState = new double[slots * s];
            scratch = new double[Math.max(1, cell.scratchSize(spec))];
            chunk = Math.min(k, blockRows);
            int mIn = spec.inputs();
            // the condition input, repeated on every row of a block: written once
            xb = new double[Math.max(1, chunk * mIn)];
            for (int b = 0; b < chunk; b++) {
                System.arraycopy(x, 0, xb, b * mIn, mIn);
            }
            cs = new double[chunk * s];
            cr = new double[chunk * s];
            cg = new double[chunk * s];
            batchScratch = new double[Math.max(1, cell.batchScratchSize(spec, chunk))];
            m = new double[k * s];
            v = new double[k * s];
        }
    }

    private record AdamOutcome(int iterations, double rate, double meanQ) {
    }

    private AdamOutcome adam(double[] cand, double[] q, Work w) {
        int s = stateSize;
        int k = q.length;
        double rate = options.learningRate();
        double[] history = new double[RATE_WINDOW];
        int historyCount = 0;
        int decreases = 0;
        double previous = Double.POSITIVE_INFINITY;
        double best = Double.POSITIVE_INFINITY;
        double bestAtCheck = Double.POSITIVE_INFINITY;
        double b1t = 1.0;
        double b2t = 1.0;
        double meanQ;
        int it = 0;
        for (; it < options.maxAdamIterations(); it++) {
            b1t *= BETA1;
            b2t *= BETA2;
            double c1 = 1.0 / (1.0 - b1t);
            double c2 = 1.0 / (1.0 - b2t);
            for (int first = 0; first < k; first += w.chunk) {
                int rows = Math.min(w.chunk, k - first);
                int len = rows * s;
                int base = first * s;
                System.arraycopy(cand, base, w.cs, 0, len);
                cell.stepBatch(spec, ops, params, rows, w.cs, w.xb, w.cr, w.batchScratch);
                for (int b = 0; b < rows; b++) {
                    double acc = 0;
                    int off = b * s;
                    for (int d = 0; d < s; d++) {
                        double e = w.cr[off + d] - w.cs[off + d];
                        w.cr[off + d] = e;
                        acc += e * e;
                    }
                    q[first + b] = 0.5 * acc;
                }
                // ∇q = (J − I)ᵀ r = Jᵀ r − r; the candidates are independent, so the gradient of the mean q is
                // this divided by K, a constant Adam is invariant to (ε is scaled accordingly)
                cell.stepBackwardBatch(spec, ops, params, rows, w.cs, w.xb, w.cr, w.cg, w.batchScratch);
                for (int i = 0; i < len; i++) {
                    double g = w.cg[i] - w.cr[i];
                    int j = base + i;
                    double mi = BETA1 * w.m[j] + (1.0 - BETA1) * g;
                    double vi = BETA2 * w.v[j] + (1.0 - BETA2) * g * g;
                    w.m[j] = mi;
                    w.v[j] = vi;
                    cand[j] = w.cs[i] - rate * (mi * c1) / (Math.sqrt(vi * c2) + ADAM_EPSILON);
                }
            }
            // summed in candidate order, so the mean does not depend on the block size
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += q[c];
            }
            meanQ = sum / k;
            if (!Double.isFinite(meanQ)) {
                throw new IllegalStateException("fixed-point search diverged: mean q = " + meanQ
                        + " at Adam iteration " + it + " (cell " + cell.name() + "); lower the learning rate");
            }
            // adaptive rate: slow down when the newest q is worse than each of the previous 5 …
            if (historyCount == RATE_WINDOW) {
                boolean worse = true;
                for (double h : history) {
                    worse &= meanQ > h;
                }
                if (worse) {
                    rate *= RATE_DOWN;
                }
            }
            // … speed up after 5 decreases in a row
            if (meanQ < previous) {
                if (++decreases == RATE_WINDOW) {
                    rate /= RATE_DOWN;
                    decreases = 0;
                }
            } else {
                decreases = 0;
            }
            history[it % RATE_WINDOW] = meanQ;
            historyCount = Math.min(historyCount + 1, RATE_WINDOW);
            previous = meanQ;
            best = Math.min(best, meanQ);
            if ((it + 1) % options.stallWindow() == 0) {
                if (best > (1.0 - options.stallTolerance()) * bestAtCheck) {
                    it++;
                    break;
                }
                bestAtCheck = best;
            }
            if (meanQ < options.newtonTolerance()) {
                it++;
                break;
            }
        }
        // q at the final positions, for Newton's ordering
        double sum = 0;
        for (int first = 0; first < k; first += w.chunk) {
            int rows = Math.min(w.chunk, k - first);
            System.arraycopy(cand, first * s, w.cs, 0, rows * s);
            cell.stepBatch(spec, ops, params, rows, w.cs, w.xb, w.cr, w.batchScratch);
            for (int b = 0; b < rows; b++) {
                double acc = 0;
                for (int d = 0; d < s; d++) {
                    double e = w.cr[b * s + d] - w.cs[b * s + d];
                    acc += e * e;
                }
                q[first + b] = 0.5 * acc;
            }
        }
        for (int c = 0; c < k; c++) {
            sum += q[c];
        }
        return new AdamOutcome(it, rate, sum / k);
    }

    private record NewtonOutcome(long iterations, long jacobians, int converged, int duplicates, int drifted,
                                 boolean[] duplicate) {
    }

    /**
     * Newton refinement of every candidate not marked in {@code drifted}, in order of increasing q. A candidate whose
     * iterate leaves the region (farther than {@code region} from {@code visited}) stops and is marked drifted: the
     * damped steps in a flat region of q take it ever farther out without finding a root.
     */
    private NewtonOutcome newton(double[] x, double[] cand, double[] q, boolean[] drifted, double[] visited,
                                 double region, Work w) {
        int s = stateSize;
        int k = q.length;
        Integer[] order = new Integer[k];
        for (int c = 0; c < k; c++) {
            order[c] = c;
        }
        Arrays.sort(order, (a, b) -> {
            int cmp = Double.compare(q[a], q[b]);
            return cmp != 0 ? cmp : Integer.compare(a, b);
        });
        boolean[] duplicate = new boolean[k];
        // states of candidates refined to fixed points so far, and of candidates that stalled above the tolerance,
        // for the duplicate check
        double[] found = new double[k * s];
        int nFound = 0;
        double[] stalled = new double[k * s];
        int nStalled = 0;
        long iterations = 0;
        long jacobians = 0;
        int converged = 0;
        int duplicates = 0;
        double merge = options.mergeDistance();
        double tolerance = options.fixedPointTolerance();
        int nPool = 0;
        int nOut = 0;
        for (int idx = 0; idx < k; idx++) {
            int c = order[idx];
            if (drifted[c]) {
                continue;
            }
            int off = c * s;
            System.arraycopy(cand, off, w.st, 0, s);
            double qc = residual(x, w.st, w.next, w.r, w.scratch);
            double mu = -1; // Levenberg–Marquardt damping, set on first use
            int poor = 0;
            // the factors a chord step uses: w.lu after a step that worked, or a found point's from the pool
            double[] chordLu = null;
            int[] chordPerm = null;
            int lastSlot = -1;
            boolean luValid = false; // w.lu holds the LU factors of J − I at a recent iterate
            boolean dup = false;
            boolean out = false;
            for (int it = 0; it < options.maxNewtonIterations() && qc >= options.newtonTolerance(); it++) {
                if (near(found, nFound, w.st, s, merge) || near(stalled, nStalled, w.st, s, merge)) {
                    dup = true;
                    break;
                }
                if (distance(w.st, 0, visited, 0, s) > region) {
                    out = true;
                    break;
                }
                iterations++;
                double qt = Double.POSITIVE_INFINITY;
                if (chordLu == null && nPool > 0) {
                    // before a new Jacobian, try the factors of the nearest point found so far: a candidate on its
                    // way there converges on them as on its own, at the cost of one solve and one step
                    int slot = nearest(w.poolState, nPool, w.st, s);
                    if (slot != lastSlot) {
                        lastSlot = slot;
                        chordLu = w.poolLu[slot];
                        chordPerm = w.poolPerm[slot];
                    }
                }
                if (chordLu != null) {
                    newtonDirection(chordLu, chordPerm, w);
                    qt = tryStep(x, w, 1.0);
                    if (!(qt < GOOD_STEP * qc)) {
                        chordLu = null;
                    }
                }
                if (chordLu == null) {
                    jacobians++;
                    // A = J − I
                    cell.stateJacobian(spec, params, w.st, x, w.jac, w.scratch);
                    for (int d = 0; d < s; d++) {
                        w.jac[d * s + d] -= 1.0;
                    }
                    qt = Double.POSITIVE_INFINITY;
                    System.arraycopy(w.jac, 0, w.lu, 0, s * s);
                    luValid = DenseLu.factor(w.lu, w.perm, s, ops, w.luWork);
                    if (luValid) {
                        newtonDirection(w.lu, w.perm, w);
                        // the root the linear model predicts lies outside the region: the candidate sits in a flat
                        // region of q (saturated gates), where the damped steps would only carry it out step by step;
                        // it stops here, as after a step without progress (a slow point here stays one)
                        if (distanceAfterStep(w.st, w.delta, visited, s) > region) {
                            break;
                        }
                        // backtracking along the Newton direction, which always descends on q
                        double alpha = 1.0;
                        for (int h = 0; h <= MAX_HALVINGS; h++, alpha *= 0.5) {
                            qt = tryStep(x, w, alpha);
                            if (qt < qc) {
                                break;
                            }
                        }
                        if (alpha == 1.0 && qt < GOOD_STEP * qc) {
                            chordLu = w.lu;
                            chordPerm = w.perm;
                        }
                    }
                    if (!(qt < qc)) {
                        // ill-conditioned, or no step along the Newton direction helps
                        luValid = false; // the damped solve overwrites w.lu
                        qt = levenbergMarquardt(x, w, qc, mu);
                        mu = w.mu;
                        if (!(qt < qc)) {
                            break; // no damped step lowers q: no progress
                        }
                    }
                }
                // accept: tryStep left the trial state and F there in trial / next
                poor = qt > 0.5 * qc ? poor + 1 : 0;
                System.arraycopy(w.trial, 0, w.st, 0, s);
                for (int d = 0; d < s; d++) {
                    w.r[d] = w.next[d] - w.st[d];
                }
                qc = qt;
                // within the tolerance the point counts already; Newton only has to confirm a root, which it does
                // quadratically, so poor steps there mean a flat region (a near-continuum of tiny q)
                if (poor >= MAX_POOR_STEPS || (qc <= tolerance && poor >= MAX_POOR_STEPS_WITHIN)) {
                    break;
                }
            }
            if (!dup && qc <= tolerance && near(found, nFound, w.st, s, merge)) {
                dup = true; // arrived at a point already found
            }
            System.arraycopy(w.st, 0, cand, off, s);
            q[c] = qc;
            if (!dup && !out && distance(w.st, 0, visited, 0, s) > region) {
                out = true; // the last step left the region
            }
            if (out) {
                drifted[c] = true;
                nOut++;
                continue;
            }
            if (dup) {
                duplicate[c] = true;
                duplicates++;
                continue;
            }
            if (qc < options.newtonTolerance()) {
                converged++;
            }
            if (qc <= tolerance) {
                System.arraycopy(w.st, 0, found, nFound * s, s);
                nFound++;
                if (luValid && nPool < w.poolLu.length) {
                    System.arraycopy(w.st, 0, w.poolState, nPool * s, s);
                    System.arraycopy(w.lu, 0, w.poolLu[nPool], 0, s * s);
                    System.arraycopy(w.perm, 0, w.poolPerm[nPool], 0, s);
                    nPool++;
                }
            } else {
                System.arraycopy(w.st, 0, stalled, nStalled * s, s);
                nStalled++;
            }
        }
        return new NewtonOutcome(iterations, jacobians, converged, duplicates, nOut, duplicate);
    }

    /** delta = −A⁻¹ r with the LU factors lu, perm. */
    private void newtonDirection(double[] lu, int[] perm, Work w) {
        int s = stateSize;
        for (int d = 0; d < s; d++) {
            w.rhs[d] = -w.r[d];
        }
        DenseLu.solve(lu, perm, s, w.rhs, w.delta);
    }

    /** ‖st + delta − centre‖. */
    private static double distanceAfterStep(double[] st, double[] delta, double[] centre, int s) {
        double acc = 0;
        for (int d = 0; d < s; d++) {
            double e = st[d] + delta[d] - centre[d];
            acc += e * e;
        }
        return Math.sqrt(acc);
    }

    /** Index of the row of {@code points} (n rows, S wide) nearest to st. */
    private static int nearest(double[] points, int n, double[] st, int s) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int f = 0; f < n; f++) {
            double acc = 0;
            int off = f * s;
            for (int d = 0; d < s && acc < bestD; d++) {
                double e = points[off + d] - st[d];
                acc += e * e;
            }
            if (acc < bestD) {
                bestD = acc;
                best = f;
            }
        }
        return best;
    }

    /**
     * Damped Gauss–Newton on ‖r‖² with A = J − I in w.jac: {@code (AᵀA + μI) δ = −Aᵀ r}, raising μ tenfold until q
     * falls below {@code qc}. Returns the q reached (not below qc when no damping works) and leaves μ in w.mu.
     */
    private double levenbergMarquardt(double[] x, Work w, double qc, double mu) {
        int s = stateSize;
        normalEquations(w.jac, w.r, s, w.normal, w.rhs);
        if (mu < 0) {
            double maxDiag = 0;
            for (int d = 0; d < s; d++) {
                maxDiag = Math.max(maxDiag, w.normal[d * s + d]);
            }
            mu = 1e-6 * Math.max(maxDiag, 1e-300);
        }
        double qt = Double.POSITIVE_INFINITY;
        for (int trial = 0; trial < MAX_DAMPING_TRIALS; trial++) {
            System.arraycopy(w.normal, 0, w.lu, 0, s * s);
            for (int d = 0; d < s; d++) {
                w.lu[d * s + d] += mu;
            }
            if (cholesky(w.lu, s)) {
                choleskySolve(w.lu, s, w.rhs, w.delta);
                qt = tryStep(x, w, 1.0);
                if (qt < qc) {
                    mu = Math.max(mu * 0.1, 1e-300);
                    break;
                }
            }
            mu *= 10;
        }
        w.mu = mu;
        return qt;
    }

    /**
     * The Newton check at the point in w.st: fills r, factors J − I and returns ‖(J − I)⁻¹ r‖ (infinite when the
     * factorisation fails). Sets w.verified when the estimate is below the merge distance and the full Newton step
     * cuts q at least fourfold, or q is already below the Newton tolerance.
     */
    private double check(double[] x, Work w) {
        int s = stateSize;
        double qc = residual(x, w.st, w.next, w.r, w.scratch);
        cell.stateJacobian(spec, params, w.st, x, w.jac, w.scratch);
        for (int d = 0; d < s; d++) {
            w.jac[d * s + d] -= 1.0;
        }
        System.arraycopy(w.jac, 0, w.lu, 0, s * s);
        if (!DenseLu.factor(w.lu, w.perm, s, ops, w.luWork)) {
            w.verified = qc < options.newtonTolerance();
            return Double.POSITIVE_INFINITY;
        }
        newtonDirection(w.lu, w.perm, w);
        double norm = 0;
        for (int d = 0; d < s; d++) {
            norm += w.delta[d] * w.delta[d];
        }
        norm = Math.sqrt(norm);
        double qt = tryStep(x, w, 1.0);
        w.verified = qc < options.newtonTolerance()
                || (norm <= options.mergeDistance() && qt <= GOOD_STEP * qc);
        return norm;
    }

    /** trial = st + alpha·delta; returns q there, leaving F(trial) in next (r is not touched). */
    private double tryStep(double[] x, Work w, double alpha) {
        int s = stateSize;
        for (int d = 0; d < s; d++) {
            w.trial[d] = w.st[d] + alpha * w.delta[d];
        }
        cell.step(spec, params, w.trial, x, w.next, w.scratch);
        double qt = 0;
        for (int d = 0; d < s; d++) {
            double e = w.next[d] - w.trial[d];
            qt += e * e;
        }
        qt *= 0.5;
        return Double.isNaN(qt) ? Double.POSITIVE_INFINITY : qt;
    }

    /** r = F(st) − st and q = ½‖r‖². */
    private double residual(double[] x, double[] st, double[] next, double[] r, double[] scratch) {
        cell.step(spec, params, st, x, next, scratch);
        double qc = 0;
        for (int d = 0; d < st.length; d++) {
            double e = next[d] - st[d];
            r[d] = e;
            qc += e * e;
        }
        return 0.5 * qc;
    }

    private static boolean near(double[] found, int n, double[] st, int s, double dist) {
        double d2 = dist * dist;
        for (int f = 0; f < n; f++) {
            double acc = 0;
            int off = f * s;
            for (int d = 0; d < s && acc < d2; d++) {
                double e = found[off + d] - st[d];
                acc += e * e;
            }
            if (acc < d2) {
                return true;
            }
        }
        return false;
    }

    /**
     * Greedy merge in order of increasing q: a point is kept unless it lies closer than {@code dist} to a point
     * kept before it or to one of {@code others}. Returns the kept candidate indices, sorted by q.
     */
    static List<Integer> merge(double[] points, int s, double[] q, List<Integer> indices, List<Integer> others,
                               double dist) {
        List<Integer> sorted = new ArrayList<>(indices);
        sorted.sort((a, b) -> {
            int cmp = Double.compare(q[a], q[b]);
            return cmp != 0 ? cmp : Integer.compare(a, b);
        });
        List<Integer> kept = new ArrayList<>();
        for (int c : sorted) {
            boolean close = false;
            for (int o : others) {
                close |= distance(points, c * s, points, o * s, s) < dist;
            }
            for (int o : kept) {
                close |= distance(points, c * s, points, o * s, s) < dist;
            }
            if (!close) {
                kept.add(c);
            }
        }
        return kept;
    }

    /**
     * Bounds the points of continua. Among {@code kept} (sorted by q), the points {@code member} selects are linked
     * to each of their {@value #CONTINUUM_NEIGHBOURS} nearest selected neighbours when q ≤ {@code tolerance} at a
     * quarter, half and three quarters of the segment between them; of each connected set of more than
     * {@value #CONTINUUM_KEEP} points only {@value #CONTINUUM_KEEP} stay: the lowest q, then each time the point
     * farthest from those already kept, so that the kept points span the set. Returns the kept indices, sorted by q.
     */
    private List<Integer> collapse(double[] x, double[] cand, double[] q, List<Integer> kept,
                                   java.util.function.IntPredicate member, double tolerance, Work w) {
        int s = stateSize;
        List<Integer> nodes = new ArrayList<>();
        for (int c : kept) {
            if (member.test(c)) {
                nodes.add(c);
            }
        }
        int n = nodes.size();
        if (n <= CONTINUUM_KEEP) {
            return kept;
        }
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        double[] dist = new double[n];
        Integer[] byDist = new Integer[n];
        for (int i = 0; i < n; i++) {
            int ci = nodes.get(i);
            for (int j = 0; j < n; j++) {
                dist[j] = distance(cand, ci * s, cand, nodes.get(j) * s, s);
                byDist[j] = j;
            }
            Arrays.sort(byDist, (a, b) -> Double.compare(dist[a], dist[b]));
            for (int r = 1; r <= Math.min(CONTINUUM_NEIGHBOURS, n - 1); r++) {
                int j = byDist[r];
                int ri = root(parent, i);
                int rj = root(parent, j);
                if (ri != rj && segmentWithin(x, cand, ci * s, nodes.get(j) * s, tolerance, w)) {
                    parent[Math.max(ri, rj)] = Math.min(ri, rj);
                }
            }
        }
        java.util.Set<Integer> drop = new java.util.HashSet<>();
        double[] minDist = new double[n];
        for (int r = 0; r < n; r++) {
            List<Integer> comp = new ArrayList<>(); // positions in nodes, in order of q
            for (int i = 0; i < n; i++) {
                if (root(parent, i) == r) {
                    comp.add(i);
                }
            }
            if (comp.size() <= CONTINUUM_KEEP) {
                continue;
            }
            // farthest-point sampling from the lowest q
            boolean[] chosen = new boolean[comp.size()];
            Arrays.fill(minDist, Double.POSITIVE_INFINITY);
            int pick = 0;
            for (int kept2 = 0; kept2 < CONTINUUM_KEEP; kept2++) {
                chosen[pick] = true;
                int cp = nodes.get(comp.get(pick));
                int next = -1;
                for (int m = 0; m < comp.size(); m++) {
                    if (chosen[m]) {
                        continue;
                    }
                    minDist[m] = Math.min(minDist[m], distance(cand, cp * s, cand, nodes.get(comp.get(m)) * s, s));
                    if (next < 0 || minDist[m] > minDist[next]) {
                        next = m;
                    }
                }
                pick = next;
            }
            for (int m = 0; m < comp.size(); m++) {
                if (!chosen[m]) {
                    drop.add(nodes.get(comp.get(m)));
                }
            }
        }
        List<Integer> out = new ArrayList<>(kept.size() - drop.size());
        for (int c : kept) {
            if (!drop.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /** Whether q ≤ tolerance at a quarter, half and three quarters of the segment from cand[a..] to cand[b..]. */
    private boolean segmentWithin(double[] x, double[] cand, int a, int b, double tolerance, Work w) {
        int s = stateSize;
        for (double t : SEGMENT_POINTS) {
            for (int d = 0; d < s; d++) {
                w.trial[d] = cand[a + d] + t * (cand[b + d] - cand[a + d]);
            }
            cell.step(spec, params, w.trial, x, w.next, w.scratch);
            double qt = 0;
            for (int d = 0; d < s; d++) {
                double e = w.next[d] - w.trial[d];
                qt += e * e;
            }
            if (!(0.5 * qt <= tolerance)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The outlier rule on its own: indices of {@code points} (row-major, S wide) that lie within {@code factor}
     * times the mean distance of {@code reference} to its centroid, measured from that centroid.
     */
    static List<Integer> inliers(double[] points, double[] reference, int s, double factor) {
        int n = reference.length / s;
        double[] centroid = new double[s];
        for (int c = 0; c < n; c++) {
            for (int d = 0; d < s; d++) {
                centroid[d] += reference[c * s + d] / n;
            }
        }
        double mean = 0;
        for (int c = 0; c < n; c++) {
            mean += distance(reference, c * s, centroid, 0, s) / n;
        }
        List<Integer> in = new ArrayList<>();
        for (int c = 0; c < points.length / s; c++) {
            if (distance(points, c * s, centroid, 0, s) <= factor * mean) {
                in.add(c);
            }
        }
        return in;
    }

    private static double distance(double[] a, int ao, double[] b, int bo, int s) {
        double acc = 0;
        for (int d = 0; d < s; d++) {
            double e = a[ao + d] - b[bo + d];
            acc += e * e;
        }
        return Math.sqrt(acc);
    }

    private static List<Point> points(double[] cand, int s, double[] q, Status[] status, double[] estimate,
                                      List<Integer> idx) {
        List<Point> out = new ArrayList<>(idx.size());
        for (int c : idx) {
            out.add(new Point(Arrays.copyOfRange(cand, c * s, (c + 1) * s), q[c], status[c], estimate[c]));
        }
        return out;
    }

    /** normal = AᵀA, rhs = −Aᵀ r (A row-major n×n). */
    private static void normalEquations(double[] a, double[] r, int n, double[] normal, double[] rhs) {
        Arrays.fill(normal, 0, n * n, 0.0);
        Arrays.fill(rhs, 0, n, 0.0);
        for (int k = 0; k < n; k++) {
            int row = k * n;
            double rk = r[k];
            for (int i = 0; i < n; i++) {
                double aki = a[row + i];
                if (aki == 0) {
                    continue;
                }
                rhs[i] -= aki * rk;
                int ni = i * n;
                for (int j = i; j < n; j++) {
                    normal[ni + j] += aki * a[row + j];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                normal[i * n + j] = normal[j * n + i];
            }
        }
    }

    /** In-place Cholesky (lower triangle); false when not positive definite. */
    private static boolean cholesky(double[] a, int n) {
        for (int j = 0; j < n; j++) {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) {
                d -= a[j * n + k] * a[j * n + k];
            }
            if (!(d > 0)) {
                return false;
            }
            double l = Math.sqrt(d);
            a[j * n + j] = l;
            for (int i = j + 1; i < n; i++) {
                double v = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    v -= a[i * n + k] * a[j * n + k];
                }
                a[i * n + j] = v / l;
            }
        }
        return true;
    }

    private static void choleskySolve(double[] l, int n, double[] b, double[] out) {
        for (int i = 0; i < n; i++) {
            double v = b[i];
            for (int k = 0; k < i; k++) {
                v -= l[i * n + k] * out[k];
            }
            out[i] = v / l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double v = out[i];
            for (int k = i + 1; k < n; k++) {
                v -= l[k * n + i] * out[k];
            }
            out[i] = v / l[i * n + i];
        }
    }
}
