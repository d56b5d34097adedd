package org.rnnatlas.tasks.sinewave;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

import org.rnnatlas.spi.Condition;
import org.rnnatlas.spi.Task;
import org.rnnatlas.spi.TaskShape;
import org.rnnatlas.spi.Trials;

/**
 * The frequency-cued sine wave task (SPEC §2).
 *
 * <p>M = K = 1, T = 500. Each trial draws a static input x ~ U(0, 1), held constant for all steps, and asks for a
 * sine wave whose frequency that input sets:
 * <pre>
 *   x(t) = x,   y(t) = sin(2π ω t),   ω = 0.04 x + 0.01 cycles per step,   t = 0..T−1
 * </pre>
 * so a trial shows between 5 and 25 cycles. The network sees x rounded to {@code float}; ω is computed from the
 * drawn double, a difference below 10⁻⁹ cycles per step.
 *
 * <p><b>Draw order</b>: one {@code nextDouble()} per trial, trials in order {@code b = 0..B−1}; nothing else.
 * The sine is evaluated in plain double arithmetic (see {@link #sinCycles}), so targets are bit-identical on
 * every JVM and platform and sampling allocates nothing.
 *
 * <p>Conditions: {@value #CONDITIONS} static inputs evenly spaced on [0, 1] (SPEC §6), labelled
 * {@code "input=0.00"}, {@code "input=0.05"}, …, {@code "input=1.00"}. Probe set: {@value #PROBE_TRIALS} trials
 * with x evenly spaced on [0, 1]; attributes {@code "input"} (x) and {@code "frequency"} (ω).
 *
 * <p>No options. Immutable and thread-safe; the public constructor does no work.
 */
public final class SineWaveTask implements Task {

    /** The name this task is registered under; persisted in run records. */
    public static final String NAME = "sine";
    /** Steps per trial. */
    public static final int STEPS = 500;
    /** Number of condition inputs for the fixed-point analysis. */
    public static final int CONDITIONS = 21;
    /** Number of probe trials. */
    public static final int PROBE_TRIALS = 51;
    /** ω = SLOPE · x + OFFSET, in cycles per step. */
    public static final double SLOPE = 0.04;
    /** ω at x = 0, in cycles per step. */
    public static final double OFFSET = 0.01;

    private static final TaskShape SHAPE = new TaskShape(1, 1, STEPS);
    private static final double TWO_PI = 2.0 * Math.PI;

    /** The task; no options, so every instance is the same. */
    public SineWaveTask() {
    }

    /** ω(x) = 0.04 x + 0.01 cycles per step. */
    public static double frequency(double input) {
        return SLOPE * input + OFFSET;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Frequency-cued sine wave: static input x in [0,1] sets y(t) = sin(2 pi (0.04x+0.01) t) (T=500)";
    }

    @Override
    public TaskShape shape() {
        return SHAPE;
    }

    @Override
    public void sample(RandomGenerator rng, int batch, float[] x, float[] y) {
        Objects.requireNonNull(rng, "rng");
        checkBatch(batch, x, y);
        for (int b = 0; b < batch; b++) {
            fillTrial(rng.nextDouble(), b, batch, x, y);
        }
    }

    /** Writes trial {@code b} of a time-major batch of {@code batch} trials for static input {@code input}. */
    private static void fillTrial(double input, int b, int batch, float[] x, float[] y) {
        float xf = (float) input;
        double omega = frequency(input);
        for (int t = 0; t < STEPS; t++) {
            int i = t * batch + b;
            x[i] = xf;
            y[i] = (float) sinCycles(omega * t);
        }
    }

    /**
     * sin(2π c) for c ≥ 0 cycles, allocation-free and bit-reproducible. The argument is reduced in cycle units,
     * where it is exact but for the rounding of {@code c − floor(c)}, to an angle |a| ≤ π/4 and a quadrant; sin or cos
     * of a then come from their Taylor series (truncation error below 1e-19, far under a double's ulp).
     * Why not a library call: {@link StrictMath#sin} allocates a scratch array on every call (the JDK's Java port of
     * fdlibm), which the contract's allocation check catches, and {@link Math#sin} may differ between platforms in
     * the last bit, which would make the golden batches platform-dependent.
     */
    static double sinCycles(double c) {
        double phase = c - Math.floor(c);              // [0, 1)
        int quadrant = (int) Math.rint(4.0 * phase);   // 0..4, the nearest quarter cycle
        double a = TWO_PI * (phase - 0.25 * quadrant); // |a| <= π/4
        return switch (quadrant & 3) {
            case 0 -> sinSmall(a);
            case 1 -> cosSmall(a);
            case 2 -> -sinSmall(a);
            default -> -cosSmall(a);
        };
    }

