package org.rnnatlas.tasks.sinewave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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

class SineWaveTaskTest extends TaskContract {

    private static final int T = SineWaveTask.STEPS;

    @Override
    protected Task task() {
        return new SineWaveTask();
    }

    @Override
    protected List<Map<String, String>> invalidOptions() {
        return List.of(Map.of("frequency", "0.1"));
    }

    /**
     * Checks, for every trial b of a time-major batch, that the input is constant over time and in [0, 1] and that
     * y(t) = sin(2π (0.04 x + 0.01) t), written out here rather than taken from the task. The network sees x as a
     * float; the task takes ω from the drawn double, so ω may differ by up to 0.04 · 2⁻²⁵ ≈ 1.2e-9, a phase error
     * below 2π · 1.2e-9 · 500 ≈ 4e-6 at the last step; float rounding of y adds 6e-8.
     */
    private static void assertSineTrials(float[] x, float[] y, int batch, String where) {
        for (int b = 0; b < batch; b++) {
            float in = x[b];
            if (!(in >= 0f && in <= 1f)) {
                fail("input " + in + " of trial " + b + " outside [0, 1]: " + where);
            }
            double omega = 0.04 * in + 0.01;
            for (int t = 0; t < T; t++) {
                int i = t * batch + b;
                if (x[i] != in) {
                    fail("input of trial " + b + " changes at t=" + t + " from " + in + " to " + x[i] + ": " + where);
                }
                double expected = Math.sin(2 * Math.PI * omega * t);
                if (Math.abs(y[i] - expected) > 2e-5) {
                    fail("y(t=" + t + ", b=" + b + ") = " + y[i] + ", sin(2 pi (0.04*" + in + "+0.01) t) = "
                            + expected + ": " + where);
                }
            }
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("org.rnnatlas.spi.testkit.TaskContract#seeds")
    void inputIsConstantAndTargetIsTheCuedSine(long seed) {
        int batch = 16;
        float[] x = new float[T * batch];
        float[] y = new float[T * batch];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int round = 0; round < 3; round++) {
            new SineWaveTask().sample(rng, batch, x, y);
            assertSineTrials(x, y, batch, "seed=" + seed + " round=" + round);
        }
    }

    /**
     * Recovers ω from the target alone, without the sine formula: the number of upward zero crossings after t = 0
     * is ω·(T−1) to within one, and the mean spacing of the crossings is 1/ω.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("org.rnnatlas.spi.testkit.TaskContract#seeds")
    void frequencyRecoveredFromTheTargetIsPointZeroFourXPlusPointZeroOne(long seed) {
        int batch = 32;
        float[] x = new float[T * batch];
        float[] y = new float[T * batch];
        new SineWaveTask().sample(new SplittableRandom(seed), batch, x, y);
        for (int b = 0; b < batch; b++) {
            double expected = 0.04 * x[b] + 0.01;
            double first = Double.NaN;
            double last = Double.NaN;
            int crossings = 0;
            for (int t = 1; t < T; t++) {
                double y0 = y[(t - 1) * batch + b];
                double y1 = y[t * batch + b];
                if (y0 < 0 && y1 >= 0) {
                    double at = (t - 1) + (-y0) / (y1 - y0); // linear interpolation of the crossing time
                    if (crossings == 0) {
                        first = at;
                    }
                    last = at;
                    crossings++;
                }
            }
            String where = "seed=" + seed + " trial " + b + " x=" + x[b];
            // y(0) = 0 starts a cycle; upward crossings then fall at k/ω, k = 1, 2, …, up to t = T−1.
            assertTrue(Math.abs(crossings - expected * (T - 1)) <= 1.0,
                    crossings + " upward zero crossings, expected about " + expected * (T - 1) + ": " + where);
            assertTrue(crossings >= 4, "too few crossings to estimate a period: " + where);
            double recovered = (crossings - 1) / (last - first);
            assertEquals(expected, recovered, 2e-4 * expected, "frequency recovered from the target: " + where);
        }
    }

    /** The task's own sine agrees with the JDK's to within a few ulps over the whole range a trial uses. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("org.rnnatlas.spi.testkit.TaskContract#seeds")
    void sinCyclesAgreesWithMathSin(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < 100_000; i++) {
            double c = i < 1_000 ? i / 8.0 : rng.nextDouble() * 0.05 * T; // quarter-cycle edges, then random
            double expected = Math.sin(2 * Math.PI * c);
            // 2π·c itself rounds by up to 2π·c·2⁻⁵³ ≈ 2e-14 at c = 25, so compare with that slack.
            assertEquals(expected, SineWaveTask.sinCycles(c), 1e-13, "sin(2 pi c) at c=" + c + ", seed=" + seed);
        }
        for (int k = 0; k <= 40; k++) {
            assertEquals(0.0, SineWaveTask.sinCycles(k / 2.0), 0.0, "sin at a half-cycle multiple " + k);
            assertEquals(k % 4 == 0 ? 1.0 : -1.0, SineWaveTask.sinCycles(k + (k % 4 == 0 ? 0.25 : 0.75)), 0.0);
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("org.rnnatlas.spi.testkit.TaskContract#seeds")
    void inputsAreUniformOnTheUnitInterval(long seed) {
        int batch = 4000;
        float[] x = new float[T * batch];
        float[] y = new float[T * batch];
        new SineWaveTask().sample(new SplittableRandom(seed), batch, x, y);
        double sum = 0;
        double sumSq = 0;
        int[] quarters = new int[4];
        for (int b = 0; b < batch; b++) {
            double v = x[b];
            sum += v;
            sumSq += v * v;
            quarters[Math.min(3, (int) (v * 4))]++;
        }
        double mean = sum / batch;
        double var = sumSq / batch - mean * mean;
        // U(0,1): mean 1/2 (sd of the estimate 0.0046), variance 1/12 (sd about 0.0013).
        assertEquals(0.5, mean, 0.025, "mean input, seed=" + seed);
        assertEquals(1.0 / 12, var, 0.007, "input variance, seed=" + seed);
        for (int q = 0; q < 4; q++) {
            // Binomial(4000, 1/4): sd 27.4.
            assertEquals(1000, quarters[q], 140, "inputs in quarter " + q + " of [0,1], seed=" + seed);
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("org.rnnatlas.spi.testkit.TaskContract#seeds")
    void leadingTrialsDoNotDependOnBatchSize(long seed) {
        float[] xs = new float[T * 2];
        float[] ys = new float[T * 2];
        float[] xl = new float[T * 5];
        float[] yl = new float[T * 5];
        new SineWaveTask().sample(new SplittableRandom(seed), 2, xs, ys);
        new SineWaveTask().sample(new SplittableRandom(seed), 5, xl, yl);
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < 2; b++) {
                assertEquals(xs[t * 2 + b], xl[t * 5 + b], "seed=" + seed);
                assertEquals(ys[t * 2 + b], yl[t * 5 + b], "seed=" + seed);
            }
        }
    }

    @Test
    void probeIsFiftyOneEvenlySpacedInputs() {
        Trials p = new SineWaveTask().probe();
        assertEquals(51, p.count());
        double[] input = p.attributes().get("input");
        double[] freq = p.attributes().get("frequency");
        assertEquals(Map.of("input", 51, "frequency", 51),
                Map.of("input", input.length, "frequency", freq.length));
        for (int i = 0; i < 51; i++) {
            assertEquals(i * 0.02, input[i], 1e-15, "probe input " + i);
            assertEquals(0.04 * input[i] + 0.01, freq[i], 1e-15, "probe frequency " + i);
            assertEquals((float) input[i], p.x()[i], "probe trial " + i + " shows its input");
        }
        assertEquals(0.0, input[0]);
        assertEquals(1.0, input[50]);
        assertSineTrials(p.x(), p.y(), 51, "probe");
    }

    @Test
    void conditionsAreTwentyOneStaticInputs() {
        List<Condition> c = new SineWaveTask().conditions();
        assertEquals(21, c.size());
        for (int i = 0; i < 21; i++) {
            assertEquals(i * 0.05, c.get(i).input()[0], 1e-15, "condition " + i);
        }
        assertEquals("input=0.00", c.get(0).label());
        assertEquals("input=0.05", c.get(1).label());
        assertEquals("input=0.50", c.get(10).label());
        assertEquals("input=1.00", c.get(20).label());
        assertEquals(1.0, c.get(20).input()[0]);
    }

    @Test
    void shapeAndOptions() {
        var s = new SineWaveTask().shape();
        assertEquals(1, s.inputs());
        assertEquals(1, s.outputs());
        assertEquals(500, s.steps());
        assertEquals(Map.of(), new SineWaveTask().options());
        assertThrows(IllegalArgumentException.class, () -> new SineWaveTask().configure(Map.of("p", "1")));
    }

    /**
     * The first batch of 4 trials from {@code new SplittableRandom(42)}, bit for bit. Produced by this test with
     * {@code mvn -B -o -q -pl plugins/tasks/sinewave test -Dgolden.update=true}; its content is also checked against
     * the sine formula by {@link #inputIsConstantAndTargetIsTheCuedSine}.
     */
    @Test
    void goldenSeed42() {
        TaskGolden.verify(new SineWaveTask(), 42L, 4, SineWaveTaskTest.class, "sine-seed42-batch4.txt");
    }
}
