package org.rnnatlas.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Ops;

/**
 * The double-precision methods of PanamaOps against ScalarOps (the oracle) and, for tanh/sigmoid, against the
 * JDK's functions in ulps. Skipped when the Vector API is unavailable (so {@code -Drnnatlas.simd=scalar} passes).
 *
 * <p>gemm tolerance: |panama − scalar| ≤ 1e-12 · (Σₚ|aᵢₚ bₚⱼ| + |c₀|) per element, i.e. relative to the size of
 * the terms summed (a relative bound on the result itself is meaningless under cancellation). Both sum p in the
 * same order and differ only in FMA vs. multiply-then-add rounding, about √k · 2⁻⁵³ ≈ 2e-15 of that scale for
 * the k used here; any indexing slip gives an O(1) error.
 *
 * <p>Seeds derive from {@link PanamaOpsTest#SEED} ({@code -Drnnatlas.tests.seed=}); messages print seed and shape.
 */
class PanamaOpsDoubleTest {

    private static final long SEED = PanamaOpsTest.SEED;
    private static final Ops SCALAR = ScalarOps.INSTANCE;
    private static Ops panama;

    /**
     * Error bounds against the exact functions, in ulps; the tests print the measured maxima (see
     * tanhIsAccurateInUlps / sigmoidIsAccurateInUlps). Comparisons with JDK functions allow their own error too.
     */
    private static final double TANH_MAX_ULPS = 2.5;
    private static final double SIGMOID_MAX_ULPS = 2;

    @BeforeAll
    static void setUp() {
        panama = Kernels.panama().orElse(null);
    }

    private static void requirePanama() {
        assumeTrue(panama != null, "Vector API unavailable (run with --add-modules jdk.incubator.vector)");
    }

    /** Double lanes of the kernels (half the float lanes of the same shape); 8 when they are unavailable. */
    static int doubleLanes() {
        return PanamaOpsTest.lanes() / 2;
    }

