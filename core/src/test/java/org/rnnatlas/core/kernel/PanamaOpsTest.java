package org.rnnatlas.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Ops;

/**
 * PanamaOps against the scalar reference (and a double-precision oracle for gemm). Skipped when the Vector API is
 * unavailable, so the suite also passes under {@code -Drnnatlas.simd=scalar} without the incubator module.
 *
 * <p>Seeds: every case derives its inputs from {@link #SEED} (override with {@code -Drnnatlas.tests.seed=}) and the
 * case parameters; every failure message prints seed and shape.
 */
class PanamaOpsTest {

    static final long SEED = Long.getLong("rnnatlas.tests.seed", 20240611L);
    private static final Ops SCALAR = ScalarOps.INSTANCE;
    private static Ops panama;

    @BeforeAll
    static void setUp() {
        panama = Kernels.panama().orElse(null);
    }

    private static void requirePanama() {
        assumeTrue(panama != null, "Vector API unavailable (run with --add-modules jdk.incubator.vector)");
    }

    /** Float lanes of the Vector API kernels in this JVM (16 when they are unavailable and the tests skip). */
    static int lanes() {
        return Kernels.panama().map(o -> Integer.parseInt(o.name().substring(7)) / 32).orElse(16);
    }

    static IntStream sizes() {
        int l = lanes();
        return IntStream.of(1, l - 1, l, l + 1, 13, 64, 128, 192, 256, 384, 512, 1024).distinct();
    }

