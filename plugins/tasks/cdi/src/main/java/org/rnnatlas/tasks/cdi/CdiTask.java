package org.rnnatlas.tasks.cdi;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.rnnatlas.spi.Condition;
import org.rnnatlas.spi.Task;
import org.rnnatlas.spi.TaskShape;
import org.rnnatlas.spi.Trials;

/**
 * Context-dependent integration (SPEC §2).
 *
 * <p>K_ctx = 2 contexts; M = 4 inputs (two noise streams, then a one-hot context), K = 1 output, T = 30 steps. Per
 * trial each stream k draws a mean μ_k ~ U(−1, 1) and the context c is uniform over {0, 1}; then
 * <pre>
 *   x(t) = [u_0(t), u_1(t), [c = 0], [c = 1]],   u_k(t) ~ Normal(μ_k, 1) independently per step
 *   y(t) = scale · Σ_{τ ≤ t} u_c(τ)
 * </pre>
 * The cumulative sum is over the stream values as the network sees them (rounded to {@code float}), accumulated in
 * double precision; {@code scale} is the option of that name (default 1, the raw sum).
 *
 * <p><b>Draw order</b> (fixed, so a seeded generator reproduces every batch): trial by trial ({@code b = 0..B−1});
 * per trial {@code μ_0 = 2·nextDouble() − 1}, {@code μ_1 = 2·nextDouble() − 1}, then {@code c = nextBoolean() ? 1 : 0},
 * then per step {@code t = 0..T−1} the noise {@code nextGaussian()} of stream 0 and then of stream 1. The first trials
 * of a batch therefore do not depend on the batch size.
 *
 * <p>Conditions: both streams 0 with the context one-hot, one per context ({@code "context=0"}, {@code "context=1"}).
 * Probe set ({@value #PROBE_TRIALS} trials): for context 0 and then context 1, eleven noise-free trials whose cued
 * stream is constant at μ = −1, −0.8, …, 1 and whose other stream is 0; then the first {@value #PROBE_NOISY} trials
 * drawn from {@code new SplittableRandom(}{@value #PROBE_SEED}{@code )}. Attributes: {@code "context"}, {@code "mu"}
 * (the cued stream's mean: the grid value, or the drawn μ_c of a noisy trial) and {@code "noisy"} (0 or 1).
 *
 * <p>Immutable and thread-safe; the public constructor does no work.
 */
public final class CdiTask implements Task {

    /** The name this task is registered under; persisted in run records. */
    public static final String NAME = "cdi";
    /** Number of contexts (and of noise streams). */
    public static final int CONTEXTS = 2;
    /** Inputs: the streams, then the one-hot context. */
    public static final int INPUTS = 2 * CONTEXTS;
    /** Steps per trial. */
    public static final int STEPS = 30;
    /** Default target scale. */
    public static final double DEFAULT_SCALE = 1.0;
    /** Noise-free probe trials per context: μ on an 11-point grid over [−1, 1]. */
    public static final int PROBE_LEVELS = 11;
    /** Noisy probe trials. */
    public static final int PROBE_NOISY = 32;
    /** Total probe trials: 2·11 + 32. */
    public static final int PROBE_TRIALS = CONTEXTS * PROBE_LEVELS + PROBE_NOISY;
    /** Seed of the {@link SplittableRandom} the noisy probe trials are drawn from. */
    public static final long PROBE_SEED = 0xCD1_2019L;

    private static final TaskShape SHAPE = new TaskShape(INPUTS, 1, STEPS);

    private final double scale;

    /** The default task, scale = 1. */
    public CdiTask() {
        this.scale = DEFAULT_SCALE;
    }

    private CdiTask(double scale) {
        this.scale = scale;
    }

    /** The target scale of this instance. */
    public double scale() {
        return scale;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Context-dependent integration: sum the context-cued one of two noisy streams (M=4, K=1, T=30)";
    }

    @Override
    public TaskShape shape() {
        return SHAPE;
    }

    @Override
    public void sample(RandomGenerator rng, int batch, float[] x, float[] y) {
        Objects.requireNonNull(rng, "rng");
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        long needX = (long) STEPS * batch * INPUTS;
        long needY = (long) STEPS * batch;
        if (x.length < needX) {
            throw new IllegalArgumentException("x has " + x.length + " entries, needs at least T*B*M = "
                    + STEPS + "*" + batch + "*" + INPUTS + " = " + needX);
        }
        if (y.length < needY) {
            throw new IllegalArgumentException("y has " + y.length + " entries, needs at least T*B*K = "
                    + STEPS + "*" + batch + "*1 = " + needY);
        }
        drawTrials(rng, batch, 0, batch, x, y, null, null);
    }

