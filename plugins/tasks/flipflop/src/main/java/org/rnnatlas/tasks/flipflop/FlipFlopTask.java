package org.rnnatlas.tasks.flipflop;

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
 * The 3-bit flip-flop memory task (SPEC §2).
 *
 * <p>M = K = 3 channels, T = 100 steps. At every step each input channel independently carries a pulse with
 * probability p (default 0.05), of sign ±1 with equal chance, and is 0 otherwise:
 * <pre>
 *   x_k(t) ∈ {−1, 0, +1},   P(x_k(t) ≠ 0) = p,   P(x_k(t) = +1 | x_k(t) ≠ 0) = ½
 *   y_k(t) = x_k(t')  with t' = max{ τ ≤ t : x_k(τ) ≠ 0 },   y_k(t) = 0 when no such τ exists
 * </pre>
 * so the target of channel k is the sign of its most recent pulse at or before t.
 *
 * <p><b>Draw order</b> (fixed, so a seeded generator reproduces every batch): trial by trial
 * ({@code b = 0..B−1}), then step by step, then channel by channel; for each entry one {@code nextDouble()}, and,
 * only when it is below p, one {@code nextBoolean()} for the sign ({@code true} → +1). Because trials are drawn
 * one after another, the first trials of a batch do not depend on the batch size.
 *
 * <p>Condition input: x* = 0 (label {@code "zero"}). Probe set: the first {@value #PROBE_TRIALS} trials drawn
 * from {@code new SplittableRandom(}{@value #PROBE_SEED}{@code )}, with this instance's p.
 *
 * <p>Option {@code "p"}: pulse probability per channel per step, 0 &lt; p ≤ 1.
 *
 * <p>Immutable and thread-safe; the public constructor does no work.
 */
public final class FlipFlopTask implements Task {

    /** The name this task is registered under; persisted in run records. */
    public static final String NAME = "flipflop";
    /** Channels: M = K. */
    public static final int CHANNELS = 3;
    /** Steps per trial. */
    public static final int STEPS = 100;
    /** Default pulse probability per channel per step. */
    public static final double DEFAULT_P = 0.05;
    /** Seed of the {@link SplittableRandom} the probe set is drawn from. Changing it changes every stored analysis. */
    public static final long PROBE_SEED = 0x5F11F10BL;
    /** Number of probe trials. */
    public static final int PROBE_TRIALS = 64;

    private static final TaskShape SHAPE = new TaskShape(CHANNELS, CHANNELS, STEPS);

    private final double p;

    /** The default task, p = {@value #DEFAULT_P}. */
    public FlipFlopTask() {
        this.p = DEFAULT_P;
    }

    private FlipFlopTask(double p) {
        this.p = p;
    }

    /** The pulse probability of this instance. */
    public double pulseProbability() {
        return p;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "3-bit flip-flop: hold the sign of the last +/-1 pulse on each of 3 channels (T=100, pulse prob. p)";
    }

    @Override
    public TaskShape shape() {
        return SHAPE;
    }

    @Override
    public void sample(RandomGenerator rng, int batch, float[] x, float[] y) {
        Objects.requireNonNull(rng, "rng");
        checkBatch(batch, x, y);
        final int m = CHANNELS;
        final int stride = batch * m; // distance between step t and t+1 of the same trial and channel
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < STEPS; t++) {
                int off = t * stride + b * m;
                for (int k = 0; k < m; k++) {
                    int i = off + k;
                    float pulse = 0f;
                    if (rng.nextDouble() < p) {
                        pulse = rng.nextBoolean() ? 1f : -1f;
                    }
                    x[i] = pulse;
                    // The running memory lives in y itself: the previous step's target is the state to carry.
                    y[i] = pulse != 0f ? pulse : (t == 0 ? 0f : y[i - stride]);
                }
            }
        }
    }

    /** Checks batch ≥ 1 and that x and y hold T·B·M and T·B·K entries; long arithmetic so huge batches cannot wrap. */
    private static void checkBatch(int batch, float[] x, float[] y) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        long need = (long) STEPS * batch * CHANNELS;
        if (x.length < need) {
            throw new IllegalArgumentException("x has " + x.length + " entries, needs at least T*B*M = "
                    + STEPS + "*" + batch + "*" + CHANNELS + " = " + need);
        }
        if (y.length < need) {
            throw new IllegalArgumentException("y has " + y.length + " entries, needs at least T*B*K = "
                    + STEPS + "*" + batch + "*" + CHANNELS + " = " + need);
        }
    }

    /**
     * The probe set: {@value #PROBE_TRIALS} trials from {@code new SplittableRandom(PROBE_SEED)}. Every call returns
     * freshly built arrays with the same content, so a caller may modify them. No per-trial attributes.
     */
    @Override
    public Trials probe() {
        int n = STEPS * PROBE_TRIALS * CHANNELS;
        float[] x = new float[n];
        float[] y = new float[n];
        sample(new SplittableRandom(PROBE_SEED), PROBE_TRIALS, x, y);
        return new Trials(PROBE_TRIALS, STEPS, CHANNELS, CHANNELS, x, y, Map.of());
    }

    /** One condition, x* = 0: the network holds its memory with no input. */
    @Override
    public List<Condition> conditions() {
        return List.of(new Condition("zero", new double[CHANNELS]));
    }

    @Override
    public Map<String, String> options() {
        return Map.of("p", Double.toString(p));
    }

    @Override
    public FlipFlopTask configure(Map<String, String> options) {
        Objects.requireNonNull(options, "options");
        double newP = p;
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (!"p".equals(e.getKey())) {
                throw new IllegalArgumentException("Task '" + NAME + "' has no option '" + e.getKey()
                        + "'. Allowed: [p] (pulse probability, 0 < p <= 1)");
            }
            newP = parseP(e.getValue());
        }
        return new FlipFlopTask(newP);
    }

    private static double parseP(String value) {
        double v;
        try {
            v = Double.parseDouble(Objects.requireNonNull(value, "value of option p").strip());
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("Option p of task '" + NAME + "' must be a number with 0 < p <= 1, got '"
                    + value + "'", ex);
        }
        if (!(v > 0.0 && v <= 1.0)) {
            throw new IllegalArgumentException("Option p of task '" + NAME + "' must satisfy 0 < p <= 1, got " + value);
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlipFlopTask other && Double.compare(p, other.p) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(p);
    }

    @Override
    public String toString() {
        return "FlipFlopTask[p=" + p + "]";
    }
}