    private static double[] random(SplittableRandom rnd, int n, double scale) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (rnd.nextDouble() * 2 - 1) * scale;
        }
        return x;
    }

    // ---------------------------------------------------------------------------------------------------------
    // gemm
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Every transposition × accumulate over sizes that hit each edge: 1, 3, 7, 8, 9, 17, around one vector (DL),
     * the 4-vector tile (4·DL), the 6-row tile, 64/65, and past the packed panel width (128) for n; k crosses the
     * k-block of 256. Offsets and leading-dimension pads cycle through 0, 1, 5 (C pads leave holes that must not
     * be written).
     */
    @Test
    void gemmMatchesScalarOnAwkwardSizes() {
        requirePanama();
        int dl = doubleLanes();
        int[] ms = IntStream.of(1, 3, 5, 6, 7, 8, 9, 13, 17, 64, 65).distinct().toArray();
        int[] ns = IntStream.of(1, 3, 7, 8, 9, 17, dl - 1, dl + 1, 4 * dl - 1, 4 * dl + 1, 5 * dl + 3, 64, 65, 130)
                .filter(v -> v > 0).distinct().toArray();
        int[] ks = {1, 3, 7, 9, 17, 64, 65, 257};
        int[] pads = {0, 1, 5};
        int cases = 0;
        for (int t = 0; t < 4; t++) {
            for (int m : ms) {
                for (int n : ns) {
                    for (int k : ks) {
                        int pad = pads[cases % 3];
                        boolean acc = (cases / 3) % 2 == 0;
                        checkGemm((t & 2) != 0, (t & 1) != 0, m, n, k, pad, acc);
                        cases++;
                    }
                }
            }
        }
        assertTrue(cases > 1000, "ran " + cases + " cases");
    }

    /** Both accumulate settings for every transposition at the 130 × 130 × 130 corner and a k-blocked one. */
    @Test
    void gemmMatchesScalarAtLargerSizesBothAccumulateModes() {
        requirePanama();
        for (int t = 0; t < 4; t++) {
            for (boolean acc : new boolean[] {false, true}) {
                checkGemm((t & 2) != 0, (t & 1) != 0, 130, 130, 130, 3, acc);
                checkGemm((t & 2) != 0, (t & 1) != 0, 65, 131, 600, 1, acc);
            }
        }
    }

    /**
     * The analysis shapes (scaled in B/rows where that does not change the code path): batched cell step NN
     * C(B×GN) = S(B×N)·W(N×GN), its backward NT gS = G·Wᵀ, the Gram TN XᵀX over 6400 rows, and TT Wᵀ·Xᵀ.
     */
    @Test
    void gemmMatchesScalarOnAnalysisShapes() {
        requirePanama();
        for (int g : new int[] {1, 4}) {
            checkGemm(false, false, 256, g * 64, 64, 0, false);
            checkGemm(false, true, 256, 64, g * 64, 0, false);
        }
        checkGemm(false, false, 96, 3 * 128, 128, 0, true);
        checkGemm(true, false, 64, 64, 6400, 0, false);
        checkGemm(true, false, 100, 100, 1000, 2, true);
        checkGemm(true, true, 64, 640, 64, 0, false);
    }

    /** C (+)= op(A)·op(B) on sub-ranges: a column sub-block of a wider C and of a fused weight (ldb = 3N, offset N). */
    @Test
    void gemmWritesOnlyItsSubBlock() {
        requirePanama();
        int nh = 64, m = 37, k = nh + 2, n = 2 * nh;
        SplittableRandom rnd = new SplittableRandom(SEED + 99);
        double[] a = random(rnd, m * k, 1);
        double[] w = random(rnd, k * 3 * nh, 0.2);
        double[] cs = random(rnd, m * 4 * nh, 1);
        double[] cp = cs.clone();
        double[] c0 = cs.clone();
        SCALAR.gemm(false, false, m, n, k, a, 0, k, w, nh, 3 * nh, cs, nh, 4 * nh, true);
        panama.gemm(false, false, m, n, k, a, 0, k, w, nh, 3 * nh, cp, nh, 4 * nh, true);
        for (int i = 0; i < cs.length; i++) {
            int col = i % (4 * nh);
            if (col < nh || col >= nh + n) {
                assertEquals(c0[i], cp[i], 0, "wrote outside the C sub-block at " + i);
            } else if (Math.abs(cs[i] - cp[i]) > 1e-12 * (k + 1)) {
                fail("sub-block seed=" + SEED + " at " + i + ": " + cs[i] + " vs " + cp[i]);
            }
        }
    }

    @Test
    void gemmIsDeterministic() {
        requirePanama();
        SplittableRandom rnd = new SplittableRandom(SEED);
        double[] a = random(rnd, 300 * 300, 1);
        double[] b = random(rnd, 300 * 300, 1);
        for (int t = 0; t < 4; t++) {
            double[] c1 = new double[70 * 300];
            double[] c2 = new double[70 * 300];
            panama.gemm((t & 2) != 0, (t & 1) != 0, 70, 203, 270, a, 0, 300, b, 0, 300, c1, 0, 300, false);
            panama.gemm((t & 2) != 0, (t & 1) != 0, 70, 203, 270, a, 0, 300, b, 0, 300, c2, 0, 300, false);
            assertTrue(Arrays.equals(c1, c2), "repeat t=" + t);
        }
    }

    @Test
    void gemmRejectsBadArgumentsClearly() {
        requirePanama();
        double[] a = new double[12];
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> panama.gemm(false, false, 4, 4, 4, a, 0, 4, new double[16], 0, 4, new double[16], 0, 4, false));
        assertTrue(e.getMessage().contains("A (4 x 4") && e.getMessage().contains("doubles"), e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class,
                () -> panama.gemm(false, true, 4, 4, 4, new double[16], 0, 4, new double[16], 0, 3, new double[16],
                        0, 4, false));
        assertTrue(e.getMessage().contains("B (4 x 4") && e.getMessage().contains("ld >= 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> panama.gemm(false, false, 2, -1, 4, a, 0, 4, a, 0, 4, a, 0, 4, false));
        double[] c = {5, 5, 5, 5};
        panama.gemm(true, true, 2, 2, 0, new double[0], 0, 0, new double[0], 0, 0, c, 0, 2, true);
        assertTrue(Arrays.equals(new double[] {5, 5, 5, 5}, c), "k=0 accumulate keeps C");
        panama.gemm(false, false, 2, 2, 0, new double[0], 0, 0, new double[0], 0, 2, c, 0, 2, false);
        assertTrue(Arrays.equals(new double[4], c), "k=0 overwrite clears C");
    }

    private static void checkGemm(boolean transA, boolean transB, int m, int n, int k, int pad, boolean accumulate) {
        String label = (transA ? "T" : "N") + (transB ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k + " pad=" + pad
                + (accumulate ? " acc" : "") + " seed=" + SEED;
        SplittableRandom rnd = new SplittableRandom(SEED ^ (31L * m + 17L * n + 7L * k + (transA ? 3 : 0)
                + (transB ? 5 : 0) + pad));
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        int lda = aCols + pad, ldb = bCols + 2 * pad, ldc = n + pad;
        int aOff = pad, bOff = 2 * pad, cOff = 3 * pad;
        double[] a = random(rnd, aOff + aRows * lda + 3, 1);
        double[] b = random(rnd, bOff + bRows * ldb + 3, 1);
        double[] c0 = random(rnd, cOff + m * ldc + 3, 1);
        double[] cs = c0.clone();
        double[] cp = c0.clone();
        SCALAR.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, cs, cOff, ldc, accumulate);
        panama.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, cp, cOff, ldc, accumulate);
        for (int idx = 0; idx < c0.length; idx++) {
            int rel = idx - cOff;
            int i = Math.floorDiv(rel, ldc), j = rel - i * ldc;
            if (rel < 0 || i >= m || j >= n) {
                if (Double.doubleToRawLongBits(cp[idx]) != Double.doubleToRawLongBits(c0[idx])) {
                    fail(label + ": wrote outside C at index " + idx);
                }
                continue;
            }
            double scale = accumulate ? Math.abs(c0[idx]) : 0;
            for (int p = 0; p < k; p++) {
                double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                double bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                scale += Math.abs(av * bv);
            }
            if (!(Math.abs(cp[idx] - cs[idx]) <= 1e-12 * scale)) {
                fail(label + ": C[" + i + "][" + j + "] panama=" + cp[idx] + " scalar=" + cs[idx] + " scale=" + scale);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // dot, relu
    // ---------------------------------------------------------------------------------------------------------

    static IntStream sizes() {
        int dl = doubleLanes();
        return IntStream.of(0, 1, 3, 7, 8, 9, 17, dl - 1, dl, dl + 1, 4 * dl - 1, 4 * dl, 4 * dl + 1, 64, 65, 130,
                1000, 4099).filter(v -> v >= 0).distinct();
    }

    @ParameterizedTest(name = "n={0}")
    @MethodSource("sizes")
    void dotMatchesScalar(int n) {
        requirePanama();
        SplittableRandom rnd = new SplittableRandom(SEED + 13L * n);
        double[] a = random(rnd, n + 5, 3);
        double[] b = random(rnd, n + 2, 3);
        double scale = 0;
        for (int i = 0; i < n; i++) {
            scale += Math.abs(a[5 + i] * b[2 + i]);
        }
        double s = SCALAR.dot(a, 5, b, 2, n);
        double p = panama.dot(a, 5, b, 2, n);
        assertTrue(Math.abs(s - p) <= 1e-13 * scale, "dot n=" + n + " seed=" + SEED + ": " + p + " vs " + s);
        assertEquals(Double.doubleToRawLongBits(p), Double.doubleToRawLongBits(panama.dot(a, 5, b, 2, n)),
                "dot repeat n=" + n);
    }

    /** Exact: NaN and −0 map to +0 like the scalar definition; only [yOff, yOff + n) is written. */
    @ParameterizedTest(name = "n={0}")
    @MethodSource("sizes")
    void reluMatchesScalarExactly(int n) {
        requirePanama();
        double[] x = random(new SplittableRandom(SEED - n), n + 3, 2);
        if (n > 2) {
            x[3] = Double.NaN;
            x[4] = -0.0;
        }
        double[] ys = new double[n + 7];
        double[] yp = new double[n + 7];
        Arrays.fill(ys, 42);
        Arrays.fill(yp, 42);
        SCALAR.relu(x, 3, ys, 4, n);
        panama.relu(x, 3, yp, 4, n);
        assertBitsEqual(ys, yp, "relu n=" + n);
        panama.activate(Activation.RELU, x, 3, x, 3, n);
        assertBitsEqual(Arrays.copyOfRange(ys, 4, 4 + n), Arrays.copyOfRange(x, 3, 3 + n), "relu in place n=" + n);
    }

    // ---------------------------------------------------------------------------------------------------------
    // tanh / sigmoid
    // ---------------------------------------------------------------------------------------------------------

    /** Special values, a dense grid over [−40, 40], log-spaced magnitudes down to the subnormals, random bits. */
    private static double[] activationInputs() {
        double[] special = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, 1e-300, -1e-300, 1e-17,
            1e-8, 0.17328679513998632, 0.34657359027997264, 0.5, 1, 18.3, 18.4, 18.5, 19.06, 20, 21, 36, 37, 40,
            -700, -708, -709, -710, -745, -745.2, -746, -800, 709, 710, 746, 800, 1e300, -1e300, Double.MAX_VALUE,
            -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        int grid = 400_001;
        int logs = 100_000;
        int rand = 200_000;
        double[] x = new double[special.length + grid + 2 * logs + rand];
        int i = 0;
        for (double s : special) {
            x[i++] = s;
        }
        for (int j = 0; j < grid; j++) {
            x[i++] = -40 + 80.0 * j / (grid - 1);
        }
        for (int j = 0; j < logs; j++) {
            double mag = Math.pow(10, -320 + 323.0 * j / (logs - 1));
            x[i++] = mag;
            x[i++] = -mag;
        }
        SplittableRandom rnd = new SplittableRandom(SEED);
        while (i < x.length) {
            double d = Double.longBitsToDouble(rnd.nextLong());
            if (!Double.isNaN(d)) {
                x[i++] = d;
            }
        }
        return x;
    }

    /** Error of {@code y} against {@code ref} in units of ulp(ref) (0 when equal, including both infinite). */
    private static double ulps(double y, double ref) {
        if (Double.doubleToRawLongBits(y) == Double.doubleToRawLongBits(ref) || y == ref) {
            return 0;
        }
        return Math.abs(y - ref) / Math.ulp(ref);
    }

    /**
     * Bounds, in ulps of the correctly rounded result: against the exact value ({@link #exactTanh}, 50 digits) on
     * a sample, and against StrictMath.tanh (fdlibm, under 1 ulp itself) and Math.tanh on all 800k inputs, where
     * the reference's own error adds to ours. Measured (JDK 25, AVX-512, 8 lanes): see the printed line; at the
     * time of writing max 1.92 ulp against the exact value (near |x| = 0.54, where the quotient
     * −em/(2 + em) amplifies the rounding of em by up to 1.5), 3 against StrictMath, 2 against Math.tanh.
     */
    @Test
    void tanhIsAccurateInUlps() {
        requirePanama();
        double[] x = activationInputs();
        double[] y = new double[x.length];
        panama.tanh(x, 0, y, 0, x.length);
        double maxMath = 0, maxStrict = 0;
        double worstX = 0;
        for (int i = 0; i < x.length; i++) {
            double um = ulps(y[i], Math.tanh(x[i]));
            double us = ulps(y[i], StrictMath.tanh(x[i]));
            maxMath = Math.max(maxMath, um);
            if (us > maxStrict) {
                maxStrict = us;
                worstX = x[i];
            }
            if (us > TANH_MAX_ULPS + 1 || um > TANH_MAX_ULPS + 1) {
                fail("tanh(" + x[i] + ") = " + y[i] + ", StrictMath.tanh " + StrictMath.tanh(x[i]) + ", Math.tanh "
                        + Math.tanh(x[i]) + ": " + Math.max(us, um) + " ulps (seed " + SEED + ")");
            }
        }
        double[] sample = exactSample(x, y, StrictMath::tanh);
        double[] ys = new double[sample.length];
        panama.tanh(sample, 0, ys, 0, sample.length);
        double maxExact = 0;
        for (int i = 0; i < sample.length; i++) {
            double u = exactUlps(ys[i], exactTanh(sample[i]));
            maxExact = Math.max(maxExact, u);
            if (u > TANH_MAX_ULPS) {
                fail("tanh(" + sample[i] + ") = " + ys[i] + ", exact " + exactTanh(sample[i]) + ": " + u + " ulps");
            }
        }
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(tanh1(-0.0)), "tanh(-0) = -0");
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(tanh1(0.0)), "tanh(+0) = +0");
        assertTrue(Double.isNaN(tanh1(Double.NaN)), "tanh(NaN) = NaN");
        System.out.printf("double tanh: max %.3g ulp vs exact (%d sampled inputs), %.3g ulp vs StrictMath.tanh "
                        + "(at x=%s), %.3g ulp vs Math.tanh over %d inputs%n", maxExact, sample.length, maxStrict, worstX,
                maxMath, x.length);
    }

    /**
     * As for tanh: against the exact σ on a sample; on all inputs against exp(x)/(1 + exp(x)) (x &lt; 0) or
     * 1/(1 + exp(−x)) (StrictMath), and against ScalarOps' 1/(1 + exp(−x)) where that formula is itself accurate
     * (x ≥ −700: below, its exp overflows and it returns 0 where σ is ~1e-308). Results in the subnormals are
     * measured in their absolute spacing 4.9e-324. Measured (JDK 25, AVX-512): max 1.32 ulp exact, 2 vs the
     * StrictMath forms, 3 vs the scalar formula (whose own error reaches 1.75 ulp, e.g. at x = −36.9132).
     */
    @Test
    void sigmoidIsAccurateInUlps() {
        requirePanama();
        double[] x = activationInputs();
        double[] y = new double[x.length];
        panama.sigmoid(x, 0, y, 0, x.length);
        double maxScalarForm = 0, maxStable = 0;
        double worstX = 0;
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            assertTrue(y[i] >= 0 && y[i] <= 1, "sigmoid(" + v + ") = " + y[i] + " outside [0, 1]");
            double us = ulps(y[i], stableSigmoid(v));
            if (us > maxStable) {
                maxStable = us;
                worstX = v;
            }
            double u = v >= -700 ? ulps(y[i], 1 / (1 + Math.exp(-v))) : 0;
            maxScalarForm = Math.max(maxScalarForm, u);
            if (us > SIGMOID_MAX_ULPS + 1 || u > SIGMOID_MAX_ULPS + 2) {
                fail("sigmoid(" + v + ") = " + y[i] + ", stable form " + stableSigmoid(v) + ", 1/(1+exp(-x)) "
                        + (1 / (1 + Math.exp(-v))) + ": " + Math.max(us, u) + " ulps (seed " + SEED + ")");
            }
        }
        double[] sample = exactSample(x, y, PanamaOpsDoubleTest::stableSigmoid);
        double[] ys = new double[sample.length];
        panama.sigmoid(sample, 0, ys, 0, sample.length);
        double maxExact = 0;
        for (int i = 0; i < sample.length; i++) {
            double u = exactUlps(ys[i], exactSigmoid(sample[i]));
            maxExact = Math.max(maxExact, u);
            if (u > SIGMOID_MAX_ULPS) {
                fail("sigmoid(" + sample[i] + ") = " + ys[i] + ", exact " + exactSigmoid(sample[i]) + ": " + u
                        + " ulps");
            }
        }
        double[] nan = {Double.NaN};
        panama.sigmoid(nan, 0, nan, 0, 1);
        assertTrue(Double.isNaN(nan[0]), "sigmoid(NaN) = NaN");
        System.out.printf("double sigmoid: max %.3g ulp vs exact (%d sampled inputs), %.3g ulp vs the StrictMath "
                        + "forms (at x=%s), %.3g ulp vs 1/(1+exp(-x)) for x >= -700 over %d inputs%n", maxExact,
                sample.length, maxStable, worstX, maxScalarForm, x.length);
    }

    private static double stableSigmoid(double v) {
        if (v >= 0) {
            return 1 / (1 + StrictMath.exp(-v));
        }
        double e = StrictMath.exp(v);
        return e / (1 + e);
    }

    /**
     * Inputs checked against the exact functions (50-digit BigDecimal, slow): the special values, 3000 spread over
     * the grid and log-spaced parts of {@code x}, and the 500 where {@code y} is furthest from {@code ref}.
     */
    private static double[] exactSample(double[] x, double[] y, java.util.function.DoubleUnaryOperator ref) {
        Integer[] order = new Integer[x.length];
        double[] err = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            order[i] = i;
            err[i] = Double.isFinite(x[i]) ? ulps(y[i], ref.applyAsDouble(x[i])) : 0;
        }
        Arrays.sort(order, (p, q) -> Double.compare(err[q], err[p]));
        List<Double> pick = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            pick.add(x[order[i]]);
        }
        for (int i = 0; i < 40; i++) {
            pick.add(x[i]);
        }
        for (int i = 40; i < 600_041; i += 200) {
            pick.add(x[i]);
        }
        return pick.stream().filter(Double::isFinite).filter(v -> Math.abs(v) < 1e4).mapToDouble(Double::doubleValue)
                .toArray();
    }

    private static final java.math.MathContext MC = new java.math.MathContext(50);

    /** e^x to 50 digits: halve x until |r| &lt; 2⁻⁸, Taylor series, square back. */
    private static java.math.BigDecimal exactExp(java.math.BigDecimal x) {
        java.math.BigDecimal r = x;
        int halvings = 0;
        java.math.BigDecimal limit = new java.math.BigDecimal("0.004");
        while (r.abs().compareTo(limit) > 0) {
            r = r.divide(java.math.BigDecimal.TWO, MC);
            halvings++;
        }
        java.math.BigDecimal sum = java.math.BigDecimal.ONE;
        java.math.BigDecimal term = java.math.BigDecimal.ONE;
        for (int i = 1; i <= 25; i++) {
            term = term.multiply(r, MC).divide(java.math.BigDecimal.valueOf(i), MC);
            sum = sum.add(term, MC);
        }
        // 60 digits for the squarings: each one doubles the relative error (at most 2^20 here)
        for (int i = 0; i < halvings; i++) {
            sum = sum.multiply(sum, new java.math.MathContext(60));
        }
        return sum;
    }

    static java.math.BigDecimal exactTanh(double v) {
        java.math.BigDecimal x = new java.math.BigDecimal(v);
        if (Math.abs(v) < 1e-6) {
            // x − x³/3 + 2x⁵/15: the omitted terms are below 1e-40 relative
            java.math.BigDecimal x2 = x.multiply(x, MC);
            return x.subtract(x.multiply(x2, MC).divide(java.math.BigDecimal.valueOf(3), MC), MC)
                    .add(x.multiply(x2, MC).multiply(x2, MC).multiply(java.math.BigDecimal.valueOf(2), MC)
                            .divide(java.math.BigDecimal.valueOf(15), MC), MC);
        }
        java.math.BigDecimal e = exactExp(x.multiply(java.math.BigDecimal.TWO));
        return e.subtract(java.math.BigDecimal.ONE).divide(e.add(java.math.BigDecimal.ONE), MC);
    }

    static java.math.BigDecimal exactSigmoid(double v) {
        java.math.BigDecimal e = exactExp(new java.math.BigDecimal(-Math.abs(v)));
        java.math.BigDecimal den = java.math.BigDecimal.ONE.add(e);
        return (v >= 0 ? java.math.BigDecimal.ONE : e).divide(den, MC);
    }

    /** |y − exact| in ulps of exact rounded to double (the subnormal spacing below MIN_NORMAL). */
    private static double exactUlps(double y, java.math.BigDecimal exact) {
        double rounded = exact.doubleValue();
        double ulp = Math.ulp(rounded);
        return new java.math.BigDecimal(y).subtract(exact).abs().divide(new java.math.BigDecimal(ulp), MC)
                .doubleValue();
    }

    /** Offsets, awkward lengths and aliasing: agree with ScalarOps to 2 ulps, write nothing outside the range. */
    @ParameterizedTest(name = "n={0}")
    @MethodSource("sizes")
    void activationsMatchScalarWithOffsetsAndAliasing(int n) {
        requirePanama();
        double[] x = random(new SplittableRandom(SEED + 7L * n), n + 9, 8);
        for (Activation act : Activation.values()) {
            for (boolean sigmoid : new boolean[] {false, true}) {
                if (sigmoid && act == Activation.RELU) {
                    continue;
                }
                String what = (sigmoid ? "sigmoid" : act.toString()) + " n=" + n + " seed=" + SEED;
                double[] ys = new double[n + 6];
                double[] yp = new double[n + 6];
                Arrays.fill(yp, 42);
                Arrays.fill(ys, 42);
                if (sigmoid) {
                    SCALAR.sigmoid(x, 9, ys, 4, n);
                    panama.sigmoid(x, 9, yp, 4, n);
                } else {
                    SCALAR.activate(act, x, 9, ys, 4, n);
                    panama.activate(act, x, 9, yp, 4, n);
                }
                for (int i = 0; i < ys.length; i++) {
                    if (ulps(yp[i], ys[i]) > 4) {
                        fail(what + ": index " + i + " expected " + ys[i] + " got " + yp[i]);
                    }
                }
                double[] inPlace = x.clone();
                if (sigmoid) {
                    panama.sigmoid(inPlace, 9, inPlace, 9, n);
                } else {
                    panama.activate(act, inPlace, 9, inPlace, 9, n);
                }
                assertBitsEqual(Arrays.copyOfRange(yp, 4, 4 + n), Arrays.copyOfRange(inPlace, 9, 9 + n),
                        what + " in place");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // determinism across JIT states
    // ---------------------------------------------------------------------------------------------------------

    /**
     * The double kernels must give the same bits interpreted as compiled (a run must not depend on when C2
     * compiles them; {@code lanewise(TANH/EXP)} fails this, see DoubleKernels). A fresh {@code -Xint} JVM runs
     * {@link XintProbe} and prints a hash of its results; this JVM computes the same after warming the kernels up.
     */
    @Test
    void resultsAreIdenticalInterpretedAndCompiled() throws Exception {
        requirePanama();
        String javaExe = ProcessHandle.current().info().command().orElse(null);
        assumeTrue(javaExe != null, "cannot locate the java executable");
        List<String> command = new ArrayList<>(List.of(javaExe, "--add-modules", "jdk.incubator.vector", "-Xint"));
        command.addAll(PanamaOpsAllocationTest.probeJvmArgs(ManagementFactory.getRuntimeMXBean().getInputArguments(),
                ""));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), XintProbe.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "probe timed out");
        java.util.regex.Matcher mt = java.util.regex.Pattern.compile("hash=(-?\\d+)").matcher(out);
        assertTrue(process.exitValue() == 0 && mt.find(), "probe failed: " + out);
        assertTrue(out.contains("kernels=" + panama), "probe ran other kernels than " + panama + ": " + out);
        long warm = 0;
        for (int round = 0; round < 3000; round++) {
            warm = XintProbe.hash(panama);
        }
        assertEquals(Long.parseLong(mt.group(1)), warm, "interpreted (-Xint) and compiled results differ");
    }

    /** Runs each double kernel once on fixed inputs and prints a hash of all result bits. */
    public static final class XintProbe {
        public static void main(String[] args) {
            Ops ops = Kernels.panama().orElseThrow();
            System.out.println("kernels=" + ops);
            System.out.println("hash=" + hash(ops));
        }

        static long hash(Ops ops) {
            SplittableRandom rnd = new SplittableRandom(7);
            double[] x = random(rnd, 400, 12);
            double[] y = new double[203];
            long h = 17;
            ops.tanh(x, 0, y, 0, 203);
            h = mix(h, y);
            ops.sigmoid(x, 0, y, 0, 203);
            h = mix(h, y);
            ops.relu(x, 0, y, 0, 203);
            h = mix(h, y);
            h = 31 * h + Double.doubleToRawLongBits(ops.dot(x, 1, x, 3, 197));
            double[] c = new double[13 * 21];
            for (int t = 0; t < 4; t++) {
                ops.gemm((t & 2) != 0, (t & 1) != 0, 13, 19, 10, x, 0, 19, x, 1, 19, c, 0, 21, t % 2 == 0);
                h = mix(h, c);
            }
            return h;
        }

        private static long mix(long h, double[] y) {
            for (double v : y) {
                h = 31 * h + Double.doubleToRawLongBits(v);
            }
            return h;
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private static double tanh1(double v) {
        double[] y = new double[1];
        panama.tanh(new double[] {v}, 0, y, 0, 1);
        return y[0];
    }

    private static void assertBitsEqual(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                fail(what + ": index " + i + " expected " + expected[i] + " got " + actual[i]);
            }
        }
    }
}