    private static float[] random(SplittableRandom rnd, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        }
        return x;
    }

    // ---------------------------------------------------------------------------------------------------------
    // elementwise
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Exact operations (relu, its backward, broadcast, sumRows' row-order sums) must match bit for bit; single
     * products match bit for bit; fused forms (mulAdd, axpy, mix, tanh backward) differ by at most one rounding of
     * the result (1.2e-7 relative to the magnitudes involved).
     */
    @ParameterizedTest(name = "n={0}")
    @MethodSource("sizes")
    void elementwiseMatchesScalar(int n) {
        requirePanama();
        SplittableRandom rnd = new SplittableRandom(SEED ^ n);
        int off = 3;
        float[] a = random(rnd, n + off, 3);
        float[] b = random(rnd, n + off, 3);
        float[] g = new float[n + off];
        SCALAR.sigmoid(random(rnd, n + off, 4), 0, g, 0, n + off);
        String where = "seed=" + SEED + " n=" + n;

        float[] ys = new float[n + 5];
        float[] yp = new float[n + 5];
        SCALAR.relu(a, off, ys, 2, n);
        panama.relu(a, off, yp, 2, n);
        assertArrayEquals(ys, yp, 0, "relu " + where);

        for (Activation act : Activation.values()) {
            float[] y = new float[n + off];
            SCALAR.activate(act, a, 0, y, 0, n + off);
            ys = new float[n + 5];
            yp = new float[n + 5];
            SCALAR.activateBackward(act, y, off, b, off, ys, 1, n);
            panama.activateBackward(act, y, off, b, off, yp, 1, n);
            assertArrayClose(ys, yp, act == Activation.RELU ? 0 : 4e-7, "activateBackward " + act + " " + where);
        }

        ys = new float[n + 5];
        yp = new float[n + 5];
        SCALAR.sigmoidBackward(g, off, b, off, ys, 4, n);
        panama.sigmoidBackward(g, off, b, off, yp, 4, n);
        assertArrayClose(ys, yp, 4e-7, "sigmoidBackward " + where);

        ys = new float[n + 5];
        yp = new float[n + 5];
        SCALAR.mul(a, off, b, off, ys, 0, n);
        panama.mul(a, off, b, off, yp, 0, n);
        assertArrayEquals(ys, yp, 0, "mul " + where);

        ys = random(new SplittableRandom(SEED + n), n + 5, 1);
        yp = ys.clone();
        SCALAR.mulAdd(a, off, b, off, ys, 5, n);
        panama.mulAdd(a, off, b, off, yp, 5, n);
        assertArrayClose(ys, yp, 4e-6, "mulAdd " + where);

        ys = new float[n + 5];
        yp = new float[n + 5];
        SCALAR.mix(g, off, a, off, b, 0, ys, 1, n);
        panama.mix(g, off, a, off, b, 0, yp, 1, n);
        assertArrayClose(ys, yp, 1e-6, "mix " + where);

        ys = random(new SplittableRandom(SEED - n), n + 5, 1);
        yp = ys.clone();
        SCALAR.axpy(-0.37f, a, off, ys, 2, n);
        panama.axpy(-0.37f, a, off, yp, 2, n);
        assertArrayClose(ys, yp, 1e-6, "axpy " + where);

        double ss = SCALAR.sumSquares(a, off, n);
        double sp = panama.sumSquares(a, off, n);
        assertEquals(ss, sp, 1e-12 * ss, "sumSquares " + where);
    }

    @ParameterizedTest(name = "n={0}")
    @MethodSource("sizes")
    void rowOperationsMatchScalar(int n) {
        requirePanama();
        SplittableRandom rnd = new SplittableRandom(SEED * 31 + n);
        int rows = 7;
        int ld = n + 5;
        float[] v = random(rnd, n + 2, 2);
        float[] cs = random(rnd, 3 + rows * ld, 1);
        for (boolean acc : new boolean[] {false, true}) {
            float[] cp = cs.clone();
            float[] cq = cs.clone();
            SCALAR.broadcastRows(v, 2, cp, 3, rows, n, ld, acc);
            panama.broadcastRows(v, 2, cq, 3, rows, n, ld, acc);
            assertArrayEquals(cp, cq, 0, "broadcastRows acc=" + acc + " seed=" + SEED + " n=" + n);
        }
        float[] ys = random(rnd, n + 1, 1);
        float[] yp = ys.clone();
        SCALAR.sumRows(cs, 3, rows, n, ld, ys, 1);
        panama.sumRows(cs, 3, rows, n, ld, yp, 1);
        assertArrayEquals(ys, yp, 0, "sumRows seed=" + SEED + " n=" + n);
    }

    /** Prints the width under test (so a run with -XX:MaxVectorSize=16|32 shows it took effect). */
    @Test
    void runsAtASupportedWidth() {
        requirePanama();
        int l = lanes();
        assertTrue(l == 4 || l == 8 || l == 16, panama.toString());
        assertTrue(panama.toString().contains(l + " lanes"), panama.toString());
        System.out.println("PanamaOpsTest: " + panama);
    }

    /** In-place use (x and y the same array and offset) is allowed for the activations. */
    @Test
    void activationsMayAlias() {
        requirePanama();
        float[] x = random(new SplittableRandom(SEED), 100, 5);
        float[] expected = new float[100];
        panama.tanh(x, 0, expected, 0, 100);
        panama.tanh(x, 0, x, 0, 100);
        assertArrayEquals(expected, x, 0, "tanh in place");
    }

    // ---------------------------------------------------------------------------------------------------------
    // tanh / sigmoid accuracy
    // ---------------------------------------------------------------------------------------------------------

    /** Dense grid over [−20, 20], random bit patterns over the whole float range, and special values. */
    private static float[] activationInputs() {
        List<Float> special = List.of(0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f,
                -1e-30f, 1e-7f, 0.6249f, 0.625f, 0.6251f, 8.99f, 9f, 9.01f, 15f, 87f, 88f, 89f, 100f, -100f, 1e30f,
                -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
        int grid = 400_001;
        int rand = 200_000;
        float[] x = new float[special.size() + grid + rand];
        int i = 0;
        for (float s : special) {
            x[i++] = s;
        }
        for (int j = 0; j < grid; j++) {
            x[i++] = -20f + 40f * j / (grid - 1);
        }
        SplittableRandom rnd = new SplittableRandom(SEED);
        while (i < x.length) {
            float f = Float.intBitsToFloat(rnd.nextInt());
            if (!Float.isNaN(f)) {
                x[i++] = f;
            }
        }
        return x;
    }

    @Test
    void tanhIsAccurateEverywhere() {
        requirePanama();
        float[] x = activationInputs();
        float[] y = new float[x.length];
        panama.tanh(x, 0, y, 0, x.length);
        double maxAbs = 0;
        double maxRel = 0;
        for (int i = 0; i < x.length; i++) {
            double exact = Math.tanh(x[i]);
            double err = Math.abs(y[i] - exact);
            assertFalse(Float.isNaN(y[i]), "tanh(" + x[i] + ") is NaN");
            maxAbs = Math.max(maxAbs, err);
            if (exact != 0) {
                maxRel = Math.max(maxRel, err / Math.abs(exact));
            }
            if (err > 2.5e-7 || err > 4e-7 * Math.abs(exact) && Math.abs(x[i]) > 1e-37) {
                fail("tanh(" + x[i] + ") = " + y[i] + ", exact " + exact + " (seed " + SEED + ")");
            }
        }
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(tanh1(-0f)), "tanh(-0) = -0");
        assertTrue(Float.isNaN(tanh1(Float.NaN)), "tanh(NaN) = NaN");
        System.out.printf("tanh: max abs error %.3g, max rel error %.3g over %d inputs%n", maxAbs, maxRel, x.length);
    }

    @Test
    void sigmoidIsAccurateEverywhere() {
        requirePanama();
        float[] x = activationInputs();
        float[] y = new float[x.length];
        panama.sigmoid(x, 0, y, 0, x.length);
        double maxAbs = 0;
        for (int i = 0; i < x.length; i++) {
            double exact = 1.0 / (1.0 + Math.exp(-(double) x[i]));
            double err = Math.abs(y[i] - exact);
            assertFalse(Float.isNaN(y[i]), "sigmoid(" + x[i] + ") is NaN");
            assertTrue(y[i] >= 0f && y[i] <= 1f, "sigmoid(" + x[i] + ") = " + y[i] + " outside [0, 1]");
            maxAbs = Math.max(maxAbs, err);
            if (err > 2e-7) {
                fail("sigmoid(" + x[i] + ") = " + y[i] + ", exact " + exact + " (seed " + SEED + ")");
            }
        }
        System.out.printf("sigmoid: max abs error %.3g over %d inputs%n", maxAbs, x.length);
    }

    @ParameterizedTest(name = "n={0}")
    @MethodSource("sizes")
    void activationsMatchScalarWithOffsets(int n) {
        requirePanama();
        float[] x = random(new SplittableRandom(SEED + 7 * n), n + 9, 6);
        for (int which = 0; which < 2; which++) {
            float[] ys = new float[n + 4];
            float[] yp = new float[n + 4];
            if (which == 0) {
                SCALAR.tanh(x, 9, ys, 4, n);
                panama.tanh(x, 9, yp, 4, n);
            } else {
                SCALAR.sigmoid(x, 9, ys, 4, n);
                panama.sigmoid(x, 9, yp, 4, n);
            }
            assertArrayClose(ys, yp, 2.5e-7, (which == 0 ? "tanh" : "sigmoid") + " seed=" + SEED + " n=" + n);
            assertEquals(0f, yp[3], "wrote before yOff");
        }
    }

    private static float tanh1(float v) {
        float[] y = new float[1];
        panama.tanh(new float[] {v}, 0, y, 0, 1);
        return y[0];
    }

    // ---------------------------------------------------------------------------------------------------------
    // gemm
    // ---------------------------------------------------------------------------------------------------------

    /** One gemm case: op(A) is m × k, op(B) k × n; pads > 0 give offsets and leading dimensions beyond the width. */
    record Shape(String label, boolean transA, boolean transB, int m, int n, int k, int pad, boolean accumulate) {
        @Override
        public String toString() {
            return label + " " + (transA ? "T" : "N") + (transB ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k
                    + " pad=" + pad + (accumulate ? " acc" : "");
        }
    }

    static Stream<Arguments> gemmShapes() {
        List<Shape> shapes = new ArrayList<>();
        int[][] mnk = {{1, 1, 1}, {1, 17, 5}, {3, 3, 3}, {5, 7, 9}, {4, 64, 10}, {7, 65, 33}, {17, 130, 19},
                {2, 8, 40}, {9, 15, 16}, {64, 64, 67}, {51, 128, 131}, {13, 3, 64}, {64, 1, 128}, {100, 2, 300},
                {3, 200, 700}, {65, 70, 1100}, {6, 100, 2}};
        for (int[] s : mnk) {
            for (int t = 0; t < 4; t++) {
                for (int pad = 0; pad <= 5; pad += 5) {
                    shapes.add(new Shape("grid", (t & 2) != 0, (t & 1) != 0, s[0], s[1], s[2], pad, pad > 0));
                }
                shapes.add(new Shape("grid", (t & 2) != 0, (t & 1) != 0, s[0], s[1], s[2], 1, false));
            }
        }
        // hot shapes (forward NN, weight gradient TN, backward NT, readouts); pad 0 here, sub-blocks in their own test
        for (int nh : new int[] {64, 128}) {
            shapes.add(new Shape("forward", false, false, 64, 3 * nh, nh + 3, 0, false));
            shapes.add(new Shape("forward", false, false, 51, 4 * nh, nh + 1, 0, true));
            shapes.add(new Shape("backward", false, true, 64, nh, 3 * nh, 0, false));
            shapes.add(new Shape("readout", false, false, 6400, 3, nh, 0, false));
        }
        shapes.add(new Shape("forward", false, false, 64, 256, 256 + 4, 0, false));
        shapes.add(new Shape("wgrad", true, false, 67, 192, 6400, 0, true));
        shapes.add(new Shape("readout-wgrad", true, false, 64, 3, 6400, 0, true));
        shapes.add(new Shape("readout-dgrad", true, false, 3, 64, 6400, 0, false));
        shapes.add(new Shape("readout-1", false, false, 640, 1, 64, 2, false));
        return shapes.stream().map(Arguments::of);
    }

    /**
     * Shapes at the lane-dependent edges of the kernels, L = lanes: n around the small-n switch (L/2 − 1), one
     * vector and the 4-vector column block (4L); k around one vector (the dot kernel's scalar k tail); m around a
     * row block of 4 and the 4L-row Cᵀ tile.
     */
    static Stream<Arguments> laneRelativeGemmShapes() {
        int l = lanes();
        List<Shape> shapes = new ArrayList<>();
        int[] ns = {Math.max(1, l / 2 - 1), l / 2, l - 1, l + 1, 4 * l - 1, 4 * l, 4 * l + 1, 5 * l + 3};
        int[] ks = {l - 1, l + 1, 2 * l + 3};
        int[] ms = {1, 5, 4 * l + 1};
        int index = 0;
        for (int t = 0; t < 4; t++) {
            for (int n : ns) {
                for (int k : ks) {
                    for (int m : ms) {
                        index++;
                        shapes.add(new Shape("lanes" + l, (t & 2) != 0, (t & 1) != 0, m, n, k, index % 3,
                                index % 2 == 0));
                    }
                }
            }
        }
        return shapes.stream().distinct().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("laneRelativeGemmShapes")
    void gemmMatchesReferenceAtLaneEdges(Shape s) {
        requirePanama();
        checkGemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), s.pad(), s.pad(), s.pad(), s.pad(), s.accumulate(),
                s.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gemmShapes")
    void gemmMatchesReference(Shape s) {
        requirePanama();
        checkGemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), s.pad(), s.pad(), s.pad(), s.pad(), s.accumulate(),
                s.toString());
    }

    /**
     * The fused-matrix layout of the gated cells: A = [h | x] (B × (N+M)), W a column sub-block of a 3N-wide fused
     * weight (ldb = 3N, offset N), C a column sub-block of a 4N-wide output.
     */
    @Test
    void gemmOnColumnSubBlocks() {
        requirePanama();
        for (int nh : new int[] {64, 128}) {
            int k = nh + 2;
            int m = 64;
            int n = 2 * nh;
            SplittableRandom rnd = new SplittableRandom(SEED + nh);
            float[] a = random(rnd, m * k, 1);
            float[] w = random(rnd, k * 3 * nh, 0.2);
            float[] cs = random(rnd, m * 4 * nh, 1);
            float[] cp = cs.clone();
            SCALAR.gemm(false, false, m, n, k, a, 0, k, w, nh, 3 * nh, cs, nh, 4 * nh, true);
            panama.gemm(false, false, m, n, k, a, 0, k, w, nh, 3 * nh, cp, nh, 4 * nh, true);
            double tol = 1e-5 * Math.sqrt(k);
            for (int i = 0; i < cs.length; i++) {
                int col = i % (4 * nh);
                boolean inside = col >= nh && col < nh + n;
                if (!inside) {
                    assertEquals(cs[i], cp[i], 0, "wrote outside the C sub-block at " + i);
                } else if (Math.abs(cs[i] - cp[i]) > tol) {
                    fail("sub-block N=" + nh + " seed=" + SEED + " at " + i + ": " + cs[i] + " vs " + cp[i]);
                }
            }
        }
    }

    @Test
    void gemmIsDeterministic() {
        requirePanama();
        SplittableRandom rnd = new SplittableRandom(SEED);
        float[] a = random(rnd, 300 * 300, 1);
        float[] b = random(rnd, 300 * 300, 1);
        for (boolean[] t : new boolean[][] {{false, false}, {true, false}, {false, true}, {true, true}}) {
            float[] c1 = new float[64 * 300];
            float[] c2 = new float[64 * 300];
            panama.gemm(t[0], t[1], 64, 200, 150, a, 0, 300, b, 0, 300, c1, 0, 300, false);
            panama.gemm(t[0], t[1], 64, 200, 150, a, 0, 300, b, 0, 300, c2, 0, 300, false);
            assertArrayEquals(c1, c2, 0, "repeat " + Arrays.toString(t));
        }
    }

    @Test
    void gemmRejectsBadArgumentsClearly() {
        requirePanama();
        float[] a = new float[12];
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> panama.gemm(false, false, 4, 4, 4, a, 0, 4, new float[16], 0, 4, new float[16], 0, 4, false));
        assertTrue(e.getMessage().contains("A (4 x 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> panama.gemm(false, false, -1, 4, 4, a, 0, 4, a, 0, 4, a, 0, 4, false));
        // zero sizes are no-ops; k = 0 without accumulate clears C
        float[] c = {5, 5, 5, 5};
        panama.gemm(false, false, 2, 2, 0, new float[0], 0, 0, new float[0], 0, 2, c, 0, 2, true);
        assertArrayEquals(new float[] {5, 5, 5, 5}, c, 0, "k=0 accumulate");
        panama.gemm(false, false, 2, 2, 0, new float[0], 0, 0, new float[0], 0, 2, c, 0, 2, false);
        assertArrayEquals(new float[4], c, 0, "k=0 overwrite");
    }

    /**
     * Checks panama against a double-precision oracle and against ScalarOps. Tolerance per element:
     * 8·2⁻²⁴·√k·Σₚ|aᵢₚ bₚⱼ| + 2⁻²³·|c₀|: float summation error of a length-k dot product grows like √k·ε·Σ|terms|
     * for rounding errors of random sign (worst case k·ε); a factor 8 covers the tail of that distribution, and the
     * scalar result, which has its own error of the same size, is allowed twice the bound.
     */
    private static void checkGemm(boolean transA, boolean transB, int m, int n, int k, int offs, int ldPadA,
                                  int ldPadB, int ldPadC, boolean accumulate, String label) {
        SplittableRandom rnd = new SplittableRandom(SEED ^ (31L * m + 17L * n + 7L * k + (transA ? 3 : 0)
                + (transB ? 5 : 0) + offs));
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        int lda = aCols + ldPadA, ldb = bCols + ldPadB, ldc = n + ldPadC;
        int aOff = offs, bOff = 2 * offs, cOff = 3 * offs;
        float[] a = random(rnd, aOff + aRows * lda + 3, 1);
        float[] b = random(rnd, bOff + bRows * ldb + 3, 1);
        float[] c0 = random(rnd, cOff + m * ldc + 3, 1);
        float[] cs = c0.clone();
        float[] cp = c0.clone();
        SCALAR.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, cs, cOff, ldc, accumulate);
        panama.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, cp, cOff, ldc, accumulate);
        double eps = Math.ulp(1f) / 2;
        for (int idx = 0; idx < c0.length; idx++) {
            int rel = idx - cOff;
            int i = Math.floorDiv(rel, ldc), j = rel - i * ldc;
            if (rel < 0 || i >= m || j >= n) {
                if (cp[idx] != c0[idx]) {
                    fail(label + " seed=" + SEED + ": wrote outside C at index " + idx);
                }
                continue;
            }
            double exact = accumulate ? c0[idx] : 0;
            double absSum = 0;
            for (int p = 0; p < k; p++) {
                double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                double bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                exact += av * bv;
                absSum += Math.abs(av * bv);
            }
            double tol = 8 * eps * Math.sqrt(k) * absSum + (accumulate ? 2 * eps * Math.abs(c0[idx]) : 0) + 1e-30;
            if (Math.abs(cp[idx] - exact) > tol || Math.abs(cp[idx] - cs[idx]) > 2 * tol) {
                fail(label + " seed=" + SEED + ": C[" + i + "][" + j + "] panama=" + cp[idx] + " scalar=" + cs[idx]
                        + " exact=" + exact + " tol=" + tol);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private static void assertArrayEquals(float[] expected, float[] actual, double tol, String what) {
        assertArrayClose(expected, actual, tol, what);
    }

    /** |e − a| ≤ tol·max(1, |e|) element-wise (so tol is relative above 1, absolute below). */
    private static void assertArrayClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i], a = actual[i];
            boolean ok = tol == 0 ? Float.floatToIntBits(e) == Float.floatToIntBits(a)
                    : Math.abs(e - a) <= tol * Math.max(1, Math.abs(e));
            if (!ok) {
                fail(what + ": index " + i + " expected " + e + " got " + a);
            }
        }
    }
}
