package org.rnnatlas.core.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Condition;

class SineFrequencyTest {

    private static final double TWO_PI = 2 * Math.PI;

    /** A linear cell s' = ρ Rot(θ) s + B x: at its fixed point for any x, f = θ / 2π exactly. */
    @ParameterizedTest
    @ValueSource(doubles = {0.01 * TWO_PI, 0.03 * TWO_PI, 0.05 * TWO_PI, 1.0, 3.0, -0.2})
    void rotationByThetaHasFrequencyThetaOverTwoPi(double theta) {
        double rho = 1.02; // mildly unstable, as the paper finds
        double[][] a = ModalSystem.rotation(rho, theta);
        double[][] b = {{0.5}, {-0.2}};
        double[] p = LinearCell.params(a, b, new double[2]);
        double x = 0.35;
        // fixed point (I − A)⁻¹ B x
        double[][] ima = {{1 - a[0][0], -a[0][1]}, {-a[1][0], 1 - a[1][1]}};
        double[][] inv = ModalSystem.inverse(ima);
        double[] state = {inv[0][0] * b[0][0] * x + inv[0][1] * b[1][0] * x,
                inv[1][0] * b[0][0] * x + inv[1][1] * b[1][0] * x};
        Linearisation lin = Linearisation.at(new LinearCell(), new CellSpec(1, 2, Activation.TANH), p, state,
                new double[] {x});
        SineFrequency.Mode mode = SineFrequency.dominantPair(lin);
        assertTrue(mode.found());
        assertEquals(Math.abs(theta) / TWO_PI, mode.frequency(), 1e-14);
        assertEquals(rho, mode.modulus(), 1e-14);
        assertTrue(mode.imag() > 0, "the member with positive imaginary part");
        assertEquals(0, mode.index());
    }

    @Test
    void dominantPairIsTheLargestComplexOneNotTheLargestEigenvalue() {
        // a fast real mode 1.5, a pair 0.95 e^{±0.2i}, a pair 1.01 e^{±0.5i}, a real −0.3
        ModalSystem sys = ModalSystem.of(11, ModalSystem.real(1.5), ModalSystem.rotation(0.95, 0.2),
                ModalSystem.rotation(1.01, 0.5), ModalSystem.real(-0.3));
        Linearisation lin = Linearisation.of(sys.jacobian(), sys.n);
        SineFrequency.Mode mode = SineFrequency.dominantPair(lin);
        assertTrue(mode.found());
        assertEquals(1, mode.index(), "after the real 1.5");
        assertEquals(1.01, mode.modulus(), 1e-12);
        assertEquals(0.5 / TWO_PI, mode.frequency(), 1e-12);
        assertEquals(0.5 / TWO_PI, SineFrequency.linearFrequency(lin), 1e-12);
    }

    @Test
    void noComplexPairGivesNaNAndAFlag() {
        ModalSystem sys = ModalSystem.of(3, ModalSystem.real(0.9), ModalSystem.real(-0.99), ModalSystem.real(0.2));
        SineFrequency.Mode mode = SineFrequency.dominantPair(Linearisation.of(sys.jacobian(), sys.n));
        assertFalse(mode.found());
        assertEquals(-1, mode.index());
        assertTrue(Double.isNaN(mode.frequency()));
        assertTrue(Double.isNaN(mode.modulus()));
    }

    @Test
    void complexMeansImaginaryPartAboveTheRelativeTolerance() {
        // eigenvalues 0.9 ± iε: complex for the default tolerance 1e-3 only when ε / |λ| exceeds it
        double eps = 1e-4;
        double[] j = {0.9, -eps, eps, 0.9};
        Linearisation lin = Linearisation.of(j, 2);
        assertFalse(SineFrequency.dominantPair(lin).found(), "ε/|λ| ≈ 1.1e-4 < 1e-3");
        SineFrequency.Mode strict = SineFrequency.dominantPair(lin, 0);
        assertTrue(strict.found(), "any non-zero imaginary part with tolerance 0");
        assertEquals(Math.atan2(eps, 0.9) / TWO_PI, strict.frequency(), 1e-20);
        double big = 1e-2;
        SineFrequency.Mode mode = SineFrequency.dominantPair(Linearisation.of(new double[] {0.9, -big, big, 0.9}, 2));
        assertTrue(mode.found());
        assertEquals(Math.atan2(big, 0.9) / TWO_PI, mode.frequency(), 1e-18);
        assertThrows(IllegalArgumentException.class, () -> SineFrequency.dominantPair(lin, -1));
        assertThrows(IllegalArgumentException.class, () -> SineFrequency.dominantPair(lin, 1));
    }

