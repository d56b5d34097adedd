package org.rnnatlas.spi.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnatlas.spi.Condition;
import org.rnnatlas.spi.Named;
import org.rnnatlas.spi.Task;
import org.rnnatlas.spi.TaskShape;
import org.rnnatlas.spi.Trials;

/**
 * The contract every {@link Task} plugin passes. A plugin's test is three lines:
 * <pre>{@code
 * class FlipFlopTaskTest extends TaskContract {
 *     protected Task task() { return new FlipFlopTask(); }
 * }
 * }</pre>
 * plus whatever task-specific properties it wants to check.
 *
 * <p>What is checked: the name matches {@link Named#NAME} and the jar registers the class with
 * {@link ServiceLoader}; a seeded generator makes {@link Task#sample} bit-reproducible and different seeds give
 * different batches; a batch fills exactly {@code T·B·M} and {@code T·B·K} entries with finite values and leaves
 * the rest of longer arrays alone; bad batch sizes and short arrays are refused with an
 * {@link IllegalArgumentException}; sampling allocates nothing once warm; {@link Task#probe} is deterministic, of the
 * task's shape and returns arrays the caller may modify; conditions have M finite inputs and distinct labels;
 * {@link Task#options} round-trips through {@link Task#configure} and unknown options are refused.
 *
 * <p>Randomised checks run once per seed of {@link #seeds()}; the seed is in every test's display name and failure
 * message, and {@code -Drnnatlas.tests.seed=N} replays a single seed.
 */
public abstract class TaskContract {

    /** Default seeds of the randomised checks. */
    private static final long[] DEFAULT_SEEDS = {1L, 42L, 20_190_101L, -7L, Long.MAX_VALUE};
    /** Batch sizes the shape checks use: a single trial, an odd size and a typical minibatch. */
    private static final int[] BATCHES = {1, 3, 16};

    /** A fresh instance of the task under test, as ServiceLoader would create it (default options). */
    protected abstract Task task();

    /**
     * Option maps that {@link Task#configure} must accept. Each configured task must itself pass the sampling
     * checks. Default: none.
     */
    protected List<Map<String, String>> validOptions() {
        return List.of();
    }

    /** Option maps that {@link Task#configure} must refuse with an {@link IllegalArgumentException}. Default: none. */
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

