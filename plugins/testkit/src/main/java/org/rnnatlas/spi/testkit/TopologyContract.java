package org.rnnatlas.spi.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnatlas.spi.Condition;
import org.rnnatlas.spi.FixedPoint;
import org.rnnatlas.spi.Named;
import org.rnnatlas.spi.NetworkDynamics;
import org.rnnatlas.spi.Task;
import org.rnnatlas.spi.TaskShape;
import org.rnnatlas.spi.TopologyMetric;
import org.rnnatlas.spi.TopologyMetric.Topology;
import org.rnnatlas.spi.Trials;

/**
 * The contract every {@link TopologyMetric} plugin passes. A plugin's test is a few lines:
 * <pre>{@code
 * class TransitionGraphMetricTest extends TopologyContract {
 *     protected TopologyMetric metric() { return new TransitionGraphMetric(); }
 *     protected List<NetworkDynamics> networks() { return List.of(cube(2.0), cube(3.0)); }
 * }
 * }</pre>
 * where the networks are hand-built {@link NetworkDynamics} of a task the metric applies to, for example
 * {@link DecoupledTanhNetwork}.
 *
 * <p>What is checked: the name matches {@link Named#NAME}, the description is one line, the jar registers the class
 * with {@link ServiceLoader}, the public no-arg constructor gives the default options, options round-trip through
 * {@link TopologyMetric#configure} and unknown or bad options are refused; the metric applies to the fixtures' task
 * and not to an unknown task name; for every fixture (under the default options and each {@link #validOptions()}
 * setting) the topology has one row label per row and finite values; the same generator seed gives bit-identical
 * topologies; a topology is at distance exactly 0 from itself and from its same-seed recomputation; distances are
 * symmetric, and either NaN (undefined for the pair) or finite and ≥ 0; and at least one pair of fixtures is at a
 * distance other than 0 (the metric sees something).
 *
 * <p>Randomised checks run once per seed of {@link #seeds()}; {@code -Drnnatlas.tests.seed=N} replays a single seed.
 */
public abstract class TopologyContract {

    private static final long[] DEFAULT_SEEDS = {1L, 42L, -7L};

    /** A fresh instance of the metric under test with default options, as ServiceLoader would create it. */
    protected abstract TopologyMetric metric();

    /** At least two networks of one task the metric applies to, not all with the same topology. */
    protected abstract List<NetworkDynamics> networks();

    /** Option maps {@link TopologyMetric#configure} must accept; each configured metric runs the checks too. */
    protected List<Map<String, String>> validOptions() {
        return List.of();
    }

    /** Option maps {@link TopologyMetric#configure} must refuse (an unknown option is always tried as well). */
    protected List<Map<String, String>> invalidOptions() {
        return List.of();
    }

    /** Seeds for the randomised checks: {@code -Drnnatlas.tests.seed=N} replays one. */
    public static LongStream seeds() {
        String replay = System.getProperty("rnnatlas.tests.seed");
        if (replay != null && !replay.isBlank()) {
            return LongStream.of(Long.parseLong(replay.strip()));
        }
        return LongStream.of(DEFAULT_SEEDS);
    }

    private List<TopologyMetric> configurations() {
        List<TopologyMetric> out = new ArrayList<>();
        out.add(metric());
        for (Map<String, String> o : validOptions()) {
            out.add(metric().configure(o));
        }
        return out;
    }

    private static String where(long seed, TopologyMetric m) {
        return " [seed " + seed + ", " + m.name() + " " + m.options() + "; replay with -Drnnatlas.tests.seed=" + seed + "]";
    }

    // ------------------------------------------------------------------------------------------------ identity

    @Test
    void nameIsValid() {
        String name = metric().name();
        assertNotNull(name, "name()");
        assertTrue(Named.NAME.matcher(name).matches(), "name '" + name + "' must match " + Named.NAME.pattern());
    }

