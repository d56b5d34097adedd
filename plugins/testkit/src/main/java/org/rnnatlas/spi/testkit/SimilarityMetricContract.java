package org.rnnatlas.spi.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.spi.Named;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.Representation;
import org.rnnatlas.spi.SimilarityMetric;
import org.rnnatlas.spi.SimilarityMetric.Prepared;

/**
 * The contract every {@link SimilarityMetric} plugin passes. A plugin's test is a few lines:
 * <pre>{@code
 * class SvccaMetricTest extends SimilarityMetricContract {
 *     protected SimilarityMetric metric() { return new SvccaMetric(); }
 * }
 * }</pre>
 * plus a {@code golden.json} with reference distances beside the test class (see {@link SimilarityGolden}).
 *
 * <p>What is checked: the name matches {@link Named#NAME}, the jar registers the class with {@link ServiceLoader},
 * the public no-arg constructor gives the default options, options round-trip through {@link SimilarityMetric#configure}
 * and unknown or bad options are refused; on seeded synthetic networks (of random widths and latent dimensions), the
 * distance of a network to itself (prepared twice) is 0, distances are symmetric and lie in {@link SimilarityMetric#range},
 * they are unchanged by a random rotation, an isotropic scaling and a permutation of one network's units, different
 * networks are at a clearly positive distance; the tile form {@link SimilarityMetric#distances} equals the per-pair
 * form on tiles of 1×1, 3×5, 17×4 and a square tile of a list with itself, with the scalar kernels and with the kernels
 * core selects; prepared networks with different numbers of samples are refused with an
 * {@link IllegalArgumentException}; and the distances match the golden reference values.
 *
 * <p>Tolerances: per-pair results within {@link #tolerance()} of each other (rounding of the prepared single-precision
 * bases), plus the metric's own {@link SimilarityMetric#errorBound()} against exact values; the tile form within
 * {@link #tileTolerance(SimilarityMetric, double)} of the per-pair form (single-precision accumulation over the samples).
 *
 * <p>Randomised checks run once per seed of {@link #seeds()}; the seed is in every test's display name and failure
 * message, and {@code -Drnnatlas.tests.seed=N} replays a single seed.
 */
public abstract class SimilarityMetricContract {

    private static final long[] DEFAULT_SEEDS = {1L, 42L, 20_190_101L, -7L, Long.MAX_VALUE};
    /** Samples per synthetic network: enough for stable subspaces, small enough for fast tests. */
    protected static final int SAMPLES = 240;

    /** A fresh instance of the metric under test with default options, as ServiceLoader would create it. */
    protected abstract SimilarityMetric metric();

    /** Option maps {@link SimilarityMetric#configure} must accept; each configured metric is checked too. */
    protected List<Map<String, String>> validOptions() {
        return List.of();
    }

    /** Option maps {@link SimilarityMetric#configure} must refuse (an unknown option is always tried as well). */
    protected List<Map<String, String>> invalidOptions() {
        return List.of();
    }

    /** Agreement of two per-pair results that are equal in exact arithmetic (invariances, symmetry, identity). */
    protected double tolerance() {
        return 1e-6;
    }

    /**
     * Agreement of the tile form with the per-pair form at a per-pair distance d under metric {@code m}. Default
     * 1e-4; metrics whose distance is an angle, arccos(c)/(π/2), override it with {@link #angularTolerance}, since a
     * float error in c grows like its square root near c = 1.
     */
    protected double tileTolerance(SimilarityMetric m, double d) {
        return 1e-4;
    }

    /**
     * The change of an angular distance d = arccos(c)/(π/2) when c moves by up to {@code delta}, plus 1e-4: the
     * tile tolerance of an angular metric whose cosine c the single-precision tile form gets to within delta.
     */
    protected static double angularTolerance(double d, double delta) {
        double c = Math.cos(d * Math.PI / 2.0);
        double hi = Math.acos(Math.max(-1.0, c - delta));
        double lo = Math.acos(Math.min(1.0, c + delta));
        return 1e-4 + (hi - lo) / (Math.PI / 2.0);
    }

    /** The golden file beside the concrete test class. */
    protected String goldenFile() {
        return "golden.json";
    }

    /** Seeds for the randomised checks: {@code -Drnnatlas.tests.seed=N} replays one. */
    public static LongStream seeds() {
        String replay = System.getProperty("rnnatlas.tests.seed");
        if (replay != null && !replay.isBlank()) {
            return LongStream.of(Long.parseLong(replay.strip()));
        }
        return LongStream.of(DEFAULT_SEEDS);
    }

    /** A synthetic network: random width 3..24, latent dimension 1..min(width, 6), 5% noise. */
    protected Representation network(SplittableRandom rng) {
        int units = 3 + rng.nextInt(22);
        int dim = 1 + rng.nextInt(Math.min(units, 6));
        return SimilarityFixtures.lowRank(rng, SAMPLES, units, dim, 0.05);
    }

