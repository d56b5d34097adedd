package org.rnnatlas.core.dynamics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;

/**
 * Finds the fixed points and slow points of {@code s ↦ F(s, x*)} for one network and one condition input x*
 * (SPEC §5).
 *
 * <p><b>Objective.</b> Per candidate {@code q(s) = ½‖F(s, x*) − s‖²}, in double precision. Its gradient is the
 * vector–Jacobian product {@code ∇q = (∂F/∂s − I)ᵀ (F(s) − s)}, which {@link Cell#stepBackward} gives with the
 * upstream gradient {@code g = F(s) − s}.
 *
 * <p><b>Candidates.</b> {@link Options#candidates} states drawn with replacement from the given trajectory states,
 * plus isotropic Gaussian noise of standard deviation {@link Options#noise} (for relu cells, whose states have no
 * natural scale, the default makes the noise relative to the root-mean-square state entry; see
 * {@link Options#defaults}).
 *
 * <p><b>Phase 1: Adam on the mean q</b> over all candidates jointly (β₁ 0.9, β₂ 0.999). The rate adapts: ×0.95
 * when the newest mean q is worse than each of the previous 5, ×1/0.95 after 5 decreases in a row. It stops after
 * {@link Options#maxAdamIterations} or when the mean q improved by less than a fraction
 * {@link Options#stallTolerance} over the last {@link Options#stallWindow} iterations. Adam only has to bring the
 * candidates into the basins of Newton's method; phase 2 does the precise work, which is why the default length is
 * far below the 5,000 iterations SPEC allows.
 *
 * <p><b>Phase 2: Newton refinement</b> of each candidate, in order of increasing q, with the closed-form Jacobian
 * {@link Cell#stateJacobian}: solve {@code (J − I) δ = −(F(s) − s)} by LU with partial pivoting; when {@code J − I}
 * is ill-conditioned (pivot ratio below 1e-12) or the Newton step does not lower q, take a damped
 * Levenberg–Marquardt step {@code (AᵀA + μI) δ = −Aᵀ r} with {@code A = J − I}, raising μ tenfold until q falls.
 * A candidate stops when q &lt; {@link Options#newtonTolerance}, when no damped step lowers q, after
 * {@link Options#maxNewtonIterations}, or after 5 steps in a row that fail to halve q. A candidate whose iterate
 * comes within {@link Options#mergeDistance} of a point already refined to q ≤ {@link Options#fixedPointTolerance}
 * stops there and is counted as a duplicate: the merge below would remove it anyway, and this keeps the cost
 * proportional to the number of distinct fixed points rather than the number of candidates.
 *
 * <p><b>Filters.</b> Points with q ≤ {@link Options#fixedPointTolerance} are fixed points; the others with
 * q ≤ {@link Options#slowPointTolerance} are slow points, reported separately (a slow point within the merge
 * distance of a fixed point is dropped). Points farther from the centroid of the initial candidates than
 * {@link Options#outlierFactor} times the candidates' mean distance to it are dropped. Points closer than
 * {@link Options#mergeDistance} (L2) are merged, keeping the lowest q.
 *
 * <p>A finder is immutable and thread-safe; {@link #find} allocates its work arrays once per call, before its loops,
 * and is deterministic for a given generator state.
 */
public final class FixedPointFinder {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double ADAM_EPSILON = 1e-12;
    private static final double RATE_DOWN = 0.95;
    private static final int RATE_WINDOW = 5;
    /** LU pivot ratio below which J − I counts as ill-conditioned and Newton gives way to Levenberg–Marquardt. */
    private static final double PIVOT_RATIO = 1e-12;
    private static final int MAX_DAMPING_TRIALS = 12;
    private static final int MAX_POOR_STEPS = 3;

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
     * @param maxNewtonIterations Newton/LM steps per candidate at most (default 40)
     * @param newtonTolerance     Newton stops when q falls below this (default 1e-20)
     * @param fixedPointTolerance q at or below which a point is a fixed point (default 1e-8)
     * @param slowPointTolerance  q at or below which a non-fixed point is reported as a slow point (default 1e-4)
     * @param mergeDistance       points closer than this (L2) are merged, keeping the lowest q (default 1e-3)
     * @param outlierFactor       points farther from the candidates' centroid than this times the candidates' mean
     *                            distance to it are dropped (default 10)
     */
    public record Options(int candidates, double noise, boolean noiseRelative, double learningRate,
                          int maxAdamIterations, int stallWindow, double stallTolerance, int maxNewtonIterations,
                          double newtonTolerance, double fixedPointTolerance, double slowPointTolerance,
                          double mergeDistance, double outlierFactor) {

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
        }