    /**
     * Draws trials {@code first .. first+count−1} of a time-major batch that is {@code batch} trials wide, in the
     * documented draw order. When {@code mu} and {@code context} are given, records each trial's cued mean and
     * context there (indexed by trial).
     */
    private void drawTrials(RandomGenerator rng, int batch, int first, int count, float[] x, float[] y,
                            double[] mu, double[] context) {
        for (int b = first; b < first + count; b++) {
            double mu0 = 2.0 * rng.nextDouble() - 1.0;
            double mu1 = 2.0 * rng.nextDouble() - 1.0;
            int c = rng.nextBoolean() ? 1 : 0;
            if (mu != null) {
                mu[b] = c == 0 ? mu0 : mu1;
                context[b] = c;
            }
            double sum = 0.0;
            for (int t = 0; t < STEPS; t++) {
                int xi = (t * batch + b) * INPUTS;
                float u0 = (float) (mu0 + rng.nextGaussian());
                float u1 = (float) (mu1 + rng.nextGaussian());
                x[xi] = u0;
                x[xi + 1] = u1;
                x[xi + 2] = c == 0 ? 1f : 0f;
                x[xi + 3] = c == 1 ? 1f : 0f;
                // Sum what the network sees, in double so 30 float additions add no rounding of their own.
                sum += c == 0 ? u0 : u1;
                y[t * batch + b] = (float) (scale * sum);
            }
        }
    }

    /**
     * The probe set described in the class comment. Every call returns freshly built arrays with the same content,
     * so a caller may modify them.
     */
    @Override
    public Trials probe() {
        final int n = PROBE_TRIALS;
        float[] x = new float[STEPS * n * INPUTS];
        float[] y = new float[STEPS * n];
        double[] context = new double[n];
        double[] mu = new double[n];
        double[] noisy = new double[n];
        for (int c = 0; c < CONTEXTS; c++) {
            for (int j = 0; j < PROBE_LEVELS; j++) {
                int b = c * PROBE_LEVELS + j;
                // (j − 5) / 5 rather than −1 + 0.2·j: the grid values are then the nearest doubles to −1, −0.8, …, 1.
                double level = (double) (j - (PROBE_LEVELS - 1) / 2) / ((PROBE_LEVELS - 1) / 2);
                context[b] = c;
                mu[b] = level;
                float u = (float) level;
                double sum = 0.0;
                for (int t = 0; t < STEPS; t++) {
                    int xi = (t * n + b) * INPUTS;
                    x[xi + c] = u;                 // the cued stream; the other stays 0
                    x[xi + CONTEXTS + c] = 1f;     // one-hot context
                    sum += u;
                    y[t * n + b] = (float) (scale * sum);
                }
            }
        }
        int first = CONTEXTS * PROBE_LEVELS;
        drawTrials(new SplittableRandom(PROBE_SEED), n, first, PROBE_NOISY, x, y, mu, context);
        for (int b = first; b < n; b++) {
            noisy[b] = 1.0;
        }
        return new Trials(n, STEPS, INPUTS, 1, x, y, Map.of("context", context, "mu", mu, "noisy", noisy));
    }

    /** One condition per context: streams 0, context one-hot. */
    @Override
    public List<Condition> conditions() {
        Condition[] out = new Condition[CONTEXTS];
        for (int c = 0; c < CONTEXTS; c++) {
            double[] in = new double[INPUTS];
            in[CONTEXTS + c] = 1.0;
            out[c] = new Condition("context=" + c, in);
        }
        return List.of(out);
    }

    @Override
    public Map<String, String> options() {
        return Map.of("scale", Double.toString(scale));
    }

    @Override
    public CdiTask configure(Map<String, String> options) {
        Objects.requireNonNull(options, "options");
        double newScale = scale;
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (!"scale".equals(e.getKey())) {
                throw new IllegalArgumentException("Task '" + NAME + "' has no option '" + e.getKey()
                        + "'. Allowed: [scale] (target scale, a finite number > 0)");
            }
            newScale = parseScale(e.getValue());
        }
        return new CdiTask(newScale);
    }

    private static double parseScale(String value) {
        double v;
        try {
            v = Double.parseDouble(Objects.requireNonNull(value, "value of option scale").strip());
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("Option scale of task '" + NAME
                    + "' must be a finite number > 0, got '" + value + "'", ex);
        }
        if (!(v > 0.0 && Double.isFinite(v))) {
            throw new IllegalArgumentException("Option scale of task '" + NAME
                    + "' must be a finite number > 0, got " + value);
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CdiTask other && Double.compare(scale, other.scale) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(scale);
    }

    @Override
    public String toString() {
        return "CdiTask[scale=" + scale + "]";
    }
}
