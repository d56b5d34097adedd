package org.rnnatlas.tasks.flipflop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnatlas.spi.Condition;
import org.rnnatlas.spi.Task;
import org.rnnatlas.spi.Trials;
import org.rnnatlas.spi.testkit.TaskContract;
import org.rnnatlas.spi.testkit.TaskGolden;

class FlipFlopTaskTest extends TaskContract {

    private static final int M = FlipFlopTask.CHANNELS;
    private static final int T = FlipFlopTask.STEPS;

    @Override
    protected Task task() {
        return new FlipFlopTask();
    }

    @Override
    protected List<Map<String, String>> validOptions() {
        return List.of(Map.of("p", "0.3"), Map.of("p", "1"), Map.of("p", " 0.01 "), Map.of("start", "pulse"),
                Map.of("start", "zero"), Map.of("p", "0.3", "start", " pulse "));
    }

    @Override
    protected List<Map<String, String>> invalidOptions() {
        return List.of(Map.of("p", "0"), Map.of("p", "-0.1"), Map.of("p", "1.5"), Map.of("p", "abc"),
                Map.of("p", "NaN"), Map.of("p", ""), Map.of("start", "one"), Map.of("start", ""),
                Map.of("start", "Pulse"), Map.of("p", "0.3", "start", "none"));
    }