    /** The metrics every randomised check runs on: the default one and each {@link #validOptions()} setting. */
    private List<SimilarityMetric> configurations() {
        List<SimilarityMetric> out = new ArrayList<>();
        out.add(metric());
        for (Map<String, String> o : validOptions()) {
            out.add(metric().configure(o));
        }
        return out;
    }

    private static String where(long seed, SimilarityMetric m) {
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
        boolean found = ServiceLoader.load(SimilarityMetric.class, type.getClassLoader()).stream()
                .anyMatch(p -> p.type().equals(type));
        assertTrue(found, type.getName() + " must be listed in META-INF/services/" + SimilarityMetric.class.getName());
    }

    @Test
    void hasPublicNoArgConstructorWithDefaults() throws ReflectiveOperationException {
        Class<? extends SimilarityMetric> type = metric().getClass();
        assertTrue(Modifier.isPublic(type.getModifiers()), type.getName() + " must be public");
        SimilarityMetric viaReflection = type.getConstructor().newInstance();
        assertEquals(metric().name(), viaReflection.name());
        assertEquals(metric().options(), viaReflection.options(), "a new instance must carry the default options");
    }

    @Test
    void optionsRoundTrip() {
        for (SimilarityMetric m : configurations()) {
            SimilarityMetric again = metric().configure(m.options());
            assertEquals(m.options(), again.options(), "configure(options()) must reproduce the options of " + m);
            assertEquals(m.errorBound(), again.errorBound(), "errorBound() after round trip of " + m.options());
        }
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
    void rangeAndErrorBoundAreSane() {
        for (SimilarityMetric m : configurations()) {
            double[] r = m.range();
            assertEquals(2, r.length, "range() is {lo, hi}");
            assertTrue(r[0] < r[1], "range() lo < hi");
            double e = m.errorBound();
            assertTrue(e >= 0.0 && Double.isFinite(e), "errorBound() must be finite and >= 0, got " + e);
        }
    }

    // ----------------------------------------------------------------------------------------------- properties

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void distanceToItselfIsZero(long seed) {
        for (SimilarityMetric m : configurations()) {
            SplittableRandom rng = new SplittableRandom(seed);
            Representation x = network(rng);
            Prepared a = m.prepare(x);
            Prepared a2 = m.prepare(x);
            double d = m.distance(a, a2);
            assertTrue(d <= tolerance() + m.errorBound(), "d(a, a) = " + d + where(seed, m));
            double[] out = new double[1];
            m.distances(Kernels.scalar(), List.of(a), List.of(a2), out);
            assertTrue(out[0] <= tileTolerance(m, 0.0) + m.errorBound(), "tile d(a, a) = " + out[0] + where(seed, m));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void symmetricAndInRange(long seed) {
        for (SimilarityMetric m : configurations()) {
            SplittableRandom rng = new SplittableRandom(seed);
            List<Prepared> nets = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                nets.add(m.prepare(network(rng)));
            }
            double[] r = m.range();
            for (int i = 0; i < nets.size(); i++) {
                for (int j = 0; j < nets.size(); j++) {
                    double dij = m.distance(nets.get(i), nets.get(j));
                    double dji = m.distance(nets.get(j), nets.get(i));
                    assertEquals(dij, dji, tolerance(), "d(" + i + "," + j + ") vs d(" + j + "," + i + ")" + where(seed, m));
                    assertTrue(dij >= r[0] && dij <= r[1], "d(" + i + "," + j + ") = " + dij + " outside "
                            + r[0] + ".." + r[1] + where(seed, m));
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void invariantToRotationScalingAndPermutationOfUnits(long seed) {
        for (SimilarityMetric m : configurations()) {
            SplittableRandom rng = new SplittableRandom(seed);
            Representation x = network(rng);
            Representation y = network(rng);
            Prepared py = m.prepare(y);
            double d = m.distance(m.prepare(x), py);
            Representation rotated = SimilarityFixtures.mapUnits(x, SimilarityFixtures.orthogonal(rng, x.units()), x.units());
            Representation scaled = SimilarityFixtures.scale(x, 0.01 + 100.0 * rng.nextDouble());
            Representation permuted = SimilarityFixtures.permuteUnits(x, SimilarityFixtures.permutation(rng, x.units()));
            assertEquals(d, m.distance(m.prepare(rotated), py), tolerance(), "rotation of units" + where(seed, m));
            assertEquals(d, m.distance(m.prepare(scaled), py), tolerance(), "isotropic scaling" + where(seed, m));
            assertEquals(d, m.distance(m.prepare(permuted), py), tolerance(), "permutation of units" + where(seed, m));
            assertEquals(0.0, m.distance(m.prepare(x), m.prepare(rotated)), tolerance() + m.errorBound(),
                    "network vs its rotation" + where(seed, m));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void differentNetworksArePositive(long seed) {
        for (SimilarityMetric m : configurations()) {
            SplittableRandom rng = new SplittableRandom(seed);
            Representation x = SimilarityFixtures.lowRank(rng, SAMPLES, 12, 4, 0.05);
            Representation y = SimilarityFixtures.lowRank(rng, SAMPLES, 12, 4, 0.05);
            double d = m.distance(m.prepare(x), m.prepare(y));
            double floor = 10.0 * (tolerance() + m.errorBound());
            assertTrue(d > floor, "independent networks: d = " + d + " should exceed " + floor + where(seed, m));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void tileEqualsPairs(long seed) {
        List<Ops> kernels = List.of(Kernels.scalar(), Kernels.ops());
        int[][] shapes = {{1, 1}, {3, 5}, {17, 4}};
        for (SimilarityMetric m : configurations()) {
            SplittableRandom rng = new SplittableRandom(seed);
            List<Prepared> pool = new ArrayList<>();
            for (int i = 0; i < 21; i++) {
                pool.add(m.prepare(network(rng)));
            }
            for (Ops ops : kernels) {
                for (int[] shape : shapes) {
                    List<Prepared> rows = pool.subList(0, shape[0]);
                    List<Prepared> cols = pool.subList(pool.size() - shape[1], pool.size());
                    checkTile(m, ops, rows, cols, seed);
                }
                checkTile(m, ops, pool.subList(2, 9), pool.subList(2, 9), seed); // a diagonal tile
            }
        }
    }

    private void checkTile(SimilarityMetric m, Ops ops, List<Prepared> rows, List<Prepared> cols, long seed) {
        double[] out = new double[rows.size() * cols.size() + 3];
        java.util.Arrays.fill(out, Double.NaN);
        m.distances(ops, rows, cols, out);
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < cols.size(); j++) {
                double pair = m.distance(rows.get(i), cols.get(j));
                double tile = out[i * cols.size() + j];
                assertEquals(pair, tile, tileTolerance(m, pair), "tile " + rows.size() + "x" + cols.size() + " entry ("
                        + i + "," + j + ") with " + ops.name() + where(seed, m));
            }
        }
        for (int t = rows.size() * cols.size(); t < out.length; t++) {
            assertTrue(Double.isNaN(out[t]), "distances() wrote beyond rows x cols" + where(seed, m));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void differentSampleCountsAreRefused(long seed) {
        SimilarityMetric m = metric();
        SplittableRandom rng = new SplittableRandom(seed);
        Prepared a = m.prepare(SimilarityFixtures.lowRank(rng, SAMPLES, 8, 3, 0.05));
        Prepared b = m.prepare(SimilarityFixtures.lowRank(rng, SAMPLES + 1, 8, 3, 0.05));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.distance(a, b),
                "distance() of prepared networks with " + SAMPLES + " and " + (SAMPLES + 1) + " samples");
        assertTrue(e.getMessage().contains(String.valueOf(SAMPLES + 1)), "the message should give both sizes: " + e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> m.distances(Kernels.scalar(), List.of(a, a), List.of(b), new double[2]),
                "distances() over prepared networks with different sample counts");
    }

    // ------------------------------------------------------------------------------------------------- golden

    @Test
    void matchesGoldenReferenceValues() throws IOException {
        SimilarityGolden golden = SimilarityGolden.load(getClass(), goldenFile());
        assertFalse(golden.cases().isEmpty(), "golden file has no cases");
        for (SimilarityGolden.Case c : golden.cases()) {
            SimilarityMetric m = metric().configure(c.options());
            List<Prepared> prepared = new ArrayList<>();
            for (Representation r : golden.inputs()) {
                prepared.add(m.prepare(r));
            }
            int n = prepared.size();
            double[] tile = new double[n * n];
            m.distances(Kernels.ops(), prepared, prepared, tile);
            for (SimilarityGolden.Pair p : c.distances()) {
                double d = m.distance(prepared.get(p.i()), prepared.get(p.j()));
                String what = "golden d(" + p.i() + "," + p.j() + ") with " + c.options();
                assertEquals(p.distance(), d, tolerance() + m.errorBound(), what);
                assertEquals(p.distance(), tile[p.i() * n + p.j()], tileTolerance(m, p.distance()) + m.errorBound(),
                        what + " (tile form)");
            }
        }
    }

    /** Fails with a message naming the seed; for plugin-specific checks. */
    protected static void failAt(long seed, String message) {
        fail(message + " [seed " + seed + "; replay with -Drnnatlas.tests.seed=" + seed + "]");
    }
}