        /**
         * SPEC §5's defaults for a cell with activation φ. Tanh: noise standard deviation 0.5 (states lie in
         * [−1, 1]). Relu: states have no fixed scale, so the noise is 0.5 times the root-mean-square entry of the
         * trajectory states, which for a tanh-like spread of states gives the same relative perturbation.
         */
        public static Options defaults(Activation activation) {
            Objects.requireNonNull(activation, "activation");
            boolean relative = activation == Activation.RELU;
            return new Options(1024, 0.5, relative, 0.05, 200, 20, 0.05, 40, 1e-20, 1e-8, 1e-4, 1e-3, 10.0);
        }

        public Options withCandidates(int n) {
            return new Options(n, noise, noiseRelative, learningRate, maxAdamIterations, stallWindow,
                    stallTolerance, maxNewtonIterations, newtonTolerance, fixedPointTolerance, slowPointTolerance,
                    mergeDistance, outlierFactor);
        }

        public Options withNoise(double std, boolean relative) {
            return new Options(candidates, std, relative, learningRate, maxAdamIterations, stallWindow,
                    stallTolerance, maxNewtonIterations, newtonTolerance, fixedPointTolerance, slowPointTolerance,
                    mergeDistance, outlierFactor);
        }

        public Options withAdam(double rate, int maxIterations, int window, double tolerance) {
            return new Options(candidates, noise, noiseRelative, rate, maxIterations, window, tolerance,
                    maxNewtonIterations, newtonTolerance, fixedPointTolerance, slowPointTolerance, mergeDistance,
                    outlierFactor);
        }

        public Options withNewton(int maxIterations, double tolerance) {
            return new Options(candidates, noise, noiseRelative, learningRate, maxAdamIterations, stallWindow,
                    stallTolerance, maxIterations, tolerance, fixedPointTolerance, slowPointTolerance,
                    mergeDistance, outlierFactor);
        }

        public Options withTolerances(double fixedPoint, double slowPoint) {
            return new Options(candidates, noise, noiseRelative, learningRate, maxAdamIterations, stallWindow,
                    stallTolerance, maxNewtonIterations, newtonTolerance, fixedPoint, slowPoint, mergeDistance,
                    outlierFactor);
        }

        public Options withFilters(double merge, double outlier) {
            return new Options(candidates, noise, noiseRelative, learningRate, maxAdamIterations, stallWindow,
                    stallTolerance, maxNewtonIterations, newtonTolerance, fixedPointTolerance, slowPointTolerance,
                    merge, outlier);
        }

