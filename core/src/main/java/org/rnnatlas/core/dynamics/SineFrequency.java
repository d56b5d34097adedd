package org.rnnatlas.core.dynamics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.rnnatlas.spi.Condition;

/**
 * The linear frequency of a sine-task network (SPEC §7, the paper's Fig. 2f): at each condition's fixed point, the
 * dominant complex-conjugate pair λ of {@code J = ∂F/∂s} and its frequency
 * <pre>
 *   f = |arg λ| / (2π)   cycles per step,   in [0, ½]
 * </pre>
 * compared with the command frequency {@code ω = 0.04 x + 0.01} cycles per step that the static input x asks for
 * (SPEC §2; the sine task's conditions are 21 static inputs x = 0, 0.05, …, 1, so ω runs from 0.01 to 0.05). Both are
 * in cycles per time step: the paper's dt = 0.01 only names the time unit.
 *
 * <p><b>Dominant pair.</b> Among the eigenvalues that count as complex, the one with the largest |λ| (its member with
 * positive imaginary part). A real eigenvalue of larger modulus does not compete: the question is which oscillation
 * the linearisation carries, not which mode is slowest.
 *
 * <p><b>What counts as complex.</b> {@code |Im λ| > tol · |λ|}, i.e. {@code |sin arg λ| > tol}, default
 * {@value #DEFAULT_COMPLEX_TOLERANCE}. Why relative and why there: rounding splits a defective (double) real
 * eigenvalue into a pair with imaginary parts up to about √ε ≈ 1.5·10⁻⁸ of its modulus, and trained networks have
 * near-degenerate real eigenvalues near 1 whose pair carries |Im λ|/|λ| ≈ 10⁻⁵ (measured on a trained sine UGRNN:
 * with a threshold of 10⁻⁶ such a pair at 0.9998 was taken for the oscillation, f ≈ 0 at 8 of 21 inputs). Neither
 * is an oscillation. The threshold sits above both and still 60 times below the slowest command frequency
 * (2π · 0.01 ≈ 0.063 rad per step). An eigenvalue λ = 0 is never complex.
 *
 * <p><b>No pair.</b> When no eigenvalue is complex (or the condition has no fixed point, passed as {@code null}), the
 * frequency and modulus are NaN and the flag {@link ConditionFrequency#hasPair} is false; such conditions are left
 * out of the mean absolute error and counted in {@link Summary#missing}.
 */
public final class SineFrequency {

    /** Default of the relative threshold {@code |Im λ| > tol · |λ|} for a complex eigenvalue. */
    public static final double DEFAULT_COMPLEX_TOLERANCE = 1e-3;
    /** ω = SLOPE · x + OFFSET cycles per step (SPEC §2). */
    public static final double SLOPE = 0.04;
    /** ω at x = 0, cycles per step (SPEC §2). */
    public static final double OFFSET = 0.01;

    private static final double TWO_PI = 2.0 * Math.PI;

    private SineFrequency() {
    }

    /** The command frequency of SPEC §2, {@code ω = 0.04 x + 0.01} cycles per step, for static input x. */
    public static double commandFrequency(double input) {
        return SLOPE * input + OFFSET;
    }

