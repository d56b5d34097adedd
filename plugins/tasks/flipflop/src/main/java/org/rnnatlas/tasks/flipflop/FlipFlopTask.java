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
 * <p><b>Start</b> (option {@code "start"}). With {@code start=zero} (the default, SPEC §2 as written) a channel's
 * target is 0 until its first pulse, so a network must also represent a third level, "not yet pulsed", and some
 * cells (LSTMs above all) learn it as extra attractors with readout 0. With {@code start=pulse} every channel
 * carries a pulse at t = 0, x_k(0) ∈ {−1, +1} with equal chance, and the other steps are drawn as above; the
 * target is then never 0 and only the 8 corners of {±1}³ have to be held.
 *
 * <p><b>Draw order</b> (fixed, so a seeded generator reproduces every batch): trial by trial
 * ({@code b = 0..B−1}), then step by step, then channel by channel; for each entry one {@code nextDouble()}, and,
 * only when it is below p, one {@code nextBoolean()} for the sign ({@code true} → +1). With {@code start=pulse}
 * the entries of step 0 draw no {@code nextDouble()}: each draws only its {@code nextBoolean()} sign (so a trial
 * consumes 3 draws fewer at t = 0 and the rest of the stream shifts accordingly); steps 1..T−1 are drawn as in the
 * default. The default consumes exactly the draws it always did, so its batches are unchanged bit for bit. Because
 * trials are drawn one after another, the first trials of a batch do not depend on the batch size.
 *
 * <p>Condition input: x* = 0 (label {@code "zero"}). Probe set: the first {@value #PROBE_TRIALS} trials drawn
 * from {@code new SplittableRandom(}{@value #PROBE_SEED}{@code )} with this instance's options (p and start), so
 * under {@code start=pulse} the probe trials also open with a pulse on every channel.
 *
 * <p>Options: {@code "p"}, the pulse probability per channel per step, 0 &lt; p ≤ 1 (default
 * {@value #DEFAULT_P}); {@code "start"}, {@code zero} (default) or {@code pulse}, as above.
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

    /** Option value: targets are 0 before a channel's first pulse (SPEC §2; the default). */
    public static final String START_ZERO = "zero";
    /** Option value: every channel carries a ±1 pulse at t = 0, so targets are never 0. */
    public static final String START_PULSE = "pulse";

    private static final TaskShape SHAPE = new TaskShape(CHANNELS, CHANNELS, STEPS);

    private final double p;
    private final boolean pulseAtStart;

    /** The default task, p = {@value #DEFAULT_P}, start = {@value #START_ZERO}. */
    public FlipFlopTask() {
        this(DEFAULT_P, false);
    }

    private FlipFlopTask(double p, boolean pulseAtStart) {
        this.p = p;
        this.pulseAtStart = pulseAtStart;
    }

    /** The pulse probability of this instance. */
    public double pulseProbability() {
        return p;
    }

    /** True when every channel is pulsed at t = 0 (option {@code start=pulse}). */
    public boolean pulseAtStart() {
        return pulseAtStart;
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
                    if (t == 0 && pulseAtStart) {
                        // a certain pulse: only its sign is drawn (documented draw order)
                        pulse = rng.nextBoolean() ? 1f : -1f;
                    } else if (rng.nextDouble() < p) {
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
     * The probe set: {@value #PROBE_TRIALS} trials from {@code new SplittableRandom(PROBE_SEED)}, drawn by
     * {@link #sample} with this instance's options. Every call returns
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
        return Map.of("p", Double.toString(p), "start", pulseAtStart ? START_PULSE : START_ZERO);
    }

    @Override
    public FlipFlopTask configure(Map<String, String> options) {
        Objects.requireNonNull(options, "options");
        double newP = p;
        boolean newStart = pulseAtStart;
        for (Map.Entry<String, String> e : options.entrySet()) {
            switch (e.getKey()) {
                case "p" -> newP = parseP(e.getValue());
                case "start" -> newStart = parseStart(e.getValue());
                default -> throw new IllegalArgumentException("Task '" + NAME + "' has no option '" + e.getKey()
                        + "'. Allowed: [p] (pulse probability, 0 < p <= 1), [start] (" + START_ZERO + " or "
                        + START_PULSE + ")");
            }
        }
        return new FlipFlopTask(newP, newStart);
    }

    private static boolean parseStart(String value) {
        String v = Objects.requireNonNull(value, "value of option start").strip();
        if (START_ZERO.equals(v)) {
            return false;
        }
        if (START_PULSE.equals(v)) {
            return true;
        }
        throw new IllegalArgumentException("Option start of task '" + NAME + "' must be '" + START_ZERO
                + "' (targets 0 before a channel's first pulse) or '" + START_PULSE
                + "' (every channel pulsed at t = 0), got '" + value + "'");
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
        return o instanceof FlipFlopTask other && Double.compare(p, other.p) == 0
                && pulseAtStart == other.pulseAtStart;
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(p) + Boolean.hashCode(pulseAtStart);
    }

    @Override
    public String toString() {
        return "FlipFlopTask[p=" + p + ", start=" + (pulseAtStart ? START_PULSE : START_ZERO) + "]";
    }
}