    /** sin a for |a| ≤ π/4: Σ_{k=0..8} (−1)^k a^(2k+1)/(2k+1)!, Horner in a². */
    static double sinSmall(double a) {
        double z = a * a;
        double p = S17;
        p = p * z + S15;
        p = p * z + S13;
        p = p * z + S11;
        p = p * z + S9;
        p = p * z + S7;
        p = p * z + S5;
        p = p * z + S3;
        return a + a * z * p;
    }

    /** cos a for |a| ≤ π/4: Σ_{k=0..9} (−1)^k a^(2k)/(2k)!, Horner in a². */
    static double cosSmall(double a) {
        double z = a * a;
        double p = C18;
        p = p * z + C16;
        p = p * z + C14;
        p = p * z + C12;
        p = p * z + C10;
        p = p * z + C8;
        p = p * z + C6;
        p = p * z + C4;
        p = p * z + C2;
        return 1.0 + z * p;
    }

    // Taylor coefficients ±1/n!, folded to double constants by the compiler.
    private static final double S3 = -1.0 / 6;
    private static final double S5 = 1.0 / 120;
    private static final double S7 = -1.0 / 5040;
    private static final double S9 = 1.0 / 362880;
    private static final double S11 = -1.0 / 39916800;
    private static final double S13 = 1.0 / 6227020800L;
    private static final double S15 = -1.0 / 1307674368000L;
    private static final double S17 = 1.0 / 355687428096000L;
    private static final double C2 = -1.0 / 2;
    private static final double C4 = 1.0 / 24;
    private static final double C6 = -1.0 / 720;
    private static final double C8 = 1.0 / 40320;
    private static final double C10 = -1.0 / 3628800;
    private static final double C12 = 1.0 / 479001600;
    private static final double C14 = -1.0 / 87178291200L;
    private static final double C16 = 1.0 / 20922789888000L;
    private static final double C18 = -1.0 / 6402373705728000L;

    private static void checkBatch(int batch, float[] x, float[] y) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        long need = (long) STEPS * batch;
        if (x.length < need) {
            throw new IllegalArgumentException("x has " + x.length + " entries, needs at least T*B*M = "
                    + STEPS + "*" + batch + "*1 = " + need);
        }
        if (y.length < need) {
            throw new IllegalArgumentException("y has " + y.length + " entries, needs at least T*B*K = "
                    + STEPS + "*" + batch + "*1 = " + need);
        }
    }

    /**
     * The probe set: trial i has x = i / 50, i = 0..50. Every call returns freshly built arrays with the same
     * content, so a caller may modify them.
     */
    @Override
    public Trials probe() {
        float[] x = new float[STEPS * PROBE_TRIALS];
        float[] y = new float[STEPS * PROBE_TRIALS];
        double[] input = new double[PROBE_TRIALS];
        double[] freq = new double[PROBE_TRIALS];
        for (int i = 0; i < PROBE_TRIALS; i++) {
            input[i] = grid(i, PROBE_TRIALS);
            freq[i] = frequency(input[i]);
            fillTrial(input[i], i, PROBE_TRIALS, x, y);
        }
        return new Trials(PROBE_TRIALS, STEPS, 1, 1, x, y, Map.of("input", input, "frequency", freq));
    }

    /** {@value #CONDITIONS} static inputs i / 20 on [0, 1]; fixed points move with the input (SPEC §6). */
    @Override
    public List<Condition> conditions() {
        List<Condition> out = new ArrayList<>(CONDITIONS);
        for (int i = 0; i < CONDITIONS; i++) {
            double v = grid(i, CONDITIONS);
            out.add(new Condition(String.format(Locale.ROOT, "input=%.2f", v), new double[] {v}));
        }
        return List.copyOf(out);
    }

    /** Point i of n evenly spaced points on [0, 1]; i / (n−1) rather than i·h so the ends are exactly 0 and 1. */
    private static double grid(int i, int n) {
        return (double) i / (n - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SineWaveTask;
    }

    @Override
    public int hashCode() {
        return NAME.hashCode();
    }

    @Override
    public String toString() {
        return "SineWaveTask[]";
    }
}