    /**
     * The dominant complex-conjugate pair of one linearisation.
     *
     * @param found     false when no eigenvalue is complex; every other field is then NaN (index −1)
     * @param index     position of the member with Im λ &gt; 0 in the linearisation's eigenvalue order
     * @param real      Re λ
     * @param imag      Im λ (&gt; 0)
     * @param modulus   |λ|
     * @param frequency |arg λ| / 2π, cycles per step
     */
    public record Mode(boolean found, int index, double real, double imag, double modulus, double frequency) {
        static final Mode NONE = new Mode(false, -1, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** {@link #dominantPair(Linearisation, double)} with the default tolerance. */
    public static Mode dominantPair(Linearisation lin) {
        return dominantPair(lin, DEFAULT_COMPLEX_TOLERANCE);
    }

    /**
     * The complex eigenvalue of largest modulus ({@code |Im λ| > tol·|λ|}), reported by its member with positive
     * imaginary part; {@link Mode#found} is false when there is none.
     */
    public static Mode dominantPair(Linearisation lin, double tol) {
        Objects.requireNonNull(lin, "linearisation");
        if (!(tol >= 0 && tol < 1)) {
            throw new IllegalArgumentException("complex tolerance must be in [0, 1), got " + tol);
        }
        double[] re = lin.eigenReal();
        double[] im = lin.eigenImag();
        // eigenvalues come sorted by |λ| descending, so the first complex one with Im > 0 is the dominant pair
        for (int i = 0; i < re.length; i++) {
            double mod = Math.hypot(re[i], im[i]);
            if (im[i] > 0 && im[i] > tol * mod) {
                return new Mode(true, i, re[i], im[i], mod, Math.abs(Math.atan2(im[i], re[i])) / TWO_PI);
            }
        }
        return Mode.NONE;
    }

    /** {@link #dominantPair}'s frequency: {@code |arg λ| / 2π} cycles per step, NaN when there is no pair. */
    public static double linearFrequency(Linearisation lin) {
        return dominantPair(lin).frequency();
    }

    /**
     * One condition of one network.
     *
     * @param input   the static input x
     * @param command ω(x), cycles per step
     * @param linear  the linear frequency f of the dominant pair, cycles per step (NaN without a pair)
     * @param modulus |λ| of that pair (NaN without a pair); &gt; 1 is a growing oscillation
     * @param hasPair false when the condition has no fixed point or its Jacobian no complex eigenvalue
     */
    public record ConditionFrequency(double input, double command, double linear, double modulus, boolean hasPair) {

        /** {@code f − ω}, NaN without a pair. */
        public double error() {
            return linear - command;
        }
    }

    /**
     * One network's comparison over the task's conditions.
     *
     * @param conditions        one entry per condition, in the task's order
     * @param meanAbsoluteError mean of |f − ω| over the conditions with a pair (NaN when none has one)
     * @param missing           conditions without a pair
     */
    public record Summary(List<ConditionFrequency> conditions, double meanAbsoluteError, int missing) {
        public Summary {
            conditions = List.copyOf(conditions);
        }

        /** ω per condition. */
        public double[] commandFrequencies() {
            return conditions.stream().mapToDouble(ConditionFrequency::command).toArray();
        }

        /** f per condition (NaN where there is no pair): one row for {@link GroupStats#elementwise}. */
        public double[] linearFrequencies() {
            return conditions.stream().mapToDouble(ConditionFrequency::linear).toArray();
        }

        /** |λ| of the dominant pair per condition (NaN where there is none). */
        public double[] moduli() {
            return conditions.stream().mapToDouble(ConditionFrequency::modulus).toArray();
        }

        /** f − ω per condition. */
        public double[] errors() {
            return conditions.stream().mapToDouble(ConditionFrequency::error).toArray();
        }
    }

    /**
     * Compares the sine task's conditions with the linearisations at their fixed points, ω from SPEC §2 on the
     * condition's single input.
     *
     * @param conditions the task's conditions (each one input value x)
     * @param fixedPoints one linearisation per condition, in the same order; {@code null} where no fixed point was found
     */
    public static Summary summarise(List<Condition> conditions, List<Linearisation> fixedPoints) {
        Objects.requireNonNull(conditions, "conditions");
        double[] inputs = new double[conditions.size()];
        for (int c = 0; c < inputs.length; c++) {
            double[] in = conditions.get(c).input();
            if (in.length != 1) {
                throw new IllegalArgumentException("condition " + c + " (" + conditions.get(c).label() + ") has "
                        + in.length + " inputs; the sine task's conditions have exactly 1 (the static input x)");
            }
            inputs[c] = in[0];
        }
        double[] omega = Arrays.stream(inputs).map(SineFrequency::commandFrequency).toArray();
        return summarise(inputs, omega, fixedPoints, DEFAULT_COMPLEX_TOLERANCE);
    }

    /**
     * The general form: given inputs, their command frequencies and one linearisation per condition ({@code null}
     * where there is no fixed point).
     */
    public static Summary summarise(double[] inputs, double[] command, List<Linearisation> fixedPoints, double tol) {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(fixedPoints, "fixedPoints");
        if (command.length != inputs.length || fixedPoints.size() != inputs.length) {
            throw new IllegalArgumentException("need one command frequency and one linearisation per condition: "
                    + inputs.length + " inputs, " + command.length + " frequencies, " + fixedPoints.size()
                    + " linearisations");
        }
        List<ConditionFrequency> rows = new ArrayList<>(inputs.length);
        double sumAbs = 0;
        int found = 0;
        for (int c = 0; c < inputs.length; c++) {
            Linearisation lin = fixedPoints.get(c);
            Mode mode = lin == null ? Mode.NONE : dominantPair(lin, tol);
            rows.add(new ConditionFrequency(inputs[c], command[c], mode.frequency(), mode.modulus(), mode.found()));
            if (mode.found()) {
                sumAbs += Math.abs(mode.frequency() - command[c]);
                found++;
            }
        }
        return new Summary(rows, found == 0 ? Double.NaN : sumAbs / found, inputs.length - found);
    }
}
