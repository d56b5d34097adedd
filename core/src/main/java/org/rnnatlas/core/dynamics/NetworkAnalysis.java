package org.rnnatlas.core.dynamics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.rnnatlas.core.population.Seeds;
import org.rnnatlas.spi.Condition;
import org.rnnatlas.spi.FixedPoint;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.Task;
import org.rnnatlas.spi.TopologyMetric;

/**
 * The dynamics analysis of one network (SPEC §5–§6): for every condition input of its task, the fixed points and slow
 * points ({@link FixedPointFinder}), each linearised ({@link Linearisation}); then each applicable topology metric's
 * matrix over the fixed points.
 *
 * <p><b>Candidates.</b> For every condition, the finder samples its candidates from all of the network's probe
 * states (trials × T), the states the network visits on its task; noise and Adam move them to the fixed points of that
 * condition's input. (Choosing per-condition subsets of trials would need the task to say which trials belong to
 * which condition; all states work for every task and keep the analysis task-agnostic.)
 *
 * <p><b>Seeds.</b> When the task's probe trials carry an {@code input} attribute and the condition input is one
 * number (sine), the centre of the probe orbit for that input (the mean state of the probe trial whose input is
 * nearest, the point the oscillation circles) joins the candidates as a seed
 * ({@link FixedPointFinder#find(double[], double[], double[], java.util.random.RandomGenerator)}): the fixed point
 * that drives the oscillation then does not depend on a random candidate landing in its basin (two of the 21
 * conditions of a trained sine GRU had none without it).
 *
 * <p><b>CDI selection.</b> For the CDI task the topology metrics see only the fixed points within
 * {@link Options#cdiNearProbe} probe spreads of their context's probe states, the selection the CDI analysis of
 * {@link LinearAnalyses} uses: the nearest-neighbour graph and the matched distance then describe the line the network
 * integrates with, not the saturated fixed points far from it (all points stay in the result and fixed_points.npy).
 *
 * <p><b>Randomness.</b> Condition c's candidates draw from {@code SplittableRandom(Seeds.mix(seed, "fixed-points",
 * id, state, label_c))} and topology metric t's sampling from {@code Seeds.mix(seed, "topology", id, state, t)},
 * where state is {@code trained} or {@code untrained}: results do not depend on the order or thread in which networks
 * are analysed.
 */
public final class NetworkAnalysis {

    private NetworkAnalysis() {
    }

    /**
     * Options of the analysis.
     *
     * @param finder   overrides of the finder's defaults ({@link FixedPointFinder.Options#defaults} for each
     *                 network's activation), by key: {@value #FINDER_KEYS}
     * @param seed     base seed of every random stream (default 0)
     * @param topology the topology metrics to run; those whose {@link TopologyMetric#appliesTo} rejects the task are
     *                 skipped
     * @param cdiNearProbe CDI only: a fixed point is on the line the network uses, and enters the CDI analysis
     *                 ({@link LinearAnalyses}) and the topology metrics, when its distance to the nearest probe state
     *                 of its context is at most this many times those states' mean distance to their centroid
     *                 (default {@value LinearAnalyses#DEFAULT_CDI_NEAR_PROBE}, where the javadoc says why;
     *                 {@code Infinity} takes every point); recorded in linear.json as {@code near_probe_factor}
     */
    public record Options(Map<String, String> finder, long seed, List<TopologyMetric> topology, double cdiNearProbe) {
        public Options {
            finder = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(finder));
            topology = List.copyOf(topology);
            if (!(cdiNearProbe > 0)) {
                throw new IllegalArgumentException("cdiNearProbe must be > 0 (Infinity: every point), got "
                        + cdiNearProbe);
            }
            // validate the overrides once, up front, against both activations' defaults
            for (org.rnnatlas.spi.Activation a : org.rnnatlas.spi.Activation.values()) {
                finderOptions(a, "", finder);
            }
        }

