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
        return List.of(Map.of("p", "0.3"), Map.of("p", "1"), Map.of("p", " 0.01 "));
    }

    @Override
    protected List<Map<String, String>> invalidOptions() {
        return List.of(Map.of("p", "0"), Map.of("p", "-0.1"), Map.of("p", "1.5"), Map.of("p", "abc"),
                Map.of("p", "NaN"), Map.of("p", ""));
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
        for (FlipFlopTask task : List.of(new FlipFlopTask(), new FlipFlopTask().configure(Map.of("p", "0.3")))) {
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
    void optionsNameThePulseProbability() {
        assertEquals(Map.of("p", "0.05"), new FlipFlopTask().options());
        FlipFlopTask t = new FlipFlopTask().configure(Map.of("p", "0.2"));
        assertEquals(Map.of("p", "0.2"), t.options());
        assertEquals(0.2, t.pulseProbability());
        assertEquals(0.05, new FlipFlopTask().pulseProbability(), "configure must not change the original");
        assertEquals(t, new FlipFlopTask().configure(t.options()));
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

    private static Float[] boxed(float[] a) {
        Float[] out = new Float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