    /** A new array of {@code n} entries, all NaN, so that entries a task leaves unwritten stand out. */
    protected static float[] nanFilled(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN);
        return a;
    }

    // ------------------------------------------------------------------------------------------ identity

    @Test
    void nameIsValid() {
        String name = task().name();
        assertNotNull(name, "name()");
        assertTrue(Named.NAME.matcher(name).matches(),
                "name '" + name + "' must match " + Named.NAME.pattern());
        assertEquals(name, task().name(), "name() must be stable");
    }

    @Test
    void descriptionIsOneLine() {
        String d = task().description();
        assertNotNull(d, "description()");
        assertFalse(d.isBlank(), "description() should say in one line what the task is");
        assertFalse(d.contains("\n") || d.contains("\r"), "description() must be one line: " + d);
    }

    @Test
    void hasPublicNoArgConstructor() throws ReflectiveOperationException {
        Class<? extends Task> type = task().getClass();
        assertTrue(Modifier.isPublic(type.getModifiers()), type.getName() + " must be public");
        Task viaReflection = type.getConstructor().newInstance();
        assertEquals(task().name(), viaReflection.name());
        assertEquals(task().options(), viaReflection.options(),
                "the no-arg constructor must give the default options");
    }

    @Test
    void isDiscoverableByServiceLoader() {
        Task expected = task();
        List<Task> found = ServiceLoader.load(Task.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(t -> t.name().equals(expected.name()))
                .toList();
        assertEquals(1, found.size(), "exactly one Task named '" + expected.name()
                + "' must be registered in META-INF/services/" + Task.class.getName() + ", found " + found);
        assertEquals(expected.getClass(), found.get(0).getClass(),
                "the registered provider for '" + expected.name() + "' is another class");
        assertEquals(expected.options(), found.get(0).options(), "the discovered instance must carry the defaults");
    }

    @Test
    void shapeIsStable() {
        TaskShape s = task().shape();
        assertNotNull(s, "shape()");
        assertEquals(s, task().shape());
        assertEquals(s, task().shape(), "shape() must not change between calls");
    }

    // ------------------------------------------------------------------------------------------ sampling

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("org.rnnatlas.spi.testkit.TaskContract#seeds")
    void sameSeedGivesBitIdenticalBatches(long seed) {
        checkReproducible(task(), seed);
        for (Map<String, String> o : validOptions()) {
            checkReproducible(task().configure(o), seed);
        }
    }

    private static void checkReproducible(Task task, long seed) {
        TaskShape s = task.shape();
        int batch = 5;
        float[] x1 = new float[s.steps() * batch * s.inputs()];
        float[] y1 = new float[s.steps() * batch * s.outputs()];
        float[] x2 = x1.clone();
        float[] y2 = y1.clone();
        SplittableRandom r1 = new SplittableRandom(seed);
        SplittableRandom r2 = new SplittableRandom(seed);
        for (int call = 0; call < 3; call++) {
            task.sample(r1, batch, x1, y1);
            task.sample(r2, batch, x2, y2);
            String where = task + " seed=" + seed + " call " + call;
            assertArrayEquals(x1, x2, "inputs differ for the same seed: " + where);
            assertArrayEquals(y1, y2, "targets differ for the same seed: " + where);
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("org.rnnatlas.spi.testkit.TaskContract#seeds")
    void differentSeedsAndSuccessiveBatchesDiffer(long seed) {
        Task task = task();
        TaskShape s = task.shape();
        int batch = 4;
        float[] xa = new float[s.steps() * batch * s.inputs()];
        float[] ya = new float[s.steps() * batch * s.outputs()];
        float[] xb = xa.clone();
        float[] yb = ya.clone();
        task.sample(new SplittableRandom(seed), batch, xa, ya);
        task.sample(new SplittableRandom(seed + 1), batch, xb, yb);
        assertFalse(Arrays.equals(xa, xb) && Arrays.equals(ya, yb),
                "seeds " + seed + " and " + (seed + 1) + " gave the same batch: the task ignores its generator");
        SplittableRandom rng = new SplittableRandom(seed);
        task.sample(rng, batch, xa, ya);
        task.sample(rng, batch, xb, yb);
        assertFalse(Arrays.equals(xa, xb) && Arrays.equals(ya, yb),
                "two successive batches from one generator (seed " + seed + ") are identical");
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("org.rnnatlas.spi.testkit.TaskContract#seeds")
    void sampleFillsExactlyItsShapeWithFiniteValues(long seed) {
        checkFills(task(), seed);
        for (Map<String, String> o : validOptions()) {
            checkFills(task().configure(o), seed);
        }
    }

    private static void checkFills(Task task, long seed) {
        TaskShape s = task.shape();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int batch : BATCHES) {
            int nx = s.steps() * batch * s.inputs();
            int ny = s.steps() * batch * s.outputs();
            int extra = 7; // the arrays may be longer than needed; the tail must stay untouched
            float[] x = nanFilled(nx + extra);
            float[] y = nanFilled(ny + extra);
            task.sample(rng, batch, x, y);
            String where = task + " seed=" + seed + " batch=" + batch;
            for (int i = 0; i < nx; i++) {
                if (!Float.isFinite(x[i])) {
                    fail("x[" + i + "] = " + x[i] + " after sample (unwritten or not finite): " + where);
                }
            }
            for (int i = 0; i < ny; i++) {
                if (!Float.isFinite(y[i])) {
                    fail("y[" + i + "] = " + y[i] + " after sample (unwritten or not finite): " + where);
                }
            }
            for (int i = nx; i < x.length; i++) {
                assertTrue(Float.isNaN(x[i]), "sample wrote x[" + i + "] beyond T*B*M = " + nx + ": " + where);
            }
            for (int i = ny; i < y.length; i++) {
                assertTrue(Float.isNaN(y[i]), "sample wrote y[" + i + "] beyond T*B*K = " + ny + ": " + where);
            }
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("org.rnnatlas.spi.testkit.TaskContract#seeds")
    void leadingTrialsDoNotDependOnLaterOnesOrStaleArrayContent(long seed) {
        // A fresh batch overwrites everything: the same seed into arrays holding garbage gives the same batch.
        Task task = task();
        TaskShape s = task.shape();
        int batch = 3;
        float[] x1 = new float[s.steps() * batch * s.inputs()];
        float[] y1 = new float[s.steps() * batch * s.outputs()];
        task.sample(new SplittableRandom(seed), batch, x1, y1);
        float[] x2 = new float[x1.length];
        float[] y2 = new float[y1.length];
        Arrays.fill(x2, 12345f);
        Arrays.fill(y2, -777f);
        task.sample(new SplittableRandom(seed), batch, x2, y2);
        assertArrayEquals(x1, x2, "sample depends on the previous content of x (seed " + seed + ")");
        assertArrayEquals(y1, y2, "sample depends on the previous content of y (seed " + seed + ")");
    }

    @Test
    void sampleRejectsBadArguments() {
        Task task = task();
        TaskShape s = task.shape();
        int batch = 2;
        int nx = s.steps() * batch * s.inputs();
        int ny = s.steps() * batch * s.outputs();
        SplittableRandom rng = new SplittableRandom(3);
        assertIae(() -> task.sample(rng, 0, new float[nx], new float[ny]), "batch 0");
        assertIae(() -> task.sample(rng, -1, new float[nx], new float[ny]), "batch -1");
        assertIae(() -> task.sample(rng, batch, new float[nx - 1], new float[ny]), "x one entry short");
        assertIae(() -> task.sample(rng, batch, new float[nx], new float[ny - 1]), "y one entry short");
        // T·B·M would overflow an int here; the check must not wrap around and accept a small array.
        assertIae(() -> task.sample(rng, Integer.MAX_VALUE, new float[nx], new float[ny]), "huge batch");
        assertThrows(NullPointerException.class, () -> task.sample(null, batch, new float[nx], new float[ny]),
                "a null generator");
    }

    private static void assertIae(org.junit.jupiter.api.function.Executable call, String what) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call,
                "sample must refuse " + what + " with an IllegalArgumentException");
        assertNotNull(e.getMessage(), "the exception for " + what + " needs a message");
        assertFalse(e.getMessage().isBlank(), "the exception for " + what + " needs a message");
    }

    @Test
    void sampleAllocatesNothingOnceWarm() {
        java.lang.management.ThreadMXBean plain = ManagementFactory.getThreadMXBean();
        assumeTrue(plain instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) plain;
        assumeTrue(mx.isThreadAllocatedMemorySupported(), "per-thread allocation counting unsupported");
        if (!mx.isThreadAllocatedMemoryEnabled()) {
            mx.setThreadAllocatedMemoryEnabled(true);
        }
        Task task = task();
        TaskShape s = task.shape();
        int batch = 8;
        float[] x = new float[s.steps() * batch * s.inputs()];
        float[] y = new float[s.steps() * batch * s.outputs()];
        SplittableRandom rng = new SplittableRandom(11);
        for (int i = 0; i < 2_000; i++) { // warm-up: let class loading and JIT compilation happen first
            task.sample(rng, batch, x, y);
        }
        int calls = 200;
        long overhead = measureEmpty(mx);
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < calls; i++) {
            task.sample(rng, batch, x, y);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before - overhead;
        // Any allocation per call (even one 16-byte object) would add up to >= 3,200 bytes over 200 calls.
        assertTrue(allocated < 1_024, task + ".sample allocated " + allocated + " bytes over " + calls
                + " calls after warm-up; it must allocate nothing");
    }

    private static long measureEmpty(com.sun.management.ThreadMXBean mx) {
        long a = mx.getCurrentThreadAllocatedBytes();
        long b = mx.getCurrentThreadAllocatedBytes();
        return Math.max(0, b - a);
    }

    @Test
    void concurrentSamplingMatchesSequential() throws Exception {
        // Tasks are shared singletons: two threads sampling at once must not disturb each other.
        Task task = task();
        TaskShape s = task.shape();
        int batch = 4;
        int rounds = 50;
        int threads = 2;
        float[][] expected = new float[threads][];
        for (int th = 0; th < threads; th++) {
            expected[th] = runRounds(task, s, batch, rounds, 1000L + th);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<float[]>> futures = new java.util.ArrayList<>();
            for (int th = 0; th < threads; th++) {
                long seed = 1000L + th;
                futures.add(pool.submit(() -> runRounds(task, s, batch, rounds, seed)));
            }
            for (int th = 0; th < threads; th++) {
                assertArrayEquals(expected[th], futures.get(th).get(),
                        "concurrent sampling changed the batches of thread " + th);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Samples {@code rounds} batches and returns the last one, x then y. */
    private static float[] runRounds(Task task, TaskShape s, int batch, int rounds, long seed) {
        int nx = s.steps() * batch * s.inputs();
        int ny = s.steps() * batch * s.outputs();
        float[] x = new float[nx];
        float[] y = new float[ny];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < rounds; i++) {
            task.sample(rng, batch, x, y);
        }
        float[] out = Arrays.copyOf(x, nx + ny);
        System.arraycopy(y, 0, out, nx, ny);
        return out;
    }

    // ------------------------------------------------------------------------------------------ probe

    @Test
    void probeHasTheTaskShapeAndFiniteValues() {
        Task task = task();
        TaskShape s = task.shape();
        Trials p = task.probe();
        assertNotNull(p, "probe()");
        assertTrue(p.count() >= 1, "the probe set must hold at least one trial, has " + p.count());
        assertEquals(s.steps(), p.steps(), "probe steps vs shape T");
        assertEquals(s.inputs(), p.inputs(), "probe inputs vs shape M");
        assertEquals(s.outputs(), p.outputs(), "probe outputs vs shape K");
        for (int i = 0; i < p.x().length; i++) {
            assertTrue(Float.isFinite(p.x()[i]), "probe x[" + i + "] = " + p.x()[i]);
        }
        for (int i = 0; i < p.y().length; i++) {
            assertTrue(Float.isFinite(p.y()[i]), "probe y[" + i + "] = " + p.y()[i]);
        }
        for (Map.Entry<String, double[]> e : p.attributes().entrySet()) {
            assertTrue(Named.NAME.matcher(e.getKey()).matches(),
                    "attribute name '" + e.getKey() + "' should be a lower-case identifier");
            for (double v : e.getValue()) {
                assertTrue(Double.isFinite(v), "attribute " + e.getKey() + " has a non-finite value " + v);
            }
        }
    }

    @Test
    void probeIsDeterministicAndCallersMayModifyIt() {
        Task task = task();
        Trials a = task.probe();
        float[] x = a.x().clone();
        float[] y = a.y().clone();
        Map<String, double[]> attrs = new HashMap<>();
        a.attributes().forEach((k, v) -> attrs.put(k, v.clone()));
        // Scribble over what we were given; the next probe() must not see it.
        Arrays.fill(a.x(), 99f);
        Arrays.fill(a.y(), -99f);
        a.attributes().values().forEach(v -> Arrays.fill(v, 42.0));
        for (Task t : List.of(task, task())) {
            Trials b = t.probe();
            assertEquals(x.length / (b.steps() * b.inputs()), b.count());
            assertArrayEquals(x, b.x(), "probe inputs changed between calls (or a caller's edit leaked in)");
            assertArrayEquals(y, b.y(), "probe targets changed between calls (or a caller's edit leaked in)");
            assertEquals(attrs.keySet(), b.attributes().keySet(), "probe attribute names changed between calls");
            for (Map.Entry<String, double[]> e : attrs.entrySet()) {
                assertArrayEquals(e.getValue(), b.attributes().get(e.getKey()),
                        "probe attribute " + e.getKey() + " changed between calls (or a caller's edit leaked in)");
            }
        }
    }

    // ------------------------------------------------------------------------------------------ conditions

    @Test
    void conditionsHaveOneInputPerChannel() {
        Task task = task();
        int m = task.shape().inputs();
        List<Condition> conditions = task.conditions();
        assertNotNull(conditions, "conditions()");
        assertFalse(conditions.isEmpty(), "a task needs at least one condition input for the fixed-point search");
        Set<String> labels = new HashSet<>();
        for (Condition c : conditions) {
            assertFalse(c.label().isBlank(), "condition labels must not be blank");
            assertFalse(c.label().contains("\n"), "condition label must be one line: " + c.label());
            assertTrue(labels.add(c.label()), "duplicate condition label " + c.label());
            double[] in = c.input();
            assertEquals(m, in.length, "condition " + c.label() + " has " + in.length + " inputs, the task has M=" + m);
            for (double v : in) {
                assertTrue(Double.isFinite(v), "condition " + c.label() + " has a non-finite input " + v);
            }
        }
        assertEquals(conditions.size(), task.conditions().size(), "conditions() must be stable");
        for (int i = 0; i < conditions.size(); i++) {
            assertEquals(conditions.get(i).label(), task.conditions().get(i).label());
            assertArrayEquals(conditions.get(i).input(), task.conditions().get(i).input());
        }
    }

    // ------------------------------------------------------------------------------------------ options

    @Test
    void optionsRoundTripThroughConfigure() {
        Task task = task();
        Map<String, String> opts = task.options();
        assertNotNull(opts, "options()");
        Task again = task.configure(opts);
        assertNotNull(again, "configure(options())");
        assertEquals(opts, again.options(), "configure(options()).options() must equal options()");
        assertEquals(task.name(), again.name());
        assertEquals(opts, task.configure(Map.of()).options(), "configure(empty) must keep every option");
        assertSameBatches(task, again, 5L);
    }

    @Test
    void configureRejectsUnknownOption() {
        Task task = task();
        String bogus = "no-such-option-xyz";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> task.configure(Map.of(bogus, "1")), "an unknown option must be refused");
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().contains(bogus), "the error should name the unknown option: " + e.getMessage());
        for (String known : task.options().keySet()) {
            assertTrue(e.getMessage().contains(known),
                    "the error should list the allowed option '" + known + "': " + e.getMessage());
        }
    }

    @Test
    void validOptionsConfigureACopyThatRoundTrips() {
        Task task = task();
        Map<String, String> defaults = task.options();
        for (Map<String, String> o : validOptions()) {
            Task configured = task.configure(o);
            assertEquals(defaults, task.options(), "configure(" + o + ") changed the original instance");
            assertEquals(defaults.keySet(), configured.options().keySet(),
                    "configure(" + o + ") changed the set of options");
            Task again = task().configure(configured.options());
            assertEquals(configured.options(), again.options(), "options of configure(" + o + ") do not round-trip");
            assertSameBatches(configured, again, 9L);
        }
    }

    @Test
    void invalidOptionsAreRefused() {
        Task task = task();
        for (Map<String, String> o : invalidOptions()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> task.configure(o),
                    "configure(" + o + ") must be refused");
            assertNotNull(e.getMessage(), "configure(" + o + ") needs an error message");
            for (String key : o.keySet()) {
                assertTrue(e.getMessage().contains(key), "the error for " + o + " should name option '" + key
                        + "': " + e.getMessage());
            }
        }
    }

    private static void assertSameBatches(Task a, Task b, long seed) {
        TaskShape s = a.shape();
        assertEquals(s, b.shape());
        int batch = 3;
        float[] xa = new float[s.steps() * batch * s.inputs()];
        float[] ya = new float[s.steps() * batch * s.outputs()];
        float[] xb = xa.clone();
        float[] yb = ya.clone();
        a.sample(new SplittableRandom(seed), batch, xa, ya);
        b.sample(new SplittableRandom(seed), batch, xb, yb);
        assertArrayEquals(xa, xb, a + " and " + b + " have the same options but sample different inputs");
        assertArrayEquals(ya, yb, a + " and " + b + " have the same options but sample different targets");
    }
}