    @Test
    void commandFrequencyIsSpecSection2() {
        assertEquals(0.01, SineFrequency.commandFrequency(0), 0);
        assertEquals(0.05, SineFrequency.commandFrequency(1), 1e-17);
        assertEquals(0.03, SineFrequency.commandFrequency(0.5), 1e-17);
    }

    /**
     * A synthetic network whose linear frequency is ω(x)·(1 + δ) at every condition but one (no fixed point): the
     * errors, their mean absolute value and the missing count follow in closed form.
     */
    @Test
    void summaryComparesEveryConditionWithItsCommandFrequency() {
        double delta = 0.04;
        List<Condition> conditions = new ArrayList<>();
        List<Linearisation> lins = new ArrayList<>();
        double expectedSum = 0;
        int n = 21;
        for (int i = 0; i < n; i++) {
            double x = i / 20.0;
            conditions.add(new Condition(String.format(Locale.ROOT, "input=%.2f", x), new double[] {x}));
            double omega = 0.04 * x + 0.01;
            if (i == 7) {
                lins.add(null); // no fixed point found for this condition
                continue;
            }
            double theta = TWO_PI * omega * (1 + delta);
            ModalSystem sys = ModalSystem.of(100 + i, ModalSystem.rotation(1.003, theta), ModalSystem.real(0.5));
            lins.add(Linearisation.of(sys.jacobian(), sys.n));
            expectedSum += omega * delta;
        }
        SineFrequency.Summary s = SineFrequency.summarise(conditions, lins);
        assertEquals(21, s.conditions().size());
        assertEquals(1, s.missing());
        assertEquals(expectedSum / 20, s.meanAbsoluteError(), 1e-14);
        SineFrequency.ConditionFrequency c20 = s.conditions().get(20);
        assertEquals(1.0, c20.input());
        assertEquals(0.05, c20.command(), 1e-17);
        assertEquals(0.05 * 1.04, c20.linear(), 1e-13);
        assertEquals(1.003, c20.modulus(), 1e-12);
        assertEquals(0.05 * 0.04, c20.error(), 1e-13);
        assertTrue(c20.hasPair());
        SineFrequency.ConditionFrequency c7 = s.conditions().get(7);
        assertFalse(c7.hasPair());
        assertTrue(Double.isNaN(c7.linear()) && Double.isNaN(c7.error()));
        assertEquals(0.04 * 0.35 + 0.01, c7.command(), 1e-17);
        double[] f = s.linearFrequencies();
        assertEquals(21, f.length);
        assertTrue(Double.isNaN(f[7]));
        assertArrayEquals(s.conditions().stream().mapToDouble(SineFrequency.ConditionFrequency::command).toArray(),
                s.commandFrequencies());
        // seeds of a group average per condition, the NaN left out
        GroupStats.MeanSe[] perCondition = GroupStats.elementwise(List.of(f, f));
        assertEquals(0.05 * 1.04, perCondition[20].mean(), 1e-13);
        assertEquals(2, perCondition[7].missing());
    }

    @Test
    void everyConditionMissingGivesNaNError() {
        SineFrequency.Summary s = SineFrequency.summarise(new double[] {0, 1}, new double[] {0.01, 0.05},
                java.util.Arrays.asList(null, Linearisation.of(new double[] {0.5}, 1)), 1e-6);
        assertEquals(2, s.missing());
        assertTrue(Double.isNaN(s.meanAbsoluteError()));
    }

    @Test
    void badShapesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SineFrequency.summarise(List.of(new Condition("context=0", new double[] {0, 0, 1, 0})),
                        java.util.Collections.singletonList(null)));
        assertTrue(e.getMessage().contains("exactly 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SineFrequency.summarise(new double[2], new double[2],
                List.of(Linearisation.of(new double[] {0.5}, 1)), 1e-6));
    }
}