    /** Checks y_k(t) = last nonzero x_k(τ), τ ≤ t (0 before the first), recomputed from the inputs alone. */
    private static void assertTargetIsLastPulse(float[] x, float[] y, int batch, String where) {
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < M; k++) {
                float memory = 0f;
                for (int t = 0; t < T; t++) {
                    int i = (t * batch + b) * M + k;
                    float in = x[i];
                    if (in != 0f && in != 1f && in != -1f) {
                        fail("x(t=" + t + ", b=" + b + ", k=" + k + ") = " + in + " is not in {-1, 0, 1}: " + where);
                    }
                    if (in != 0f) {
                        memory = in;
                    }
                    if (y[i] != memory) {
                        fail("y(t=" + t + ", b=" + b + ", k=" + k + ") = " + y[i] + ", last pulse was " + memory
                                + ": " + where);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("org.rnnatlas.spi.testkit.TaskContract#seeds")
    void targetIsTheLastNonzeroInputPerChannel(long seed) {
        for (FlipFlopTask task : List.of(new FlipFlopTask(), new FlipFlopTask().configure(Map.of("p", "0.3")),
                new FlipFlopTask().configure(Map.of("start", "pulse")))) {
            int batch = 32;
            float[] x = new float[T * batch * M];
            float[] y = new float[T * batch * M];
            SplittableRandom rng = new SplittableRandom(seed);
            for (int round = 0; round < 3; round++) {
                task.sample(rng, batch, x, y);
                assertTargetIsLastPulse(x, y, batch, task + " seed=" + seed + " round=" + round);
            }
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("org.rnnatlas.spi.testkit.TaskContract#seeds")
    void pulseRateAndSignBalanceMatchP(long seed) {
        for (double p : new double[] {0.05, 0.3}) {
            FlipFlopTask task = new FlipFlopTask().configure(Map.of("p", Double.toString(p)));
            int batch = 128;
            float[] x = new float[T * batch * M];
            float[] y = new float[T * batch * M];
            task.sample(new SplittableRandom(seed), batch, x, y);
            long n = x.length;
            long pulses = 0;
            long positive = 0;
            for (float v : x) {
                if (v != 0f) {
                    pulses++;
                    if (v > 0f) {
                        positive++;
                    }
                }
            }
            // Binomial counts; 5 standard deviations make a false alarm ~6e-7 per check.
            double sdPulses = Math.sqrt(n * p * (1 - p));
            assertTrue(Math.abs(pulses - n * p) < 5 * sdPulses, "p=" + p + " seed=" + seed + ": " + pulses
                    + " pulses in " + n + " entries, expected " + n * p + " +- " + 5 * sdPulses);
            double sdSign = Math.sqrt(pulses * 0.25);
            assertTrue(Math.abs(positive - pulses / 2.0) < 5 * sdSign, "p=" + p + " seed=" + seed + ": "
                    + positive + " of " + pulses + " pulses positive, expected half +- " + 5 * sdSign);
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("org.rnnatlas.spi.testkit.TaskContract#seeds")
    void channelsAndStepsAreIndependent(long seed) {
        // Pulses are independent per channel and step: P(pulse on k and on k') = p², checked on channels 0 and 1.
        double p = 0.3;
        FlipFlopTask task = new FlipFlopTask().configure(Map.of("p", "0.3"));
        int batch = 128;
        float[] x = new float[T * batch * M];
        float[] y = new float[T * batch * M];
        task.sample(new SplittableRandom(seed), batch, x, y);
        long n = (long) T * batch;
        long both = 0;
        for (int r = 0; r < n; r++) {
            if (x[r * M] != 0f && x[r * M + 1] != 0f) {
                both++;
            }
        }
        double q = p * p;
        double sd = Math.sqrt(n * q * (1 - q));
        assertTrue(Math.abs(both - n * q) < 5 * sd, "seed=" + seed + ": " + both + " joint pulses, expected "
                + n * q + " +- " + 5 * sd);
    }

    @Test
    void pOfOneMakesEveryEntryAPulse() {
        FlipFlopTask task = new FlipFlopTask().configure(Map.of("p", "1"));
        int batch = 4;
        float[] x = new float[T * batch * M];
        float[] y = new float[T * batch * M];
        task.sample(new SplittableRandom(5), batch, x, y);
        for (int i = 0; i < x.length; i++) {
            assertTrue(x[i] == 1f || x[i] == -1f, "x[" + i + "] = " + x[i]);
        }
        assertArrayEquals(x, y, "with a pulse every step, the target is the input");
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("org.rnnatlas.spi.testkit.TaskContract#seeds")
    void leadingTrialsDoNotDependOnBatchSize(long seed) {
        FlipFlopTask task = new FlipFlopTask();
        float[] xs = new float[T * 2 * M];
        float[] ys = new float[T * 2 * M];
        float[] xl = new float[T * 7 * M];
        float[] yl = new float[T * 7 * M];
        task.sample(new SplittableRandom(seed), 2, xs, ys);
        task.sample(new SplittableRandom(seed), 7, xl, yl);
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < 2; b++) {
                for (int k = 0; k < M; k++) {
                    assertEquals(xs[(t * 2 + b) * M + k], xl[(t * 7 + b) * M + k], "seed=" + seed);
                    assertEquals(ys[(t * 2 + b) * M + k], yl[(t * 7 + b) * M + k], "seed=" + seed);
                }
            }
        }
    }

    @Test
    void probeIsSixtyFourTrialsFromTheDocumentedSeed() {
        FlipFlopTask task = new FlipFlopTask();
        Trials probe = task.probe();
        assertEquals(FlipFlopTask.PROBE_TRIALS, probe.count());
        assertEquals(64, probe.count());
        float[] x = new float[T * 64 * M];
        float[] y = new float[T * 64 * M];
        task.sample(new SplittableRandom(FlipFlopTask.PROBE_SEED), 64, x, y);
        assertArrayEquals(x, probe.x());
        assertArrayEquals(y, probe.y());
        assertTargetIsLastPulse(probe.x(), probe.y(), 64, "probe");
        // 64 trials × 100 steps × 3 channels at p = 0.05: some pulses of both signs on every channel.
        for (int k = 0; k < M; k++) {
            boolean plus = false;
            boolean minus = false;
            for (int r = 0; r < T * 64; r++) {
                plus |= probe.x()[r * M + k] > 0f;
                minus |= probe.x()[r * M + k] < 0f;
            }
            assertTrue(plus && minus, "probe channel " + k + " lacks pulses of one sign");
        }
    }

    @Test
    void conditionIsZeroInput() {
        List<Condition> c = new FlipFlopTask().conditions();
        assertEquals(1, c.size());
        assertEquals("zero", c.get(0).label());
        assertArrayEquals(new double[M], c.get(0).input());
    }

    @Test
    void shapeIsThreeChannelsHundredSteps() {
        var s = new FlipFlopTask().shape();
        assertEquals(3, s.inputs());
        assertEquals(3, s.outputs());
        assertEquals(100, s.steps());
    }

    @Test
    void optionsNameThePulseProbabilityAndTheStart() {
        assertEquals(Map.of("p", "0.05", "start", "zero"), new FlipFlopTask().options());
        FlipFlopTask t = new FlipFlopTask().configure(Map.of("p", "0.2"));
        assertEquals(Map.of("p", "0.2", "start", "zero"), t.options());
        assertEquals(0.2, t.pulseProbability());
        assertEquals(0.05, new FlipFlopTask().pulseProbability(), "configure must not change the original");
        assertEquals(t, new FlipFlopTask().configure(t.options()));
        FlipFlopTask u = t.configure(Map.of("start", "pulse"));
        assertEquals(Map.of("p", "0.2", "start", "pulse"), u.options(), "start is set, p is kept");
        assertTrue(u.pulseAtStart());
        assertTrue(!t.pulseAtStart() && !new FlipFlopTask().pulseAtStart());
        assertTrue(!u.equals(t), "start is part of the value");
        assertEquals(u, new FlipFlopTask().configure(u.options()));
        assertEquals(new FlipFlopTask(), u.configure(Map.of("start", "zero", "p", "0.05")));
    }

    @Test
    void startOptionErrorNamesTheAllowedValues() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new FlipFlopTask().configure(Map.of("start", "first")));
        assertTrue(e.getMessage().contains("'zero'") && e.getMessage().contains("'pulse'")
                && e.getMessage().contains("first"), e.getMessage());
    }

    /**
     * The documented draw order, re-implemented from the Javadoc: under {@code start=pulse} step 0 draws one
     * {@code nextBoolean()} per channel and no {@code nextDouble()}; steps 1..T−1 as in the default. Checked
     * against {@code sample} entry by entry, with p = 0.3 so that many later entries are pulses too.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("org.rnnatlas.spi.testkit.TaskContract#seeds")
    void pulseStartFollowsTheDocumentedDrawOrder(long seed) {
        for (double p : new double[] {0.05, 0.3}) {
            FlipFlopTask task = new FlipFlopTask().configure(Map.of("p", Double.toString(p), "start", "pulse"));
            float[][] xy = assertDrawOrder(task, seed, 5, p, true);
            assertTargetIsLastPulse(xy[0], xy[1], 5, task + " seed=" + seed);
        }
    }

    /** The default consumes one nextDouble per entry (plus a sign per pulse), t = 0 included: SPEC §2 unchanged. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("org.rnnatlas.spi.testkit.TaskContract#seeds")
    void zeroStartFollowsTheDocumentedDrawOrder(long seed) {
        FlipFlopTask task = new FlipFlopTask().configure(Map.of("p", "0.3", "start", "zero"));
        assertEquals(task, new FlipFlopTask().configure(Map.of("p", "0.3")), "zero is the default start");
        assertDrawOrder(task, seed, 3, 0.3, false);
    }

    /**
     * Samples a batch from {@code seed} and checks every input entry against the draw order re-implemented here
     * (step 0 under {@code pulse}: one nextBoolean per channel; otherwise a nextDouble, and a nextBoolean for the sign
     * of each pulse), and that sample consumed exactly those draws. Returns the inputs and the targets.
     */
    private static float[][] assertDrawOrder(FlipFlopTask task, long seed, int batch, double p, boolean pulseStart) {
        float[] x = new float[T * batch * M];
        float[] y = new float[T * batch * M];
        SplittableRandom rng = new SplittableRandom(seed);
        task.sample(rng, batch, x, y);
        long after = rng.nextLong();
        SplittableRandom ref = new SplittableRandom(seed);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < T; t++) {
                for (int k = 0; k < M; k++) {
                    float want;
                    if (pulseStart && t == 0) {
                        want = ref.nextBoolean() ? 1f : -1f;
                    } else {
                        want = ref.nextDouble() < p ? (ref.nextBoolean() ? 1f : -1f) : 0f;
                    }
                    assertEquals(want, x[(t * batch + b) * M + k], "p=" + p + " seed=" + seed + " b=" + b
                            + " t=" + t + " k=" + k);
                }
            }
        }
        assertEquals(ref.nextLong(), after, "sample consumed exactly the documented draws");
        return new float[][] {x, y};
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("org.rnnatlas.spi.testkit.TaskContract#seeds")
    void pulseStartNeverHasAZeroTargetAndBalancesTheFirstSigns(long seed) {
        FlipFlopTask task = new FlipFlopTask().configure(Map.of("start", "pulse"));
        int batch = 256;
        float[] x = new float[T * batch * M];
        float[] y = new float[T * batch * M];
        task.sample(new SplittableRandom(seed), batch, x, y);
        long positive = 0;
        for (int i = 0; i < batch * M; i++) {
            assertTrue(x[i] == 1f || x[i] == -1f, "x at t=0, entry " + i + " = " + x[i]);
            positive += x[i] > 0f ? 1 : 0;
        }
        for (int i = 0; i < y.length; i++) {
            assertTrue(y[i] == 1f || y[i] == -1f, "y[" + i + "] = " + y[i] + " under start=pulse");
        }
        long n = (long) batch * M;
        double sd = Math.sqrt(n * 0.25);
        assertTrue(Math.abs(positive - n / 2.0) < 5 * sd, "seed=" + seed + ": " + positive + " of " + n
                + " first pulses positive, expected half +- " + 5 * sd);
        // later steps keep the pulse rate p: 5 standard deviations of the binomial count
        long later = 0;
        for (int i = batch * M; i < x.length; i++) {
            later += x[i] != 0f ? 1 : 0;
        }
        long m = (long) (T - 1) * batch * M;
        double p = FlipFlopTask.DEFAULT_P;
        assertTrue(Math.abs(later - m * p) < 5 * Math.sqrt(m * p * (1 - p)), "seed=" + seed + ": " + later
                + " pulses after t=0 in " + m + " entries");
    }

    /** Under start=pulse the probe set is drawn by the configured task from the same documented seed. */
    @Test
    void pulseStartProbeIsDrawnWithTheOptionFromTheProbeSeed() {
        FlipFlopTask task = new FlipFlopTask().configure(Map.of("start", "pulse"));
        Trials probe = task.probe();
        assertEquals(FlipFlopTask.PROBE_TRIALS, probe.count());
        float[] x = new float[T * 64 * M];
        float[] y = new float[T * 64 * M];
        task.sample(new SplittableRandom(FlipFlopTask.PROBE_SEED), 64, x, y);
        assertArrayEquals(x, probe.x());
        assertArrayEquals(y, probe.y());
        for (int i = 0; i < 64 * M; i++) {
            assertTrue(probe.x()[i] != 0f, "probe trial " + i / M + " channel " + i % M + " is pulsed at t=0");
        }
        for (float v : probe.y()) {
            assertTrue(v != 0f, "no probe target is 0 under start=pulse");
        }
        assertTrue(!Arrays.equals(probe.x(), new FlipFlopTask().probe().x()), "the option changes the probe set");
    }

    /**
     * The first batch of 4 trials from {@code new SplittableRandom(42)} with the default p = 0.05, bit for bit.
     * Produced by this test with {@code mvn -B -o -q -pl plugins/tasks/flipflop test -Dgolden.update=true} and
     * checked by eye: inputs in {-1, 0, 1}, each target the last pulse (also asserted below).
     */
    @Test
    void goldenSeed42() {
        TaskGolden.verify(new FlipFlopTask(), 42L, 4, FlipFlopTaskTest.class, "flipflop-seed42-batch4.txt");
        float[] x = new float[T * 4 * M];
        float[] y = new float[T * 4 * M];
        new FlipFlopTask().sample(new SplittableRandom(42L), 4, x, y);
        assertTargetIsLastPulse(x, y, 4, "golden batch");
        assertTrue(Arrays.stream(boxed(x)).anyMatch(v -> v != 0f), "the golden batch should contain pulses");
    }

    /**
     * The first batch of 4 trials from {@code new SplittableRandom(42)} under {@code start=pulse}, bit for bit;
     * made as {@link #goldenSeed42} and checked by eye (every channel ±1 at t = 0, no target 0).
     */
    @Test
    void goldenSeed42PulseStart() {
        TaskGolden.verify(new FlipFlopTask().configure(Map.of("start", "pulse")), 42L, 4, FlipFlopTaskTest.class,
                "flipflop-pulse-seed42-batch4.txt");
    }

    private static Float[] boxed(float[] a) {
        Float[] out = new Float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
