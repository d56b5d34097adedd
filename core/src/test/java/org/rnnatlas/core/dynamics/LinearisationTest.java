package org.rnnatlas.core.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.FixedPoint;

class LinearisationTest {

    @Test
    void aJacobianOfSignedZerosDecomposes() {
        // an untrained relu network with every unit off has J = diag(0)·W: entries −0.0 and 0.0; ojAlgo's QR iteration
        // used to spin forever on it
        for (int n : new int[] {1, 2, 8, 64}) {
            double[] j = new double[n * n];
            for (int i = 0; i < j.length; i++) {
                j[i] = i % 3 == 0 ? -0.0 : 0.0;
            }
            Linearisation lin = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                    java.time.Duration.ofSeconds(20), () -> Linearisation.of(j, n));
            assertEquals(0.0, lin.spectralRadius(), 0.0);
            assertEquals(0, lin.unstableDims());
            assertTrue(lin.stable());
        }
        // zero rows (units that are off) next to live ones decompose too
        double[] j = {0.0, -0.0, 0.0, 0.5, 0.2, 0.0, -0.0, 0.0, -0.0};
        Linearisation lin = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(20), () -> Linearisation.of(j, 3));
        assertEquals(0.2, lin.spectralRadius(), 1e-15); // triangular: the diagonal
    }

    @Test
    void chosenEigenvaluesComeBackSortedByModulus() {
        double[][] a = FixedPointFinderTest.withEigenvalues(0.2, -0.9, 0.5);
        double[] p = LinearCell.params(a, new double[][] {{0}, {0}, {0}}, new double[3]);
        Linearisation lin = Linearisation.at(new LinearCell(), new CellSpec(1, 3, Activation.TANH), p, new double[3],
                new double[1]);
        assertArrayEquals(new double[] {-0.9, 0.5, 0.2}, lin.eigenReal(), 1e-12);
        assertArrayEquals(new double[3], lin.eigenImag(), 1e-12);
        assertTrue(lin.stable());
        assertEquals(0, lin.unstableDims());
        assertArrayEquals(new double[] {-1 / Math.log(0.9), -1 / Math.log(0.5), -1 / Math.log(0.2)},
                lin.timeConstants(), 1e-10);
        checkEigenvectors(lin);
    }

    @Test
    void rotationGivesTheConjugatePairAtItsAngle() {
        double rho = 0.95;
        double theta = 0.3;
        double[] jac = {rho * Math.cos(theta), -rho * Math.sin(theta), rho * Math.sin(theta), rho * Math.cos(theta)};
        Linearisation lin = Linearisation.of(jac, 2);
        assertEquals(rho * Math.cos(theta), lin.eigenReal()[0], 1e-12);
        assertEquals(rho * Math.sin(theta), lin.eigenImag()[0], 1e-12, "positive imaginary part first");
        assertEquals(-rho * Math.sin(theta), lin.eigenImag()[1], 1e-12);
        assertEquals(theta, Math.abs(Math.atan2(lin.eigenImag()[0], lin.eigenReal()[0])), 1e-12);
        assertEquals(rho, lin.modulus(0), 1e-12);
        assertEquals(-1 / Math.log(rho), lin.timeConstants()[0], 1e-9);
        checkEigenvectors(lin);
    }

    @Test
    void rotationFixedPointIsFoundAndLinearised() {
        double rho = 0.9;
        double theta = 0.7;
        double[][] a = {{rho * Math.cos(theta), -rho * Math.sin(theta)}, {rho * Math.sin(theta), rho * Math.cos(theta)}};
        double[] c = {0.1, -0.2};
        double[] p = LinearCell.params(a, new double[][] {{0}, {0}}, c);
        CellSpec spec = new CellSpec(1, 2, Activation.TANH);
        FixedPointFinder.Result r = new FixedPointFinder(new LinearCell(), spec, p,
                FixedPointFinder.Options.defaults(Activation.TANH).withCandidates(64))
                .find(new double[1], new double[] {0, 0, 0.5, 0.5, -0.5, 0.2}, java.util.random.RandomGeneratorFactory
                        .of("L64X128MixRandom").create(9));
        assertEquals(1, r.fixedPoints().size());
        // (I − A) s = c, solved by Cramer's rule
        double m00 = 1 - a[0][0];
        double m01 = -a[0][1];
        double m10 = -a[1][0];
        double m11 = 1 - a[1][1];
        double det = m00 * m11 - m01 * m10;
        double[] expected = {(c[0] * m11 - m01 * c[1]) / det, (m00 * c[1] - m10 * c[0]) / det};
        assertArrayEquals(expected, r.fixedPoints().get(0).state(), 1e-10);
        Linearisation lin = Linearisation.at(new LinearCell(), spec, p, r.fixedPoints().get(0).state(), new double[1]);
        assertEquals(theta / (2 * Math.PI), Math.abs(Math.atan2(lin.eigenImag()[0], lin.eigenReal()[0])) / (2 * Math.PI),
                1e-12, "linear frequency in cycles per step");
    }

    @Test
    void unstableDimensionsAreCounted() {
        double[] jac = {1.5, 0, 0, 0, 0, -2, 0, 2, 0};
        Linearisation lin = Linearisation.of(jac, 3);
        assertEquals(3, lin.unstableDims(), "|±2i| = 2 and 1.5");
        assertFalse(lin.stable());
        assertTrue(lin.timeConstants()[0] < 0, "growing modes have negative time constants");
        checkEigenvectors(lin);
    }

    @Test
    void defectiveJacobianHasNoLeftEigenvectors() {
        Linearisation lin = Linearisation.of(new double[] {0.5, 1, 0, 0.5}, 2);
        assertArrayEquals(new double[] {0.5, 0.5}, lin.eigenReal(), 1e-7);
        assertFalse(lin.hasLeftEigenvectors());
    }

    @Test
    void fixedPointRecordCarriesReadoutAndSpectrum() {
        double[] state = {0.5, -1, 2};
        double[] w = {1, 2, 3, 4}; // hidden 2 × K 2: the third state entry (a memory cell) is not read
        double[] b = {0.1, -0.1};
        double[] y = Linearisation.readout(state, 2, w, b);
        assertArrayEquals(new double[] {0.5 * 1 - 1 * 3 + 0.1, 0.5 * 2 - 1 * 4 - 0.1}, y, 1e-15);
        Linearisation lin = Linearisation.of(new double[] {0.5, 0, 0, 0, 1.2, 0, 0, 0, -0.1}, 3);
        FixedPoint fp = lin.toFixedPoint(state, 2, 1e-22, y);
        assertEquals(2, fp.condition());
        assertEquals(1e-22, fp.q());
        assertArrayEquals(new double[] {1.2, 0.5, -0.1}, fp.eigenReal(), 1e-12);
        assertEquals(1, fp.unstableDims());
        assertFalse(fp.stable());
        assertArrayEquals(y, fp.readout());
        assertThrows(IllegalArgumentException.class, () -> Linearisation.readout(state, 2, new double[3], b));
    }

    /** J r_i = λ_i r_i, l_i J = λ_i l_i and L R = I, in complex arithmetic. */
    static void checkEigenvectors(Linearisation lin) {
        int n = lin.size();
        double[] j = lin.jacobian();
        double[] rr = lin.rightReal();
        double[] ri = lin.rightImag();
        double[] lr = lin.leftReal();
        double[] li = lin.leftImag();
        double[] er = lin.eigenReal();
        double[] ei = lin.eigenImag();
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) {
                double ar = 0;
                double ai = 0;
                double br = 0;
                double bi = 0;
                for (int m = 0; m < n; m++) {
                    ar += j[i * n + m] * rr[m * n + k];
                    ai += j[i * n + m] * ri[m * n + k];
                    br += lr[k * n + m] * j[m * n + i];
                    bi += li[k * n + m] * j[m * n + i];
                }
                double vr = rr[i * n + k];
                double vi = ri[i * n + k];
                assertEquals(er[k] * vr - ei[k] * vi, ar, 1e-10, "J r = λ r, mode " + k);
                assertEquals(er[k] * vi + ei[k] * vr, ai, 1e-10, "J r = λ r, mode " + k);
                double ur = lr[k * n + i];
                double ui = li[k * n + i];
                assertEquals(er[k] * ur - ei[k] * ui, br, 1e-10, "l J = λ l, mode " + k);
                assertEquals(er[k] * ui + ei[k] * ur, bi, 1e-10, "l J = λ l, mode " + k);
            }
            for (int k2 = 0; k2 < n; k2++) {
                double pr = 0;
                double pi = 0;
                for (int m = 0; m < n; m++) {
                    pr += lr[k * n + m] * rr[m * n + k2] - li[k * n + m] * ri[m * n + k2];
                    pi += lr[k * n + m] * ri[m * n + k2] + li[k * n + m] * rr[m * n + k2];
                }
                assertEquals(k == k2 ? 1.0 : 0.0, pr, 1e-10, "L R = I");
                assertEquals(0.0, pi, 1e-10, "L R = I");
            }
        }
    }
}