    @Test
    void descriptionIsOneLine() {
        String d = metric().description();
        assertFalse(d.isBlank(), "description() should say in one line what the metric is");
        assertFalse(d.contains("\n"), "description() must be one line: " + d);
    }

    @Test
    void discoveredByServiceLoader() {
        Class<?> type = metric().getClass();
        boolean found = ServiceLoader.load(TopologyMetric.class, type.getClassLoader()).stream()
                .anyMatch(p -> p.type().equals(type));
        assertTrue(found, type.getName() + " must be listed in META-INF/services/" + TopologyMetric.class.getName());
    }

    @Test
    void hasPublicNoArgConstructorWithDefaults() throws ReflectiveOperationException {
        Class<? extends TopologyMetric> type = metric().getClass();
        assertTrue(Modifier.isPublic(type.getModifiers()), type.getName() + " must be public");
        TopologyMetric viaReflection = type.getConstructor().newInstance();
        assertEquals(metric().name(), viaReflection.name());
        assertEquals(metric().options(), viaReflection.options(), "a new instance must carry the default options");
    }

    @Test
    void optionsRoundTrip() {
        for (TopologyMetric m : configurations()) {
            assertEquals(m.options(), metric().configure(m.options()).options(),
                    "configure(options()) must reproduce the options of " + m.name());
        }
        assertEquals(metric().options(), metric().configure(Map.of()).options(), "configure({}) keeps the defaults");
    }