        private static void positive(String name, double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(name + " must be a finite number > 0, got " + v);
            }
        }
    }

    /** A point found: its state and residual q = ½‖F(s, x*) − s‖². */
    public record Point(double[] state, double q) {
        public Point {
            state = state.clone();
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
     * @param newtonIterations  Newton/LM steps taken over all candidates
     * @param newtonConverged   candidates refined to q below the Newton tolerance
     * @param duplicates        candidates stopped early or merged because they reached an already found point
     * @param outliers          points dropped by the outlier rule
     * @param discarded         candidates whose final q exceeded the slow-point tolerance
     * @param noiseStd          the noise standard deviation used
     */
    public record Diagnostics(int adamIterations, double finalLearningRate, double adamMeanQ, long newtonIterations,
                              int newtonConverged, int duplicates, int outliers, int discarded, double noiseStd) {
    }

    /**
     * The result for one condition: fixed points (q ≤ the fixed-point tolerance) and slow points, each sorted by
     * increasing q.
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
    private final int stateSize;

    /**
     * @param params the network's parameters: the cell's blocks first (any readout blocks after them are ignored)
     */
    public FixedPointFinder(Cell cell, CellSpec spec, double[] params, Options options) {
        this.cell = Objects.requireNonNull(cell, "cell");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.options = Objects.requireNonNull(options, "options");
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
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(states, "states");
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
        for (double v : states) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("trajectory states contain a non-finite value (" + v + ")");
            }
        }
        int k = options.candidates();
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
        for (int c = 0; c < k; c++) {
            int from = rng.nextInt(count) * s;
            for (int d = 0; d < s; d++) {
                cand[c * s + d] = states[from + d] + std * rng.nextGaussian();
            }
        }
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

        Work w = new Work(cell, spec, s, k);
        double[] q = new double[k];
        AdamOutcome adam = adam(x, cand, q, w);
        NewtonOutcome newton = newton(x, cand, q, w);

        // classify, drop outliers, merge
        double limit = options.outlierFactor() * meanDist;
        int outliers = 0;
        int discarded = 0;
        List<Integer> fixed = new ArrayList<>();
        List<Integer> slow = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            if (newton.duplicate[c]) {
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
            (q[c] <= options.fixedPointTolerance() ? fixed : slow).add(c);
        }
        List<Integer> keptFixed = merge(cand, s, q, fixed, List.of(), options.mergeDistance());
        List<Integer> keptSlow = merge(cand, s, q, slow, keptFixed, options.mergeDistance());
        int duplicates = newton.duplicates + (fixed.size() - keptFixed.size()) + (slow.size() - keptSlow.size());
        Diagnostics diag = new Diagnostics(adam.iterations, adam.rate, adam.meanQ, newton.iterations,
                newton.converged, duplicates, outliers, discarded, std);
        return new Result(points(cand, s, q, keptFixed), points(cand, s, q, keptSlow), diag);
    }

    /** Work arrays, allocated once per {@link #find}. */
    private static final class Work {
        final double[] st;
        final double[] next;
        final double[] r;
        final double[] grad;
        final double[] trial;
        final double[] delta;
        final double[] rhs;
        final double[] jac;
        final double[] lu;
        final double[] normal;
        final int[] perm;
        final double[] scratch;
        final double[] m;
        final double[] v;

        Work(Cell cell, CellSpec spec, int s, int k) {
            st = new double[s];
            next = new double[s];
            r = new double[s];
            grad = new double[s];
            trial = new double[s];
            delta = new double[s];
            rhs = new double[s];
            jac = new double[s * s];
            lu = new double[s * s];
            normal = new double[s * s];
            perm = new int[s];
            scratch = new double[Math.max(1, cell.scratchSize(spec))];
            m = new double[k * s];
            v = new double[k * s];
        }
    }

    private record AdamOutcome(int iterations, double rate, double meanQ) {
    }

    private AdamOutcome adam(double[] x, double[] cand, double[] q, Work w) {
        int s = stateSize;
        int k = options.candidates();
        double rate = options.learningRate();
        double[] history = new double[RATE_WINDOW];
        int historyCount = 0;
        int decreases = 0;
        double previous = Double.POSITIVE_INFINITY;
        double best = Double.POSITIVE_INFINITY;
        double bestAtCheck = Double.POSITIVE_INFINITY;
        double b1t = 1.0;
        double b2t = 1.0;
        double meanQ = Double.NaN;
        int it = 0;
        for (; it < options.maxAdamIterations(); it++) {
            b1t *= BETA1;
            b2t *= BETA2;
            double c1 = 1.0 / (1.0 - b1t);
            double c2 = 1.0 / (1.0 - b2t);
            double sum = 0;
            for (int c = 0; c < k; c++) {
                int off = c * s;
                System.arraycopy(cand, off, w.st, 0, s);
                double qc = residual(x, w.st, w.next, w.r, w.scratch);
                q[c] = qc;
                sum += qc;
                // ∇q = (J − I)ᵀ r = Jᵀ r − r; the candidates are independent, so the gradient of the mean q is
                // this divided by K, a constant Adam is invariant to (ε is scaled accordingly)
                cell.stepBackward(spec, params, w.st, x, w.r, w.grad, null, null, w.scratch);
                for (int d = 0; d < s; d++) {
                    double g = w.grad[d] - w.r[d];
                    int i = off + d;
                    double mi = BETA1 * w.m[i] + (1.0 - BETA1) * g;
                    double vi = BETA2 * w.v[i] + (1.0 - BETA2) * g * g;
                    w.m[i] = mi;
                    w.v[i] = vi;
                    cand[i] -= rate * (mi * c1) / (Math.sqrt(vi * c2) + ADAM_EPSILON);
                }
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
        for (int c = 0; c < k; c++) {
            System.arraycopy(cand, c * s, w.st, 0, s);
            q[c] = residual(x, w.st, w.next, w.r, w.scratch);
            sum += q[c];
        }
        return new AdamOutcome(it, rate, sum / k);
    }

    private record NewtonOutcome(long iterations, int converged, int duplicates, boolean[] duplicate) {
    }

    private NewtonOutcome newton(double[] x, double[] cand, double[] q, Work w) {
        int s = stateSize;
        int k = options.candidates();
        Integer[] order = new Integer[k];
        for (int c = 0; c < k; c++) {
            order[c] = c;
        }
        Arrays.sort(order, (a, b) -> {
            int cmp = Double.compare(q[a], q[b]);
            return cmp != 0 ? cmp : Integer.compare(a, b);
        });
        boolean[] duplicate = new boolean[k];
        // states of candidates refined to fixed points so far, for the duplicate check
        double[] found = new double[k * s];
        int nFound = 0;
        long iterations = 0;
        int converged = 0;
        int duplicates = 0;
        double merge = options.mergeDistance();
        for (int idx = 0; idx < k; idx++) {
            int c = order[idx];
            int off = c * s;
            System.arraycopy(cand, off, w.st, 0, s);
            double qc = residual(x, w.st, w.next, w.r, w.scratch);
            double mu = -1; // Levenberg–Marquardt damping, set on first use
            int poor = 0;
            boolean dup = false;
            for (int it = 0; it < options.maxNewtonIterations() && qc >= options.newtonTolerance(); it++) {
                if (near(found, nFound, w.st, s, merge)) {
                    dup = true;
                    break;
                }
                iterations++;
                // r = F(s) − s is current in w.r; A = J − I
                cell.stateJacobian(spec, params, w.st, x, w.jac, w.scratch);
                for (int d = 0; d < s; d++) {
                    w.jac[d * s + d] -= 1.0;
                }
                double qt = Double.POSITIVE_INFINITY;
                System.arraycopy(w.jac, 0, w.lu, 0, s * s);
                if (mu < 0 && luFactor(w.lu, w.perm, s)) {
                    for (int d = 0; d < s; d++) {
                        w.rhs[d] = -w.r[d];
                    }
                    luSolve(w.lu, w.perm, s, w.rhs, w.delta);
                    qt = tryStep(x, w);
                }
                if (!(qt < qc)) {
                    // damped Gauss–Newton on ‖r‖²: (AᵀA + μI) δ = −Aᵀ r
                    normalEquations(w.jac, w.r, s, w.normal, w.rhs);
                    if (mu < 0) {
                        double maxDiag = 0;
                        for (int d = 0; d < s; d++) {
                            maxDiag = Math.max(maxDiag, w.normal[d * s + d]);
                        }
                        mu = 1e-6 * Math.max(maxDiag, 1e-300);
                    }
                    qt = Double.POSITIVE_INFINITY;
                    for (int trial = 0; trial < MAX_DAMPING_TRIALS; trial++) {
                        System.arraycopy(w.normal, 0, w.lu, 0, s * s);
                        for (int d = 0; d < s; d++) {
                            w.lu[d * s + d] += mu;
                        }
                        if (cholesky(w.lu, s)) {
                            choleskySolve(w.lu, s, w.rhs, w.delta);
                            qt = tryStep(x, w);
                            if (qt < qc) {
                                mu = Math.max(mu * 0.1, 1e-300);
                                break;
                            }
                        }
                        mu *= 10;
                    }
                    if (!(qt < qc)) {
                        break; // no damped step lowers q: no progress
                    }
                }
                // accept: tryStep left the trial state and its residual in trial / next
                poor = qt > 0.5 * qc ? poor + 1 : 0;
                System.arraycopy(w.trial, 0, w.st, 0, s);
                for (int d = 0; d < s; d++) {
                    w.r[d] = w.next[d] - w.st[d];
                }
                qc = qt;
                if (poor >= MAX_POOR_STEPS) {
                    break;
                }
            }
            if (!dup && near(found, nFound, w.st, s, merge) && qc <= options.fixedPointTolerance()) {
                dup = true; // arrived at a point already found
            }
            System.arraycopy(w.st, 0, cand, off, s);
            q[c] = qc;
            if (dup) {
                duplicate[c] = true;
                duplicates++;
                continue;
            }
            if (qc < options.newtonTolerance()) {
                converged++;
            }
            if (qc <= options.fixedPointTolerance()) {
                System.arraycopy(w.st, 0, found, nFound * s, s);
                nFound++;
            }
        }
        return new NewtonOutcome(iterations, converged, duplicates, duplicate);
    }

    /** trial = st + delta; returns q there, leaving F(trial) in next (r is not touched). */
    private double tryStep(double[] x, Work w) {
        int s = stateSize;
        for (int d = 0; d < s; d++) {
            w.trial[d] = w.st[d] + w.delta[d];
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

    private static List<Point> points(double[] cand, int s, double[] q, List<Integer> idx) {
        List<Point> out = new ArrayList<>(idx.size());
        for (int c : idx) {
            out.add(new Point(Arrays.copyOfRange(cand, c * s, (c + 1) * s), q[c]));
        }
        return out;
    }

    /** In-place LU with partial pivoting; false when the pivot ratio says the matrix is (nearly) singular. */
    static boolean luFactor(double[] a, int[] perm, int n) {
        double maxPivot = 0;
        double minPivot = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int col = 0; col < n; col++) {
            int p = col;
            double best = Math.abs(a[col * n + col]);
            for (int r = col + 1; r < n; r++) {
                double v = Math.abs(a[r * n + col]);
                if (v > best) {
                    best = v;
                    p = r;
                }
            }
            if (p != col) {
                for (int j = 0; j < n; j++) {
                    double t = a[col * n + j];
                    a[col * n + j] = a[p * n + j];
                    a[p * n + j] = t;
                }
                int t = perm[col];
                perm[col] = perm[p];
                perm[p] = t;
            }
            double pivot = a[col * n + col];
            maxPivot = Math.max(maxPivot, Math.abs(pivot));
            minPivot = Math.min(minPivot, Math.abs(pivot));
            if (pivot == 0 || !Double.isFinite(pivot)) {
                return false;
            }
            for (int r = col + 1; r < n; r++) {
                double f = a[r * n + col] / pivot;
                a[r * n + col] = f;
                if (f != 0) {
                    for (int j = col + 1; j < n; j++) {
                        a[r * n + j] -= f * a[col * n + j];
                    }
                }
            }
        }
        return minPivot > PIVOT_RATIO * maxPivot;
    }

    static void luSolve(double[] lu, int[] perm, int n, double[] b, double[] out) {
        for (int i = 0; i < n; i++) {
            double v = b[perm[i]];
            for (int j = 0; j < i; j++) {
                v -= lu[i * n + j] * out[j];
            }
            out[i] = v;
        }
        for (int i = n - 1; i >= 0; i--) {
            double v = out[i];
            for (int j = i + 1; j < n; j++) {
                v -= lu[i * n + j] * out[j];
            }
            out[i] = v / lu[i * n + i];
        }
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