        /** With the default {@link #cdiNearProbe}. */
        public Options(Map<String, String> finder, long seed, List<TopologyMetric> topology) {
            this(finder, seed, topology, LinearAnalyses.DEFAULT_CDI_NEAR_PROBE);
        }
    }

    /** The finder overrides {@link Options#finder} accepts. */
    public static final String FINDER_KEYS = "candidates, noise, noise_relative, learning_rate, adam_iterations,"
            + " newton_iterations, tolerance, slow_tolerance, merge_distance, outlier_factor, region_factor,"
            + " criterion (tolerance|verified)";

    /**
     * The CDI task's default fixed-point tolerance. A network trained for finitely many iterations integrates with an
     * approximate line attractor: its points along the line drift slowly (q of 1e-7 to 1e-5 on the trained demo
     * networks, a drift of at most ~0.005 per step, ~0.13 over a 30-step trial), so with SPEC's 1e-8 only a few isolated
     * points would pass and the line SPEC §6–§7 analyse would be missing. Override with {@code tolerance=…}.
     */
    public static final double CDI_TOLERANCE = 1e-5;

    /**
     * The finder options for a network with activation {@code a} trained on {@code task}: the defaults, with the
     * task's defaults, then {@code overrides} applied. Task defaults: {@code cdi} takes {@link #CDI_TOLERANCE} and
     * SPEC's tolerance criterion (points on an approximate line attractor are not isolated roots, so Newton cannot
     * verify them); every other task takes {@link FixedPointFinder.Criterion#VERIFIED}: a point within the tolerance
     * counts only when Newton converged there or its Newton step confirms a root within the merge distance. Without
     * it, relu kinks and the saturated gates of GRUs (where F(s) ≈ s far outside the states the network visits: ~280
     * spurious points per condition on a trained sine GRU) pass SPEC's q ≤ 1e-8 rule; they are reported as slow points
     * instead. {@code criterion=tolerance} restores SPEC's rule. Every task takes the finder's region rule with
     * {@link FixedPointFinder#DEFAULT_REGION_FACTOR} ({@code region_factor=Infinity} turns it off): candidates that
     * leave the region of the visited states are dropped, and Newton stops where the root it predicts lies outside
     * it (the GRU's saturated points again: a trained sine GRU's finder time 55 → 12 CPU seconds).
     */
    public static FixedPointFinder.Options finderOptions(org.rnnatlas.spi.Activation a, String task,
                                                         Map<String, String> overrides) {
        // the states are the network's own trajectories, so the region rule applies (see FixedPointFinder)
        FixedPointFinder.Options o = FixedPointFinder.Options.defaults(a)
                .withRegionFactor(FixedPointFinder.DEFAULT_REGION_FACTOR);
        if ("cdi".equals(task)) {
            o = o.withTolerances(CDI_TOLERANCE, Math.max(CDI_TOLERANCE, o.slowPointTolerance()));
        } else {
            o = o.withCriterion(FixedPointFinder.Criterion.VERIFIED);
        }
        for (var e : overrides.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            try {
                o = switch (k) {
                    case "candidates" -> o.withCandidates(Integer.parseInt(v));
                    case "noise" -> o.withNoise(Double.parseDouble(v), o.noiseRelative());
                    case "noise_relative" -> o.withNoise(o.noise(), parseBoolean(v));
                    case "learning_rate" -> o.withAdam(Double.parseDouble(v), o.maxAdamIterations(),
                            o.stallWindow(), o.stallTolerance());
                    case "adam_iterations" -> o.withAdam(o.learningRate(), Integer.parseInt(v), o.stallWindow(),
                            o.stallTolerance());
                    case "newton_iterations" -> o.withNewton(Integer.parseInt(v), o.newtonTolerance());
                    case "tolerance" -> o.withTolerances(Double.parseDouble(v),
                            Math.max(Double.parseDouble(v), o.slowPointTolerance()));
                    case "slow_tolerance" -> o.withTolerances(o.fixedPointTolerance(), Double.parseDouble(v));
                    case "merge_distance" -> o.withFilters(Double.parseDouble(v), o.outlierFactor());
                    case "outlier_factor" -> o.withFilters(o.mergeDistance(), Double.parseDouble(v));
                    case "region_factor" -> o.withRegionFactor(Double.parseDouble(v));
                    case "criterion" -> o.withCriterion(switch (v) {
                        case "tolerance" -> FixedPointFinder.Criterion.TOLERANCE;
                        case "verified" -> FixedPointFinder.Criterion.VERIFIED;
                        default -> throw new IllegalArgumentException("expected tolerance or verified");
                    });
                    default -> throw new DynamicsException("Unknown fixed-point finder option '" + k
                            + "'. Allowed: " + FINDER_KEYS);
                };
            } catch (NumberFormatException ex) {
                throw new DynamicsException("Finder option " + k + "=" + v + " is not a number");
            } catch (DynamicsException ex) {
                throw ex;
            } catch (IllegalArgumentException ex) {
                throw new DynamicsException("Finder option " + k + "=" + v + ": " + ex.getMessage());
            }
        }
        return o;
    }

    private static boolean parseBoolean(String v) {
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException("expected true or false");
    }

    /** What the finder did for one condition. */
    public record ConditionSummary(int condition, String label, int fixedPoints, int slowPoints,
                                   FixedPointFinder.Diagnostics diagnostics) {
    }

    /**
     * The analysis of one network.
     *
     * @param fixedPoints fixed points of every condition (condition order, then increasing q), linearised
     * @param slowPoints  slow points, same order and form
     * @param topologies  by metric name, for the applicable metrics (CDI: over the points within
     *                    {@code cdiNearProbe} probe spreads of their context's probe states)
     * @param cdiNearProbe the {@link Options#cdiNearProbe} in force
     */
    public record Result(String id, boolean untrained, String task, List<FixedPoint> fixedPoints,
                         List<FixedPoint> slowPoints, List<ConditionSummary> conditions,
                         Map<String, TopologyMetric.Topology> topologies, double meanStateNorm,
                         FixedPointFinder.Options finderOptions, Timing timing, double cdiNearProbe) {
        public Result {
            fixedPoints = List.copyOf(fixedPoints);
            slowPoints = List.copyOf(slowPoints);
            conditions = List.copyOf(conditions);
            topologies = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(topologies));
        }
    }

    /**
     * CPU seconds of the analysing thread per phase (not deterministic; stored in run.json only): the fixed-point
     * search over all conditions, the linearisations, and each topology metric.
     */
    public record Timing(double finderSeconds, double linearisationSeconds, Map<String, Double> topologySeconds) {
        public Timing {
            topologySeconds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(topologySeconds));
        }
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /** The current thread's CPU time in seconds, or wall time where the JVM does not measure thread CPU time. */
    static double cpuSeconds() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() / 1e9
                : System.nanoTime() / 1e9;
    }

    /** Label of the network state analysed: {@code trained} or {@code untrained}. */
    public static String stateLabel(boolean untrained) {
        return untrained ? "untrained" : "trained";
    }

    /** Runs the analysis; single-threaded and deterministic. */
    public static Result analyse(StoredNetwork net, Task task, Options options, Ops ops) {
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(ops, "ops");
        if (!task.name().equals(net.record().task())) {
            throw new IllegalArgumentException("network " + net.id() + " was trained on " + net.record().task()
                    + ", got task " + task.name());
        }
        FixedPointFinder.Options fo = finderOptions(net.spec().activation(), task.name(), options.finder());
        FixedPointFinder finder = new FixedPointFinder(net.cell(), net.spec(), net.params(), fo);
        String state = stateLabel(net.untrained());
        int hidden = net.spec().hidden();
        double[] w = net.readoutWeights();
        double[] b = net.readoutBias();
        List<FixedPoint> fixed = new ArrayList<>();
        List<FixedPoint> slow = new ArrayList<>();
        List<ConditionSummary> summaries = new ArrayList<>();
        List<Condition> conditions = task.conditions();
        org.rnnatlas.spi.Trials probe = task.probe();
        double[] probeInputs = probe.attributes().get("input");
        double finderSeconds = 0;
        double linearSeconds = 0;
        Map<String, Double> topologySeconds = new LinkedHashMap<>();
        for (int c = 0; c < conditions.size(); c++) {
            Condition cond = conditions.get(c);
            double[] x = cond.input();
            var rng = new SplittableRandom(Seeds.mix(options.seed(), "fixed-points", net.id(), state, cond.label()));
            double t0 = cpuSeconds();
            double[] seeds = probeInputs != null && x.length == 1
                    ? LinearAnalyses.orbitCentre(net, probe, probeInputs, x[0], net.model().stateSize())
                    : new double[0];
            FixedPointFinder.Result r = finder.find(x, net.probeStates(), seeds, rng);
            double t1 = cpuSeconds();
            finderSeconds += t1 - t0;
            for (FixedPointFinder.Point p : r.fixedPoints()) {
                fixed.add(linearised(net, p, c, x, hidden, w, b));
            }
            for (FixedPointFinder.Point p : r.slowPoints()) {
                slow.add(linearised(net, p, c, x, hidden, w, b));
            }
            linearSeconds += cpuSeconds() - t1;
            summaries.add(new ConditionSummary(c, cond.label(), r.fixedPoints().size(), r.slowPoints().size(),
                    r.diagnostics()));
        }
        double norm = net.meanStateNorm();
        // CDI: the topology metrics see the points on the line the network uses, as the CDI analysis does
        List<FixedPoint> forTopology = fixed;
        if ("cdi".equals(task.name())) {
            boolean[] near = LinearAnalyses.nearProbe(net, task, fixed, options.cdiNearProbe());
            forTopology = new ArrayList<>();
            for (int i = 0; i < fixed.size(); i++) {
                if (near[i]) {
                    forTopology.add(fixed.get(i));
                }
            }
        }
        NetworkSystem system = new NetworkSystem(task, net.cell(), net.spec(), net.params(), w, b, forTopology, norm,
                ops);
        Map<String, TopologyMetric.Topology> topologies = new LinkedHashMap<>();
        for (TopologyMetric metric : options.topology()) {
            if (!metric.appliesTo(task.name())) {
                continue;
            }
            var rng = new SplittableRandom(Seeds.mix(options.seed(), "topology", net.id(), state, metric.name()));
            double t0 = cpuSeconds();
            topologies.put(metric.name(), metric.topology(system, rng));
            topologySeconds.put(metric.name(), cpuSeconds() - t0);
        }
        return new Result(net.id(), net.untrained(), task.name(), fixed, slow, summaries, topologies, norm, fo,
                new Timing(finderSeconds, linearSeconds, topologySeconds), options.cdiNearProbe());
    }

    private static FixedPoint linearised(StoredNetwork net, FixedPointFinder.Point p, int condition, double[] x,
                                         int hidden, double[] w, double[] b) {
        double[] s = p.state();
        Linearisation lin = Linearisation.at(net.cell(), net.spec(), net.params(), s, x);
        return lin.toFixedPoint(s, condition, p.q(), Linearisation.readout(s, hidden, w, b));
    }
}
