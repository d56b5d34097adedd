package org.rnnatlas.core.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.CellSpec;

class CdiModesTest {

    private static final int T = 30;

    /**
     * A perfect integrator in CDI layout: modes 1 (integrating), 0.9e^{±0.4i}, 0.85, 0.1 with a chosen change of basis
     * P. In modal coordinates the readout reads v and the cued stream enters along z, so mode i contributes
     * v_i z_i λ_i^{T−1} (the pair: v Rot z in its 2×2 block). With v_0 z_0 = 1, z_3 chosen so that the 0.85 mode
     * cancels the pair at step T, and v_4 = 0 (the readout is blind to the fastest mode), the curve is, in closed form,
     * resp = [0, 1, 1 (pair split: dropped), 1 + pair, 1, 1].
     */
    @Test
    void integratorCurveHasItsClosedFormAndEndsAtOne() {
        double rho = 0.9;
        double theta = 0.4;
        ModalSystem sys = ModalSystem.of(5, ModalSystem.real(1.0), ModalSystem.rotation(rho, theta),
                ModalSystem.real(0.85), ModalSystem.real(0.1));
        double[] v = {2.0, 0.5, -0.3, 1.0, 0.0};
        double pair = Math.pow(rho, T - 1) * (v[1] * (Math.cos((T - 1) * theta) * 0.8 - Math.sin((T - 1) * theta) * 0.6)
                + v[2] * (Math.sin((T - 1) * theta) * 0.8 + Math.cos((T - 1) * theta) * 0.6));
        double z3 = -pair / (v[3] * Math.pow(0.85, T - 1));
        double[] z = {0.5, 0.8, 0.6, z3, 0.7};
        assertTrue(Math.abs(pair) > 1e-3, "the pair's contribution must be visible, got " + pair);

        // linear cell s' = J s + B x with M = 4 (streams 0, 1, then the one-hot context); B's context columns are 0
        double[][] a = sys.jacobianMatrix();
        double[] cued = sys.state(z);
        double[] ignored = sys.state(0, 0, 0, 0, 1); // stream 0 loads only the mode the readout cannot see
        double[][] b = new double[5][4];
        for (int i = 0; i < 5; i++) {
            b[i][0] = ignored[i];
            b[i][1] = cued[i];
        }
        double[] cellParams = LinearCell.params(a, b, new double[5]);
        double[] w = sys.readout(v);
        double[] params = Arrays.copyOf(cellParams, cellParams.length + 5 + 1);
        System.arraycopy(w, 0, params, cellParams.length, 5);
        params[params.length - 1] = 0.3; // readout bias: plays no part in a linear response
        CellSpec spec = new CellSpec(4, 5, Activation.TANH);
        LinearCell cell = new LinearCell();
        double[] state = sys.state(0.4, 0, 0, 0, 0); // on the line attractor
        double[] x1 = {0, 0, 0, 1};
        double[] next = new double[5];
        cell.step(spec, params, state, x1, next, new double[1]);
        assertArrayEquals(state, next, 1e-14, "a fixed point of context 1");

        CdiModes.Ablation ab = CdiModes.at(cell, spec, params, 1, state, x1, T);
        assertEquals(T, ab.steps());
        assertArrayEquals(new double[] {0, 1, 1, 1 + pair, 1, 1}, ab.response(), 1e-11);
        assertArrayEquals(new int[] {0, 1, 1, 3, 4, 5}, ab.modesKept());
        assertEquals(1.0, ab.full(), 1e-11);
        assertEquals(1.0, ab.direct(), 1e-11);
        assertTrue(ab.maxImaginary() < 1e-13, "conjugate pairs kept whole: " + ab.maxImaginary());

        // what the response means: a unit pulse on the cued stream at step 1 of a T-step trial started at the fixed
        // point moves the readout at step T by exactly this much (the map is linear)
        double[] s = state.clone();
        for (int t = 1; t <= T; t++) {
            double[] x = x1.clone();
            if (t == 1) {
                x[1] = 1.0;
            }
            cell.step(spec, params, s, x, next, new double[1]);
            s = next.clone();
        }
        double dy = 0;
        for (int i = 0; i < 5; i++) {
            dy += w[i] * (s[i] - state[i]);
        }
        assertEquals(1.0, dy, 1e-11, "simulated pulse response at step T");

        // context 0 integrates stream 0, which the readout never sees
        double[] x0 = {0, 0, 1, 0};
        CdiModes.Ablation other = CdiModes.at(cell, spec, params, 1, state, x0, T);
        assertArrayEquals(new double[6], other.response(), 1e-12);
        assertEquals(0.0, other.direct(), 1e-12);

        // the spectrum, sorted by |λ|
        Linearisation lin = Linearisation.at(cell, spec, params, state, x1);
        assertArrayEquals(new double[] {1, 0.9, 0.9, 0.85, 0.1}, CdiModes.spectrum(lin), 1e-12);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void sumOverAllModesIsTheDirectResponse(long seed) {
        int n = 7;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] j = new double[n * n];
        for (int i = 0; i < j.length; i++) {
            j[i] = rng.nextGaussian() / Math.sqrt(n);
        }
        double[] b = rng.doubles(n).map(u -> 2 * u - 1).toArray();
        double[] w = rng.doubles(n).map(u -> 2 * u - 1).toArray();
        Linearisation lin = Linearisation.of(j, n);
        assertTrue(lin.hasLeftEigenvectors());
        CdiModes.Ablation ab = CdiModes.ablate(lin, b, w, T);
        CdiModes.Contributions c = CdiModes.contributions(lin, b, w, T);
        double scale = 1;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.hypot(c.real()[i], c.imag()[i]));
        }
        assertEquals(ab.direct(), ab.full(), 1e-10 * scale, "seed " + seed);
        assertTrue(ab.maxImaginary() <= 1e-12 * scale, "seed " + seed + ": " + ab.maxImaginary());
        assertEquals(n, ab.modesKept()[n]);
        assertEquals(0.0, ab.response()[0]);
        for (int k = 1; k <= n; k++) {
            assertTrue(ab.modesKept()[k] == k || ab.modesKept()[k] == k - 1, "seed " + seed + " k " + k);
        }
        // the direct response against powers of J written out independently
        double[] v = b.clone();
        for (int t = 1; t < T; t++) {
            double[] u = new double[n];
            for (int r = 0; r < n; r++) {
                for (int q = 0; q < n; q++) {
                    u[r] += j[r * n + q] * v[q];
                }
            }
            v = u;
        }
        double y = 0;
        for (int r = 0; r < n; r++) {
            y += w[r] * v[r];
        }
        assertEquals(y, ab.direct(), 1e-14 * Math.max(1, Math.abs(y)));
    }

    @Test
    void aConjugatePairContributesOnlyAsAWhole() {
        double theta = 0.7;
        double[][] rot = ModalSystem.rotation(0.95, theta);
        double[] j = {rot[0][0], rot[0][1], rot[1][0], rot[1][1]};
        double[] b = {1, 0.3};
        double[] w = {0.2, 1};
        Linearisation lin = Linearisation.of(j, 2);
        CdiModes.Contributions c = CdiModes.contributions(lin, b, w, T);
        assertArrayEquals(new int[] {1, 0}, c.partner());
        assertTrue(Math.abs(c.imag()[0]) > 1e-3, "one member alone is complex: " + c.imag()[0]);
        assertEquals(0.0, c.imag()[0] + c.imag()[1], 1e-16);
        assertEquals(c.real()[0], c.real()[1], 1e-16, "c and its conjugate");
        CdiModes.Ablation ab = CdiModes.ablate(lin, b, w, T);
        assertArrayEquals(new int[] {0, 0, 2}, ab.modesKept());
        assertEquals(0.0, ab.response()[1], "half a pair is no pair");
        assertEquals(CdiModes.directResponse(j, 2, b, w, T), ab.response()[2], 1e-14);
        assertTrue(ab.maxImaginary() < 1e-16, "" + ab.maxImaginary());
    }

    /** A real eigenvalue of the same modulus may sort between the two members; partners are found by value. */
    @Test
    void pairsArePartneredByValueNotPosition() {
        double rho = 0.9;
        double theta = 0.7;
        ModalSystem sys = ModalSystem.of(8, ModalSystem.rotation(rho, theta), ModalSystem.real(rho),
                ModalSystem.real(0.3));
        double[] v = {1, -0.5, 0.7, 0.4};
        double[] z = {0.3, 0.9, 1.1, -2};
        double p = Math.pow(rho, T - 1);
        double pair = p * (v[0] * (Math.cos((T - 1) * theta) * z[0] - Math.sin((T - 1) * theta) * z[1])
                + v[1] * (Math.sin((T - 1) * theta) * z[0] + Math.cos((T - 1) * theta) * z[1]));
        double real = p * v[2] * z[2];
        double fast = Math.pow(0.3, T - 1) * v[3] * z[3];
        Linearisation lin = Linearisation.of(sys.jacobian(), 4);
        double[] im = lin.eigenImag();
        int realIndex = -1;
        int lastOfPair = -1;
        for (int i = 0; i < 3; i++) {
            if (im[i] == 0) {
                realIndex = i;
            } else {
                lastOfPair = i;
            }
        }
        assertTrue(realIndex >= 0);
        CdiModes.Ablation ab = CdiModes.ablate(lin, sys.state(z), sys.readout(v), T);
        for (int k = 0; k <= 4; k++) {
            double expected = (realIndex < k ? real : 0) + (lastOfPair < k ? pair : 0) + (k == 4 ? fast : 0);
            assertEquals(expected, ab.response()[k], 1e-12, "k = " + k + ", real mode at " + realIndex);
        }
        assertTrue(ab.maxImaginary() < 1e-13);
    }

    /** ±i and 1 have exactly the same modulus, so the sort puts the real 1 between the members of the pair. */
    @Test
    void aRealModeBetweenThePairMembersDoesNotSplitIt() {
        double[] j = {0, -1, 0, 1, 0, 0, 0, 0, 1};
        Linearisation lin = Linearisation.of(j, 3);
        assertArrayEquals(new double[] {1, 0, -1}, lin.eigenImag(), 1e-15, "order +i, 1, −i");
        double[] b = {0.5, 0.25, 2};
        double[] w = {1, 0.2, 0.75};
        CdiModes.Contributions c = CdiModes.contributions(lin, b, w, T);
        assertArrayEquals(new int[] {2, -1, 0}, c.partner());
        CdiModes.Ablation ab = CdiModes.ablate(lin, b, w, T);
        // J^{29} = Rot(29·π/2) ⊕ 1 = Rot(π/2) ⊕ 1: the pair gives (1, 0.2)·(−0.25, 0.5) = −0.15, the real mode 0.75·2
        assertArrayEquals(new int[] {0, 0, 1, 3}, ab.modesKept());
        assertArrayEquals(new double[] {0, 0, 1.5, 1.35}, ab.response(), 1e-14);
        assertEquals(1.35, ab.direct(), 1e-14);
    }

    @Test
    void defectiveJacobianHasOnlyTheDirectResponse() {
        double[] j = {1, 1, 0, 1}; // a Jordan block: J^k = [[1, k], [0, 1]]
        Linearisation lin = Linearisation.of(j, 2);
        assertFalse(lin.hasLeftEigenvectors());
        CdiModes.Ablation ab = CdiModes.ablate(lin, new double[] {0, 1}, new double[] {1, 0}, T);
        assertEquals(T - 1, ab.direct(), 1e-12);
        assertEquals(0.0, ab.response()[0]);
        assertTrue(Double.isNaN(ab.response()[1]) && Double.isNaN(ab.full()));
    }

    /** The NumPy reference of core/src/test/resources/org/rnnatlas/core/dynamics (see the README there). */
    @Test
    void matchesTheNumpyGoldenCase() throws IOException {
        Map<String, double[]> g = golden();
        int n = (int) g.get("n")[0];
        int steps = (int) g.get("steps")[0];
        Linearisation lin = Linearisation.of(g.get("jacobian"), n);
        assertArrayEquals(g.get("eigen_real"), lin.eigenReal(), 1e-12);
        assertArrayEquals(g.get("eigen_imag"), lin.eigenImag(), 1e-12);
        CdiModes.Ablation ab = CdiModes.ablate(lin, g.get("b"), g.get("w"), steps);
        assertArrayEquals(g.get("response"), ab.response(), 1e-12);
        assertArrayEquals(Arrays.stream(g.get("modes_kept")).mapToInt(d -> (int) d).toArray(), ab.modesKept());
        assertEquals(g.get("direct")[0], ab.direct(), 1e-13);
        assertEquals(ab.direct(), ab.full(), 1e-12);
    }

    private static Map<String, double[]> golden() throws IOException {
        Map<String, double[]> out = new HashMap<>();
        try (InputStream in = CdiModesTest.class.getResourceAsStream("cdi-modes-golden.txt")) {
            assertTrue(in != null, "golden file cdi-modes-golden.txt is missing");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split("\\s+");
                out.put(f[0], Arrays.stream(f, 1, f.length).mapToDouble(Double::parseDouble).toArray());
            }
        }
        return out;
    }

    @Test
    void complexPowers() {
        double[] out = new double[2];
        CdiModes.power(0, 0, 0, out);
        assertArrayEquals(new double[] {1, 0}, out, 0, "λ^0 = 1, also for λ = 0");
        CdiModes.power(0, 0, 3, out);
        assertArrayEquals(new double[] {0, 0}, out, 0);
        CdiModes.power(-0.5, 0, 5, out);
        assertArrayEquals(new double[] {-0.03125, 0}, out, 0);
        double th = 0.37;
        CdiModes.power(0.99 * Math.cos(th), 0.99 * Math.sin(th), 29, out);
        double m = Math.pow(0.99, 29);
        assertArrayEquals(new double[] {m * Math.cos(29 * th), m * Math.sin(29 * th)}, out, 1e-14);
    }

    @Test
    void cuedStreamReadsTheOneHotContext() {
        assertEquals(0, CdiModes.cuedStream(new double[] {0, 0, 1, 0}));
        assertEquals(1, CdiModes.cuedStream(new double[] {0, 0, 0, 1}));
        assertEquals(2, CdiModes.cuedStream(new double[] {0, 0, 0, 0, 0, 1}));
        for (double[] bad : List.of(new double[] {0, 0, 1, 1}, new double[] {0, 0, 0, 0}, new double[] {0, 0, 0.5, 0},
                new double[] {0, 0, 1})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CdiModes.cuedStream(bad));
            assertTrue(e.getMessage().contains("one-hot") || e.getMessage().contains("2·K_ctx"), e.getMessage());
        }
    }

    @Test
    void readoutRowPadsTheMemoryStateWithZeros() {
        double[] w = CdiModes.readoutRow(new double[] {1, 2, 3, 4, 5, 6}, 3, 2, 1, 6);
        assertArrayEquals(new double[] {2, 4, 6, 0, 0, 0}, w);
        assertThrows(IllegalArgumentException.class, () -> CdiModes.readoutRow(new double[5], 3, 2, 0, 6));
        assertThrows(IllegalArgumentException.class, () -> CdiModes.readoutRow(new double[6], 3, 2, 2, 6));
    }

    @Test
    void inputColumnAndShapesAreChecked() {
        double[][] b = {{1, 2}, {3, 4}};
        double[] p = LinearCell.params(new double[][] {{0.5, 0}, {0, 0.2}}, b, new double[2]);
        CellSpec spec = new CellSpec(2, 2, Activation.TANH);
        assertArrayEquals(new double[] {2, 4},
                CdiModes.inputColumn(new LinearCell(), spec, p, new double[2], new double[2], 1));
        assertThrows(IllegalArgumentException.class,
                () -> CdiModes.inputColumn(new LinearCell(), spec, p, new double[2], new double[2], 2));
        Linearisation lin = Linearisation.of(new double[] {0.5, 0, 0, 0.2}, 2);
        assertThrows(IllegalArgumentException.class, () -> CdiModes.ablate(lin, new double[3], new double[2], T));
        assertThrows(IllegalArgumentException.class, () -> CdiModes.ablate(lin, new double[2], new double[2], 0));
        assertThrows(IllegalArgumentException.class,
                () -> CdiModes.at(new LinearCell(), spec, p, 1, new double[2], new double[] {0, 1}, T),
                "params without the readout");
    }

    @Test
    void averagesOverFixedPoints() {
        Linearisation a = Linearisation.of(new double[] {0.5, 0, 0, 1.0}, 2);
        Linearisation b = Linearisation.of(new double[] {0.7, 0, 0, -0.2}, 2);
        assertArrayEquals(new double[] {0.85, 0.35}, CdiModes.meanSpectrum(List.of(a, b)), 1e-15);
        double[] w = {1, 1};
        double[] in = {1, 1};
        CdiModes.Ablation ra = CdiModes.ablate(a, in, w, 3);
        CdiModes.Ablation rb = CdiModes.ablate(b, in, w, 3);
        assertArrayEquals(new double[] {0, 1, 1.25}, ra.response(), 1e-15);
        assertArrayEquals(new double[] {0, 0.49, 0.53}, rb.response(), 1e-15);
        assertArrayEquals(new double[] {0, 0.745, 0.89}, CdiModes.meanResponse(List.of(ra, rb)), 1e-15);
    }
}
