package org.rnnatlas.tasks.cdi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

class CdiTaskTest extends TaskContract {

    private static final int M = 4;
    private static final int T = 30;

    @Override
    protected Task task() {
        return new CdiTask();
    }

    @Override
    protected List<Map<String, String>> validOptions() {
        return List.of(Map.of("scale", "0.1"), Map.of("scale", "3"));
    }

    @Override
    protected List<Map<String, String>> invalidOptions() {
        return List.of(Map.of("scale", "0"), Map.of("scale", "-1"), Map.of("scale", "Infinity"),
                Map.of("scale", "NaN"), Map.of("scale", "big"));
    }

    /** The context of trial b at step t, after checking that channels 2..3 are one-hot. */
    private static int contextAt(float[] x, int batch, int b, int t, String where) {
        int i = (t * batch + b) * M;
        float c0 = x[i + 2];
        float c1 = x[i + 3];
        if (c0 == 1f && c1 == 0f) {
            return 0;
        }
        if (c0 == 0f && c1 == 1f) {
            return 1;
        }
        fail("context channels (" + c0 + ", " + c1 + ") at t=" + t + ", b=" + b + " are not one-hot: " + where);
        return -1;
    }

    /**
     * Checks that the context is one-hot and constant over each trial and that y(t) = scale · Σ_{τ≤t} u_c(τ),
     * recomputed from the inputs alone (in double, so the only difference allowed is the task's rounding to float).
     */
    private static void assertIntegratesCuedStream(float[] x, float[] y, int batch, double scale, String where) {
        for (int b = 0; b < batch; b++) {
            int c = contextAt(x, batch, b, 0, where);
            double sum = 0;
            for (int t = 0; t < T; t++) {
                if (contextAt(x, batch, b, t, where) != c) {
                    fail("context of trial " + b + " changes at t=" + t + ": " + where);
                }
                sum += x[(t * batch + b) * M + c];
                double expected = scale * sum;
                double got = y[t * batch + b];
                if (Math.abs(got - expected) > 1e-6 * (1 + Math.abs(expected))) {
                    fail("y(t=" + t + ", b=" + b + ") = " + got + ", cumulative sum of stream " + c + " times "
                            + scale + " = " + expected + ": " + where);
                }
            }
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("org.rnnatlas.spi.testkit.TaskContract#seeds")
    void targetIsTheCumulativeSumOfTheCuedStream(long seed) {
        for (double scale : new double[] {1.0, 0.25}) {
            CdiTask task = new CdiTask().configure(Map.of("scale", Double.toString(scale)));
            int batch = 32;
            float[] x = new float[T * batch * M];
            float[] y = new float[T * batch];
            SplittableRandom rng = new SplittableRandom(seed);
            for (int round = 0; round < 3; round++) {
                task.sample(rng, batch, x, y);
                assertIntegratesCuedStream(x, y, batch, scale, task + " seed=" + seed + " round=" + round);
            }
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("org.rnnatlas.spi.testkit.TaskContract#seeds")
    void scaleMultipliesTheTargetOnly(long seed) {
        int batch = 8;
        float[] x1 = new float[T * batch * M];
        float[] y1 = new float[T * batch];
        float[] x2 = x1.clone();
        float[] y2 = y1.clone();
        new CdiTask().sample(new SplittableRandom(seed), batch, x1, y1);
        new CdiTask().configure(Map.of("scale", "0.5")).sample(new SplittableRandom(seed), batch, x2, y2);
        assertArrayEquals(x1, x2, "the scale must not change the inputs, seed=" + seed);
        for (int i = 0; i < y1.length; i++) {
            assertEquals(0.5 * y1[i], y2[i], 1e-6 * (1 + Math.abs(y1[i])), "y[" + i + "], seed=" + seed);
        }
    }

    /**
     * Noise statistics over a large batch. Within a trial u_k(t) − mean_t u_k is N(0,1) noise, so the pooled
     * within-trial variance is about 1. Across trials the per-trial mean of a stream is μ_k + N(0, 1/T) with
     * μ_k ~ U(−1,1), so its mean is about 0 and its variance about 1/3 + 1/T. Contexts are equiprobable.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("org.rnnatlas.spi.testkit.TaskContract#seeds")
    void noiseHasUnitVarianceAroundUniformMeans(long seed) {
        int batch = 2000;
        float[] x = new float[T * batch * M];
        float[] y = new float[T * batch];
        new CdiTask().sample(new SplittableRandom(seed), batch, x, y);
        double within = 0;
        double meanOfMeans = 0;
        double sqOfMeans = 0;
        int ctx1 = 0;
        double maxAbsMean = 0;
        for (int b = 0; b < batch; b++) {
            ctx1 += contextAt(x, batch, b, 0, "seed=" + seed);
            for (int k = 0; k < 2; k++) {
                double s = 0;
                for (int t = 0; t < T; t++) {
                    s += x[(t * batch + b) * M + k];
                }
                double m = s / T;
                double ss = 0;
                for (int t = 0; t < T; t++) {
                    double d = x[(t * batch + b) * M + k] - m;
                    ss += d * d;
                }
                within += ss / (T - 1);
                meanOfMeans += m;
                sqOfMeans += m * m;
                maxAbsMean = Math.max(maxAbsMean, Math.abs(m));
            }
        }
        int n = 2 * batch;
        within /= n;
        meanOfMeans /= n;
        double varOfMeans = sqOfMeans / n - meanOfMeans * meanOfMeans;
        // sd of the pooled variance ≈ sqrt(2 / (n (T−1))) = 0.0037; of the mean of means ≈ 0.0096;
        // of the variance of means ≈ 0.0065.
        assertEquals(1.0, within, 0.02, "pooled within-trial noise variance, seed=" + seed);
        assertEquals(0.0, meanOfMeans, 0.05, "mean of the stream means, seed=" + seed);
        assertEquals(1.0 / 3 + 1.0 / T, varOfMeans, 0.035, "variance of the stream means, seed=" + seed);
        // |μ| ≤ 1 and the N(0, 1/30) error of a trial mean stays below 6 sd ≈ 1.1 in 4,000 draws.
        assertTrue(maxAbsMean < 2.1, "a stream mean of " + maxAbsMean + " is too far outside [-1, 1], seed=" + seed);
        // Binomial(2000, 1/2): sd 22.4.
        assertEquals(batch / 2.0, ctx1, 5 * 22.4, "trials in context 1, seed=" + seed);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("org.rnnatlas.spi.testkit.TaskContract#seeds")
    void leadingTrialsDoNotDependOnBatchSize(long seed) {
        float[] xs = new float[T * 2 * M];
        float[] ys = new float[T * 2];
        float[] xl = new float[T * 6 * M];
        float[] yl = new float[T * 6];
        new CdiTask().sample(new SplittableRandom(seed), 2, xs, ys);
        new CdiTask().sample(new SplittableRandom(seed), 6, xl, yl);
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < 2; b++) {
                for (int k = 0; k < M; k++) {
                    assertEquals(xs[(t * 2 + b) * M + k], xl[(t * 6 + b) * M + k], "seed=" + seed);
                }
                assertEquals(ys[t * 2 + b], yl[t * 6 + b], "seed=" + seed);
            }
        }
    }

    @Test
    void probeHasElevenNoiseFreeLevelsPerContextAndThirtyTwoNoisyTrials() {
        Trials p = new CdiTask().probe();
        int n = 54;
        assertEquals(n, p.count());
        double[] context = p.attributes().get("context");
        double[] mu = p.attributes().get("mu");
        double[] noisy = p.attributes().get("noisy");
        assertIntegratesCuedStream(p.x(), p.y(), n, 1.0, "probe");
        for (int c = 0; c < 2; c++) {
            for (int j = 0; j < 11; j++) {
                int b = c * 11 + j;
                double level = -1.0 + 0.2 * j;
                assertEquals(c, context[b], "context of probe trial " + b);
                assertEquals(level, mu[b], 1e-12, "mu of probe trial " + b);
                assertEquals(0.0, noisy[b], "noisy flag of probe trial " + b);
                assertEquals(c, contextAt(p.x(), n, b, 0, "probe"));
                for (int t = 0; t < T; t++) {
                    int i = (t * n + b) * M;
                    assertEquals((float) mu[b], p.x()[i + c], "cued stream of noise-free trial " + b + " at t=" + t);
                    assertEquals(0f, p.x()[i + 1 - c], "other stream of noise-free trial " + b + " at t=" + t);
                    assertEquals((t + 1) * mu[b], p.y()[t * n + b], 1e-5, "target of noise-free trial " + b);
                }
            }
        }
        assertEquals(-1.0, mu[0]);
        assertEquals(1.0, mu[10]);
        // The noisy trials: the first 32 trials of sample(new SplittableRandom(PROBE_SEED), 32, ...).
        float[] x = new float[T * 32 * M];
        float[] y = new float[T * 32];
        new CdiTask().sample(new SplittableRandom(CdiTask.PROBE_SEED), 32, x, y);
        int seen1 = 0;
        for (int j = 0; j < 32; j++) {
            int b = 22 + j;
            assertEquals(1.0, noisy[b], "noisy flag of probe trial " + b);
            int c = contextAt(p.x(), n, b, 0, "probe");
            assertEquals(c, context[b], "context attribute of probe trial " + b);
            seen1 += c;
            assertTrue(mu[b] >= -1 && mu[b] < 1, "drawn mu " + mu[b] + " outside [-1, 1)");
            double mean = 0;
            for (int t = 0; t < T; t++) {
                for (int k = 0; k < M; k++) {
                    assertEquals(x[(t * 32 + j) * M + k], p.x()[(t * n + b) * M + k], "noisy probe trial " + j);
                }
                assertEquals(y[t * 32 + j], p.y()[t * n + b], "noisy probe target " + j);
                mean += p.x()[(t * n + b) * M + c] / T;
            }
            // The cued stream's trial mean is mu + N(0, 1/30): within 5 sd = 0.92 of the recorded mu.
            assertEquals(mu[b], mean, 0.92, "recorded mu vs the cued stream's mean, probe trial " + b);
        }
        assertTrue(seen1 > 0 && seen1 < 32, "the noisy probe trials should cover both contexts");
    }

    @Test
    void conditionsAreOneHotContextsWithSilentStreams() {
        List<Condition> c = new CdiTask().conditions();
        assertEquals(2, c.size());
        assertEquals("context=0", c.get(0).label());
        assertEquals("context=1", c.get(1).label());
        assertArrayEquals(new double[] {0, 0, 1, 0}, c.get(0).input());
        assertArrayEquals(new double[] {0, 0, 0, 1}, c.get(1).input());
    }

    @Test
    void shapeAndOptions() {
        var s = new CdiTask().shape();
        assertEquals(4, s.inputs());
        assertEquals(1, s.outputs());
        assertEquals(30, s.steps());
        assertEquals(Map.of("scale", "1.0"), new CdiTask().options());
        CdiTask t = new CdiTask().configure(Map.of("scale", "2"));
        assertEquals(Map.of("scale", "2.0"), t.options());
        assertEquals(2.0, t.scale());
        assertEquals(1.0, new CdiTask().scale());
    }

    /**
     * The first batch of 4 trials from {@code new SplittableRandom(42)} with scale 1, bit for bit. Produced by this
     * test with {@code mvn -B -o -q -pl plugins/tasks/cdi test -Dgolden.update=true}; its content is also checked
     * (one-hot constant context, target = cumulative sum of the cued stream) below.
     */
    @Test
    void goldenSeed42() {
        TaskGolden.verify(new CdiTask(), 42L, 4, CdiTaskTest.class, "cdi-seed42-batch4.txt");
        float[] x = new float[T * 4 * M];
        float[] y = new float[T * 4];
        new CdiTask().sample(new SplittableRandom(42L), 4, x, y);
        assertIntegratesCuedStream(x, y, 4, 1.0, "golden batch");
    }
}