    @Test
    void badOptionsAreRefused() {
        List<Map<String, String>> bad = new ArrayList<>(invalidOptions());
        bad.add(Map.of("no-such-option", "1"));
        for (Map<String, String> o : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> metric().configure(o),
                    "configure(" + o + ") must be refused");
            assertNotNull(e.getMessage(), "the refusal of " + o + " must say why");
        }
    }

    @Test
    void appliesToTheFixturesTaskOnly() {
        List<NetworkDynamics> nets = networks();
        assertTrue(nets.size() >= 2, "networks() must give at least two fixtures, got " + nets.size());
        for (NetworkDynamics n : nets) {
            assertTrue(metric().appliesTo(n.task().name()), metric().name() + " must apply to " + n.task().name());
        }
        assertFalse(metric().appliesTo("no-such-task"), "a metric must not claim an unknown task");
    }

    // ----------------------------------------------------------------------------------------------- properties

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void topologiesAreWellFormedAndDeterministic(long seed) {
        for (TopologyMetric m : configurations()) {
            for (NetworkDynamics n : networks()) {
                Topology a = m.topology(n, new SplittableRandom(seed));
                Topology b = m.topology(n, new SplittableRandom(seed));
                assertEquals(a.rows(), a.rowLabels().size(), "one row label per row" + where(seed, m));
                for (double v : a.values()) {
                    assertTrue(Double.isFinite(v), "topology values must be finite, got " + v + where(seed, m));
                }
                assertEquals(a.rows(), b.rows(), "same seed, same rows" + where(seed, m));
                assertEquals(a.cols(), b.cols(), "same seed, same cols" + where(seed, m));
                assertArrayEquals(a.values(), b.values(), "same seed must give a bit-identical matrix" + where(seed, m));
                assertEquals(a.rowLabels(), b.rowLabels(), "same seed, same row labels" + where(seed, m));
                assertEquals(0.0, m.distance(a, a), "distance of a topology to itself" + where(seed, m));
                assertEquals(0.0, m.distance(a, b), "distance to its same-seed recomputation" + where(seed, m));
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void distancesAreSymmetricAndNanOrFinite(long seed) {
        for (TopologyMetric m : configurations()) {
            List<Topology> ts = new ArrayList<>();
            SplittableRandom root = new SplittableRandom(seed);
            for (NetworkDynamics n : networks()) {
                ts.add(m.topology(n, root.split()));
            }
            boolean distinguishes = false;
            for (int i = 0; i < ts.size(); i++) {
                for (int j = 0; j < ts.size(); j++) {
                    double dij = m.distance(ts.get(i), ts.get(j));
                    double dji = m.distance(ts.get(j), ts.get(i));
                    assertTrue(Double.isNaN(dij) || (Double.isFinite(dij) && dij >= 0.0),
                            "distance must be NaN or finite and >= 0, got " + dij + where(seed, m));
                    if (Double.isNaN(dij)) {
                        assertTrue(Double.isNaN(dji), "NaN one way must be NaN the other" + where(seed, m));
                    } else {
                        assertEquals(dij, dji, 1e-12 * (1.0 + dij), "symmetry d(" + i + "," + j + ")" + where(seed, m));
                    }
                    distinguishes |= i != j && dij != 0.0;
                }
            }
            assertTrue(distinguishes, "the fixtures differ, yet every pair is at distance 0" + where(seed, m));
        }
    }

    // ----------------------------------------------------------------------------------------------- fixtures

    /**
     * A hand-built task: a name, shapes and condition inputs. {@link #sample} and {@link #probe} throw, since topology
     * metrics only read the conditions.
     */
    public record FixtureTask(String name, int inputs, int outputs, List<Condition> conditions) implements Task {
        public FixtureTask {
            Objects.requireNonNull(name, "name");
            conditions = List.copyOf(conditions);
        }

        /** The flip-flop's shape: M = K = 3 (or {@code bits}), one condition x* = 0. */
        public static FixtureTask flipFlop(int bits) {
            return new FixtureTask("flipflop", bits, bits, List.of(new Condition("zero", new double[bits])));
        }

        @Override
        public TaskShape shape() {
            return new TaskShape(inputs, outputs, 1);
        }

        @Override
        public void sample(RandomGenerator rng, int batch, float[] x, float[] y) {
            throw new UnsupportedOperationException("fixture task '" + name + "' has conditions only");
        }

        @Override
        public Trials probe() {
            throw new UnsupportedOperationException("fixture task '" + name + "' has conditions only");
        }
    }

    /**
     * A decoupled bistable map with known fixed points: {@code s'ᵢ = tanh(gᵢ sᵢ + x_{i mod M})}, readout y = c·s.
     *
     * <p>At x = 0 each coordinate with gain g &gt; 1 has three fixed points, 0 (|F'| = g &gt; 1, unstable) and ±a with
     * a = tanh(g a) (|F'| = g(1 − a²) &lt; 1, stable); a coordinate with g ≤ 1 has only 0 (stable when g &lt; 1). The
     * fixed points are all combinations, so D coordinates with gain &gt; 1 give 3^D points: 2^D stable corners, and a
     * point with k zero coordinates has k unstable dimensions. The Jacobian is diagonal, so the eigenvalues are the
     * gᵢ(1 − sᵢ²). A perturbation of a point with k zeros ends, for each zero coordinate, at the corner with the sign
     * of that coordinate's perturbation: a 1-saddle splits 50/50 between its two neighbouring corners.
     */
    public static final class DecoupledTanhNetwork implements NetworkDynamics {
        private final Task task;
        private final double[] gains;
        private final double readoutScale;
        private final double meanStateNorm;
        private final List<FixedPoint> fixedPoints;

        /** All 3^D fixed points (for gains &gt; 1), readout = state, mean state norm 1. */
        public DecoupledTanhNetwork(Task task, double... gains) {
            this(task, 1.0, 1.0, p -> true, gains);
        }

        /**
         * @param keep which of the fixed points the "finder" reports (to emulate missed points)
         */
        public DecoupledTanhNetwork(Task task, double readoutScale, double meanStateNorm, Predicate<FixedPoint> keep,
                                    double... gains) {
            this.task = Objects.requireNonNull(task, "task");
            this.gains = gains.clone();
            this.readoutScale = readoutScale;
            this.meanStateNorm = meanStateNorm;
            int d = gains.length;
            double[][] levels = new double[d][];
            for (int i = 0; i < d; i++) {
                levels[i] = gains[i] > 1.0 ? new double[] {-root(gains[i]), 0.0, root(gains[i])} : new double[] {0.0};
            }
            List<FixedPoint> pts = new ArrayList<>();
            int[] digit = new int[d];
            while (true) {
                double[] s = new double[d];
                for (int i = 0; i < d; i++) {
                    s[i] = levels[i][digit[i]];
                }
                FixedPoint p = point(s);
                if (keep.test(p)) {
                    pts.add(p);
                }
                int i = 0;
                while (i < d && ++digit[i] == levels[i].length) {
                    digit[i++] = 0;
                }
                if (i == d) {
                    break;
                }
            }
            this.fixedPoints = List.copyOf(pts);
        }

        /** The positive root of a = tanh(g a) for g &gt; 1, by Newton from a = 1. */
        public static double root(double g) {
            double a = 1.0;
            for (int it = 0; it < 100; it++) {
                double t = Math.tanh(g * a);
                double f = a - t;
                double df = 1.0 - g * (1.0 - t * t);
                double next = a - f / df;
                if (next == a) {
                    break;
                }
                a = next;
            }
            return a;
        }

        private FixedPoint point(double[] s) {
            int d = s.length;
            Double[] lam = new Double[d];
            int unstable = 0;
            for (int i = 0; i < d; i++) {
                lam[i] = gains[i] * (1.0 - s[i] * s[i]);
                unstable += Math.abs(lam[i]) > 1.0 ? 1 : 0;
            }
            Arrays.sort(lam, (a, b) -> Double.compare(Math.abs(b), Math.abs(a)));
            double[] re = new double[d];
            for (int i = 0; i < d; i++) {
                re[i] = lam[i];
            }
            double[] y = new double[d];
            readout(s, y);
            return new FixedPoint(s.clone(), 0, 0.0, y, re, new double[d], unstable);
        }

        @Override
        public Task task() {
            return task;
        }

        @Override
        public int stateSize() {
            return gains.length;
        }

        @Override
        public void step(double[] s, double[] x, double[] sNext) {
            int m = x.length;
            for (int i = 0; i < gains.length; i++) {
                sNext[i] = Math.tanh(gains[i] * s[i] + (m == 0 ? 0.0 : x[i % m]));
            }
        }

        @Override
        public void stepBatch(int batch, double[] s, double[] x, double[] sNext) {
            int n = gains.length;
            int m = x.length;
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < n; i++) {
                    sNext[b * n + i] = Math.tanh(gains[i] * s[b * n + i] + (m == 0 ? 0.0 : x[i % m]));
                }
            }
        }

        @Override
        public void readout(double[] s, double[] y) {
            for (int i = 0; i < y.length; i++) {
                y[i] = readoutScale * s[i];
            }
        }

        @Override
        public List<FixedPoint> fixedPoints() {
            return fixedPoints;
        }

        @Override
        public double meanStateNorm() {
            return meanStateNorm;
        }
    }

    /**
     * A network known only by its fixed points (for metrics that never iterate F, like nearest-neighbour graphs):
     * {@link #step} throws, so a metric that does iterate fails loudly.
     */
    public record FixedPointsOnly(Task task, int stateSize, List<FixedPoint> fixedPoints, double meanStateNorm)
            implements NetworkDynamics {
        public FixedPointsOnly {
            fixedPoints = List.copyOf(fixedPoints);
        }

        @Override
        public void step(double[] s, double[] x, double[] sNext) {
            throw new UnsupportedOperationException("this fixture has fixed points only; F is not defined");
        }

        @Override
        public void stepBatch(int batch, double[] s, double[] x, double[] sNext) {
            throw new UnsupportedOperationException("this fixture has fixed points only; F is not defined");
        }

        @Override
        public void readout(double[] s, double[] y) {
            throw new UnsupportedOperationException("this fixture has fixed points only; use FixedPoint.readout()");
        }
    }
}
