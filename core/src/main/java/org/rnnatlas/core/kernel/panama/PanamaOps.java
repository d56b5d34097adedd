package org.rnnatlas.core.kernel.panama;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Ops;

/**
 * {@link Ops} on the Vector API ({@code jdk.incubator.vector}) with one species, {@link FloatVector#SPECIES_PREFERRED}:
 * 16 lanes on AVX-512, 8 on AVX2, 4 on NEON/SSE; other lane counts are rejected when the class initialises, and
 * {@code Kernels} then falls back to the scalar kernels. Built by {@code Kernels} by class name, so nothing outside
 * this package links the incubator module.
 *
 * <p>gemm picks one of three register-blocked kernels by shape (see {@link #gemm}); every kernel keeps its
 * accumulators in registers (16 of them where the CPU has 32 vector registers, 12 or 8 where it has 16: see
 * {@link #REGISTERS_PROPERTY}) and uses masked loads/stores for tails, so any offset, leading dimension and size
 * works.
 * Horizontal sums use a fixed tree of lane shuffles (never {@code reduceLanes}, whose order is unspecified), and the
 * transcendental functions are polynomial approximations built from add/mul/fma/div only: both are therefore
 * bit-identical whether the JIT has compiled the code or not, which keeps a training run deterministic.
 *
 * <p>The double-precision methods run on {@code DoubleVector} of the same shape (8, 4 or 2 lanes) in
 * {@link DoubleKernels}: the same broadcast tiles for gemm (NT/TT pack op(B)), and tanh/sigmoid built on a
 * double-accurate expm1, likewise deterministic and allocation-free once compiled.
 *
 * <p>Accuracy: {@code tanh} and {@code sigmoid} are within 2.5e-7 absolute (tanh also ~2 ulp relative) of the
 * double-precision functions over the whole float range; large |x| saturates to ±1 / 0 / 1, never NaN.
 */
public final class PanamaOps implements Ops {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    static {
        // the transpose-reduction of gemmDot is written out for 4, 8 and 16 lanes (NEON/SSE, AVX2, AVX-512)
        if (L != 4 && L != 8 && L != 16) {
            throw new UnsupportedOperationException("PanamaOps supports 4, 8 or 16 float lanes (128-, 256- or "
                    + "512-bit vectors); FloatVector.SPECIES_PREFERRED has " + L);
        }
    }
    /** Width in floats of the NN/TN micro-kernel's column block (4 vectors). */
    private static final int NB = 4 * L;
    /** System property overriding the register count the gemm tiles are sized for: 16 or 32. */
    public static final String REGISTERS_PROPERTY = "rnnatlas.simd.registers";
    /**
     * Vector registers the gemm tiles are sized for: 32 on AVX-512 (16 lanes) and AArch64 (NEON, SVE), else 16
     * (AVX2, SSE). The 4 × 4 tiles need 21 registers; with 16, C2 spills accumulators to the stack. Measured at
     * 8 lanes (Zen 5; G = 4, N = 64–256; best of 40 calls): with 16 registers (-XX:UseAVX=2) the 4 × 4 tiles ran
     * NN/TN at 45–50 GFLOP/s and NT at 54–72, the 16-register tiles (6 × 2 broadcast, 4 × 2 dot) at 72–117 and
     * 59–90; with 32 registers (-XX:MaxVectorSize=32) the 4 × 4 tiles are the faster ones (NN/TN 88–125 against
     * 73–112, NT 87–110 against 53–75). Java cannot ask the CPU, hence the guess by width and architecture, and
     * {@value #REGISTERS_PROPERTY} to override it (tests use it to run both tile families at 4 and 8 lanes).
     * 16 lanes always use the 4 × 4 tiles (every 512-bit CPU has 32 registers).
     */
    private static final int REGISTERS = registers();
    /** Whether gemm uses the 16-register tiles (only below 16 lanes). */
    static final boolean TILES_16 = REGISTERS == 16 && L < 16;
    /** Width in floats of the 6 × 2 broadcast kernel's column block (2 vectors). */
    private static final int NB_NARROW = 2 * L;

    private static int registers() {
        String v = System.getProperty(REGISTERS_PROPERTY);
        if (v == null || v.isBlank()) {
            return L == 16 || "aarch64".equals(System.getProperty("os.arch")) ? 32 : 16;
        }
        return switch (v.trim()) {
            case "16" -> 16;
            case "32" -> 32;
            default -> throw new IllegalArgumentException("Bad value '" + v + "' for -D" + REGISTERS_PROPERTY
                    + ". Allowed: 16, 32 (vector registers the gemm tiles are sized for)");
        };
    }
    /** k is cut into blocks so the B panel a column block streams through (KC × NB floats) stays in L2. */
    private static final int KC = 512;
    /** Up to this many columns, gemm switches from the broadcast micro-kernel to dot-product / transposed kernels. */
    private static final int SMALL_N = Math.max(1, L / 2 - 1);

    // Shuffles (lane l <- lane l ^ h) and masks (lanes with bit h set) of the transpose-reduction in gemmDot, one
    // pair per level, h = L/2, L/4, L/8, L/16. Levels 3 and 4 exist only for L >= 8 and L = 16; below that they
    // are built with h = 1 (valid but unused) so that every constant is a real shuffle/mask of the one species.
    private static final VectorShuffle<Float> FLIP_1 = flip(L / 2);
    private static final VectorShuffle<Float> FLIP_2 = flip(L / 4);
    private static final VectorShuffle<Float> FLIP_3 = flip(Math.max(1, L / 8));
    private static final VectorShuffle<Float> FLIP_4 = flip(Math.max(1, L / 16));
    private static final VectorMask<Float> BIT_1 = bitMask(L / 2);
    private static final VectorMask<Float> BIT_2 = bitMask(L / 4);
    private static final VectorMask<Float> BIT_3 = bitMask(Math.max(1, L / 8));
    private static final VectorMask<Float> BIT_4 = bitMask(Math.max(1, L / 16));
    /**
     * After log2(L) levels, dot product i of a tile (its row-major position: 4r + q in a 4 × 4 tile, 2r + q in a
     * 4 × 2 tile) sits in result vector i / L at lane bitreverse(i mod L) (level j moves bit j−1 of i to lane bit
     * L/2^j); this gathers lane i mod L from there.
     */
    private static final VectorShuffle<Float> TO_ROW_MAJOR = VectorShuffle.fromOp(S, PanamaOps::reverseLaneBits);

    private static int reverseLaneBits(int l) {
        int r = 0;
        for (int bit = 1, rev = L / 2; bit < L; bit <<= 1, rev >>= 1) {
            if ((l & bit) != 0) {
                r |= rev;
            }
        }
        return r;
    }

    private static VectorShuffle<Float> flip(int h) {
        return VectorShuffle.fromOp(S, l -> l ^ h);
    }

    private static VectorMask<Float> bitMask(int bit) {
        boolean[] set = new boolean[L];
        for (int l = 0; l < L; l++) {
            set[l] = (l & bit) != 0;
        }
        return VectorMask.fromArray(S, set, 0);
    }

    /** Per-thread scratch: packed Bᵀ for small-n / TT products and lane spill space. Grows, never shrinks. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        float[] pack = new float[0];
        /** 16 spilled vectors (dot tile accumulators, or 4 columns of a Cᵀ tile) + 16 floats of dot-tile sums. */
        final float[] lanes = new float[16 * L + 16];

        float[] pack(int size) {
            if (pack.length < size) {
                pack = new float[size];
            }
            return pack;
        }
    }

    /** Public no-argument constructor that does no work (built reflectively by {@code Kernels}). */
    public PanamaOps() {
    }

    @Override
    public String name() {
        return "panama-" + S.vectorBitSize();
    }

    /**
     * Detail for {@code Kernels.describe()}, e.g. {@code "FloatVector, 16 lanes"} or
     * {@code "FloatVector, 8 lanes, 16-register tiles"}.
     */
    public String details() {
        return "FloatVector, " + L + " lanes" + (TILES_16 ? ", 16-register tiles" : "");
    }

    @Override
    public String toString() {
        return name() + " (" + details() + ")";
    }

    // ------------------------------------------------------------------------------------------------------------
    // gemm
    // ------------------------------------------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     *
     * <p>Kernels: NN and TN with n &gt; {@code L/2−1} use a 4-row × 4-vector broadcast-FMA micro-kernel over k-blocks
     * of 512 (6 rows × 2 vectors with 16-register tiles); TN with small n computes Cᵀ with vectors running down A's
     * (contiguous) rows; NT, and NN with small n (after packing Bᵀ per thread), use a 4 × 4 (16-register tiles:
     * 4 × 2) dot-product kernel vectorised along k; TT packs op(B) and runs TN.
     */
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        checkGemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        if (!transB) {
            if (transA && n <= SMALL_N) {
                gemmTransposedC(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            } else if (!transA && n <= SMALL_N) {
                // B's columns are strided: pack Bᵀ (n × k, tiny) so both operands of the dot products are contiguous
                float[] bt = SCRATCH.get().pack(n * k);
                for (int p = 0; p < k; p++) {
                    int src = bOff + p * ldb;
                    for (int j = 0; j < n; j++) {
                        bt[j * k + p] = b[src + j];
                    }
                }
                gemmDot(m, n, k, a, aOff, lda, bt, 0, k, c, cOff, ldc, accumulate, SCRATCH.get().lanes);
            } else {
                gemmBroadcast(m, n, k, a, aOff, transA ? 1 : lda, transA ? lda : 1,
                        b, bOff, ldb, c, cOff, ldc, accumulate);
            }
        } else if (!transA) {
            gemmDot(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, SCRATCH.get().lanes);
        } else {
            // TT is not on any hot path: materialise op(B) (k × n) and reuse the TN kernels
            float[] bp = SCRATCH.get().pack(k * n);
            for (int j = 0; j < n; j++) {
                int src = bOff + j * ldb;
                for (int p = 0; p < k; p++) {
                    bp[p * n + j] = b[src + p];
                }
            }
            if (n <= SMALL_N) {
                gemmTransposedC(m, n, k, a, aOff, lda, bp, 0, n, c, cOff, ldc, accumulate);
            } else {
                gemmBroadcast(m, n, k, a, aOff, 1, lda, bp, 0, n, c, cOff, ldc, accumulate);
            }
        }
    }

    private static void checkGemm(boolean transA, boolean transB, int m, int n, int k,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm sizes must be >= 0, got m=" + m + ", n=" + n + ", k=" + k);
        }
        if (m == 0 || n == 0) {
            return;
        }
        checkMatrix("C", c, cOff, m, n, ldc);
        if (k > 0) {
            checkMatrix("A", a, aOff, transA ? k : m, transA ? m : k, lda);
            checkMatrix("B", b, bOff, transB ? n : k, transB ? k : n, ldb);
        }
    }

    private static void checkMatrix(String what, float[] x, int off, int rows, int cols, int ld) {
        long last = (long) off + (long) (rows - 1) * ld + cols - 1;
        if (off < 0 || ld < 0 || last >= x.length || (rows > 1 && ld < cols)) {
            throw new IndexOutOfBoundsException("gemm: " + what + " (" + rows + " x " + cols + ", offset " + off
                    + ", leading dimension " + ld + ") needs ld >= " + cols + " and an array of at least "
                    + (last + 1) + " floats, got " + x.length);
        }
    }

    /**
     * C (+)= op(A)·B with B row-major (k × n, row stride ldb). op(A)(i, p) is {@code a[aOff + i*ars + p*acs]}.
     * 4 rows × 4 vectors of C per micro-tile; rows beyond m repeat the last row (identical values, stored twice) so
     * one kernel serves every row tail without branches.
     */
    private static void gemmBroadcast(int m, int n, int k, float[] a, int aOff, int ars, int acs,
                                      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        if (TILES_16) {
            gemmBroadcast6(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        int nFull = n - n % NB;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            boolean load = accumulate || pc > 0;
            int aBase = aOff + pc * acs;
            int bBase = bOff + pc * ldb;
            for (int j = 0; j < n; j += NB) {
                for (int i = 0; i < m; i += 4) {
                    int i1 = Math.min(i + 1, m - 1);
                    int i2 = Math.min(i + 2, m - 1);
                    int i3 = Math.min(i + 3, m - 1);
                    int a0 = aBase + i * ars, a1 = aBase + i1 * ars, a2 = aBase + i2 * ars, a3 = aBase + i3 * ars;
                    int c0 = cOff + i * ldc + j, c1 = cOff + i1 * ldc + j;
                    int c2 = cOff + i2 * ldc + j, c3 = cOff + i3 * ldc + j;
                    if (j < nFull) {
                        tile4x4(kc, a, a0, a1, a2, a3, acs, b, bBase + j, ldb, c, c0, c1, c2, c3, load);
                    } else {
                        for (int jj = j; jj < n; jj += L) {
                            int d = jj - j;
                            tile4x1(kc, a, a0, a1, a2, a3, acs, b, bBase + jj, ldb,
                                    c, c0 + d, c1 + d, c2 + d, c3 + d, load, n - jj);
                        }
                    }
                }
            }
        }
    }

    /**
     * gemmBroadcast with 16-register tiles: 6 rows × 2 vectors per micro-tile (12 accumulators + 2 B vectors +
     * 1 broadcast, as in the usual AVX2 sgemm kernels); row tails repeat the last row likewise.
     */
    private static void gemmBroadcast6(int m, int n, int k, float[] a, int aOff, int ars, int acs,
                                       float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                       boolean accumulate) {
        int nFull = n - n % NB_NARROW;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            boolean load = accumulate || pc > 0;
            int aBase = aOff + pc * acs;
            int bBase = bOff + pc * ldb;
            for (int j = 0; j < n; j += NB_NARROW) {
                for (int i = 0; i < m; i += 6) {
                    int rows = Math.min(6, m - i);
                    int a0 = aBase + i * ars;
                    int c0 = cOff + i * ldc + j;
                    if (j < nFull) {
                        tile6x2(kc, a, a0, ars, acs, rows, b, bBase + j, ldb, c, c0, ldc, load);
                    } else {
                        for (int jj = j; jj < n; jj += L) {
                            tile6x1(kc, a, a0, ars, acs, rows, b, bBase + jj, ldb, c, c0 + jj - j, ldc, load,
                                    n - jj);
                        }
                    }
                }
            }
        }
    }

    /** Rows i..i+5 of op(A) start at a0 + r·ars (r clamped to rows−1), of C at c0 + r·ldc. */
    private static void tile6x2(int kc, float[] a, int a0, int ars, int acs, int rows,
                                float[] b, int b0, int ldb, float[] c, int c0, int ldc, boolean load) {
        int r1 = Math.min(1, rows - 1), r2 = Math.min(2, rows - 1), r3 = Math.min(3, rows - 1);
        int r4 = Math.min(4, rows - 1), r5 = Math.min(5, rows - 1);
        int a1 = a0 + r1 * ars, a2 = a0 + r2 * ars, a3 = a0 + r3 * ars, a4 = a0 + r4 * ars, a5 = a0 + r5 * ars;
        int c1 = c0 + r1 * ldc, c2 = c0 + r2 * ldc, c3 = c0 + r3 * ldc, c4 = c0 + r4 * ldc, c5 = c0 + r5 * ldc;
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (load) {
            c00 = FloatVector.fromArray(S, c, c0);
            c01 = FloatVector.fromArray(S, c, c0 + L);
            c10 = FloatVector.fromArray(S, c, c1);
            c11 = FloatVector.fromArray(S, c, c1 + L);
            c20 = FloatVector.fromArray(S, c, c2);
            c21 = FloatVector.fromArray(S, c, c2 + L);
            c30 = FloatVector.fromArray(S, c, c3);
            c31 = FloatVector.fromArray(S, c, c3 + L);
            c40 = FloatVector.fromArray(S, c, c4);
            c41 = FloatVector.fromArray(S, c, c4 + L);
            c50 = FloatVector.fromArray(S, c, c5);
            c51 = FloatVector.fromArray(S, c, c5 + L);
        } else {
            c00 = c01 = c10 = c11 = c20 = c21 = FloatVector.zero(S);
            c30 = c31 = c40 = c41 = c50 = c51 = FloatVector.zero(S);
        }
        for (int p = 0; p < kc; p++) {
            int bp = b0 + p * ldb;
            int ap = p * acs;
            FloatVector b0v = FloatVector.fromArray(S, b, bp);
            FloatVector b1v = FloatVector.fromArray(S, b, bp + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + ap]);
            c00 = x.fma(b0v, c00);
            c01 = x.fma(b1v, c01);
            x = FloatVector.broadcast(S, a[a1 + ap]);
            c10 = x.fma(b0v, c10);
            c11 = x.fma(b1v, c11);
            x = FloatVector.broadcast(S, a[a2 + ap]);
            c20 = x.fma(b0v, c20);
            c21 = x.fma(b1v, c21);
            x = FloatVector.broadcast(S, a[a3 + ap]);
            c30 = x.fma(b0v, c30);
            c31 = x.fma(b1v, c31);
            x = FloatVector.broadcast(S, a[a4 + ap]);
            c40 = x.fma(b0v, c40);
            c41 = x.fma(b1v, c41);
            x = FloatVector.broadcast(S, a[a5 + ap]);
            c50 = x.fma(b0v, c50);
            c51 = x.fma(b1v, c51);
        }
        // rows 5 .. 1 first: when they repeat an earlier row (row tail) its later store wins with the same value
        c50.intoArray(c, c5);
        c51.intoArray(c, c5 + L);
        c40.intoArray(c, c4);
        c41.intoArray(c, c4 + L);
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + L);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + L);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + L);
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
    }

    /** One (masked) vector column of tile6x2, for the column tail; as tile4x1. */
    private static void tile6x1(int kc, float[] a, int a0, int ars, int acs, int rows,
                                float[] b, int b0, int ldb, float[] c, int c0, int ldc, boolean load, int width) {
        int r1 = Math.min(1, rows - 1), r2 = Math.min(2, rows - 1), r3 = Math.min(3, rows - 1);
        int r4 = Math.min(4, rows - 1), r5 = Math.min(5, rows - 1);
        int a1 = a0 + r1 * ars, a2 = a0 + r2 * ars, a3 = a0 + r3 * ars, a4 = a0 + r4 * ars, a5 = a0 + r5 * ars;
        int c1 = c0 + r1 * ldc, c2 = c0 + r2 * ldc, c3 = c0 + r3 * ldc, c4 = c0 + r4 * ldc, c5 = c0 + r5 * ldc;
        VectorMask<Float> mask = S.indexInRange(0, width);
        FloatVector q0 = FloatVector.zero(S), q1 = FloatVector.zero(S), q2 = FloatVector.zero(S);
        FloatVector q3 = FloatVector.zero(S), q4 = FloatVector.zero(S), q5 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector bv = FloatVector.fromArray(S, b, b0 + p * ldb, mask);
            int ap = p * acs;
            q0 = FloatVector.broadcast(S, a[a0 + ap]).fma(bv, q0);
            q1 = FloatVector.broadcast(S, a[a1 + ap]).fma(bv, q1);
            q2 = FloatVector.broadcast(S, a[a2 + ap]).fma(bv, q2);
            q3 = FloatVector.broadcast(S, a[a3 + ap]).fma(bv, q3);
            q4 = FloatVector.broadcast(S, a[a4 + ap]).fma(bv, q4);
            q5 = FloatVector.broadcast(S, a[a5 + ap]).fma(bv, q5);
        }
        if (load) {
            q0 = q0.add(FloatVector.fromArray(S, c, c0, mask));
            q1 = q1.add(FloatVector.fromArray(S, c, c1, mask));
            q2 = q2.add(FloatVector.fromArray(S, c, c2, mask));
            q3 = q3.add(FloatVector.fromArray(S, c, c3, mask));
            q4 = q4.add(FloatVector.fromArray(S, c, c4, mask));
            q5 = q5.add(FloatVector.fromArray(S, c, c5, mask));
        }
        q5.intoArray(c, c5, mask);
        q4.intoArray(c, c4, mask);
        q3.intoArray(c, c3, mask);
        q2.intoArray(c, c2, mask);
        q1.intoArray(c, c1, mask);
        q0.intoArray(c, c0, mask);
    }

    private static void tile4x4(int kc, float[] a, int a0, int a1, int a2, int a3, int acs,
                                float[] b, int b0, int ldb, float[] c, int c0, int c1, int c2, int c3,
                                boolean load) {
        FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;
        if (load) {
            c00 = FloatVector.fromArray(S, c, c0);
            c01 = FloatVector.fromArray(S, c, c0 + L);
            c02 = FloatVector.fromArray(S, c, c0 + 2 * L);
            c03 = FloatVector.fromArray(S, c, c0 + 3 * L);
            c10 = FloatVector.fromArray(S, c, c1);
            c11 = FloatVector.fromArray(S, c, c1 + L);
            c12 = FloatVector.fromArray(S, c, c1 + 2 * L);
            c13 = FloatVector.fromArray(S, c, c1 + 3 * L);
            c20 = FloatVector.fromArray(S, c, c2);
            c21 = FloatVector.fromArray(S, c, c2 + L);
            c22 = FloatVector.fromArray(S, c, c2 + 2 * L);
            c23 = FloatVector.fromArray(S, c, c2 + 3 * L);
            c30 = FloatVector.fromArray(S, c, c3);
            c31 = FloatVector.fromArray(S, c, c3 + L);
            c32 = FloatVector.fromArray(S, c, c3 + 2 * L);
            c33 = FloatVector.fromArray(S, c, c3 + 3 * L);
        } else {
            c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = FloatVector.zero(S);
            c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = FloatVector.zero(S);
        }
        for (int p = 0; p < kc; p++) {
            int bp = b0 + p * ldb;
            int ap = p * acs;
            FloatVector b0v = FloatVector.fromArray(S, b, bp);
            FloatVector b1v = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2v = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector b3v = FloatVector.fromArray(S, b, bp + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + ap]);
            c00 = x.fma(b0v, c00);
            c01 = x.fma(b1v, c01);
            c02 = x.fma(b2v, c02);
            c03 = x.fma(b3v, c03);
            x = FloatVector.broadcast(S, a[a1 + ap]);
            c10 = x.fma(b0v, c10);
            c11 = x.fma(b1v, c11);
            c12 = x.fma(b2v, c12);
            c13 = x.fma(b3v, c13);
            x = FloatVector.broadcast(S, a[a2 + ap]);
            c20 = x.fma(b0v, c20);
            c21 = x.fma(b1v, c21);
            c22 = x.fma(b2v, c22);
            c23 = x.fma(b3v, c23);
            x = FloatVector.broadcast(S, a[a3 + ap]);
            c30 = x.fma(b0v, c30);
            c31 = x.fma(b1v, c31);
            c32 = x.fma(b2v, c32);
            c33 = x.fma(b3v, c33);
        }
        // rows 3, 2, 1 first: when they repeat row 0 (row tail) the final store of row 0 wins with the same value
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + L);
        c32.intoArray(c, c3 + 2 * L);
        c33.intoArray(c, c3 + 3 * L);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + L);
        c22.intoArray(c, c2 + 2 * L);
        c23.intoArray(c, c2 + 3 * L);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + L);
        c12.intoArray(c, c1 + 2 * L);
        c13.intoArray(c, c1 + 3 * L);
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c02.intoArray(c, c0 + 2 * L);
        c03.intoArray(c, c0 + 3 * L);
    }

    private static void tile4x1(int kc, float[] a, int a0, int a1, int a2, int a3, int acs,
                                float[] b, int b0, int ldb, float[] c, int c0, int c1, int c2, int c3,
                                boolean load, int width) {
        // the mask is built here, not passed in: a vector or mask crossing a non-inlined call gets boxed
        VectorMask<Float> mask = S.indexInRange(0, width);
        FloatVector r0 = FloatVector.zero(S), r1 = FloatVector.zero(S);
        FloatVector r2 = FloatVector.zero(S), r3 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector bv = FloatVector.fromArray(S, b, b0 + p * ldb, mask);
            int ap = p * acs;
            r0 = FloatVector.broadcast(S, a[a0 + ap]).fma(bv, r0);
            r1 = FloatVector.broadcast(S, a[a1 + ap]).fma(bv, r1);
            r2 = FloatVector.broadcast(S, a[a2 + ap]).fma(bv, r2);
            r3 = FloatVector.broadcast(S, a[a3 + ap]).fma(bv, r3);
        }
        // C is added after the loop (not loaded into the accumulators): a phi merging masked loads with zeros
        // made C2 box the accumulators when the mask is partial
        if (load) {
            r0 = r0.add(FloatVector.fromArray(S, c, c0, mask));
            r1 = r1.add(FloatVector.fromArray(S, c, c1, mask));
            r2 = r2.add(FloatVector.fromArray(S, c, c2, mask));
            r3 = r3.add(FloatVector.fromArray(S, c, c3, mask));
        }
        r3.intoArray(c, c3, mask);
        r2.intoArray(c, c2, mask);
        r1.intoArray(c, c1, mask);
        r0.intoArray(c, c0, mask);
    }

    /**
     * C (+)= Aᵀ·B for small n, A stored k × m: C's columns are computed as vectors running along i, which is A's
     * contiguous direction, with B's elements broadcast. Tiles of 4·L rows × 4 columns; C is written through a lane
     * spill since its columns are strided.
     */
    private static void gemmTransposedC(int m, int n, int k, float[] a, int aOff, int lda,
                                        float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                        boolean accumulate) {
        float[] lanes = SCRATCH.get().lanes;
        for (int i = 0; i < m; i += NB) {
            int rowsValid = Math.min(NB, m - i);
            for (int j = 0; j < n; j += 4) {
                int j1 = Math.min(j + 1, n - 1);
                int j2 = Math.min(j + 2, n - 1);
                int j3 = Math.min(j + 3, n - 1);
                if (rowsValid == NB) {
                    transposedTile(k, a, aOff + i, lda, b, bOff, ldb, j, j1, j2, j3, lanes);
                } else {
                    for (int v = 0; v * L < rowsValid; v++) {
                        transposedTileMasked(k, a, aOff + i + v * L, lda, rowsValid - v * L,
                                b, bOff, ldb, j, j1, j2, j3, lanes, v * L);
                    }
                }
                int cols = Math.min(4, n - j);
                for (int r = 0; r < rowsValid; r++) {
                    int ci = cOff + (i + r) * ldc + j;
                    for (int q = 0; q < cols; q++) {
                        float v = lanes[q * NB + r];
                        c[ci + q] = accumulate ? c[ci + q] + v : v;
                    }
                }
            }
        }
    }

    /** 4L rows × 4 columns of Cᵀ, all rows in range; spills column q to lanes[q·NB ..]. */
    private static void transposedTile(int k, float[] a, int a0, int lda, float[] b, int bOff, int ldb,
                                       int j0, int j1, int j2, int j3, float[] lanes) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S);
        FloatVector s03 = FloatVector.zero(S), s10 = FloatVector.zero(S), s11 = FloatVector.zero(S);
        FloatVector s12 = FloatVector.zero(S), s13 = FloatVector.zero(S), s20 = FloatVector.zero(S);
        FloatVector s21 = FloatVector.zero(S), s22 = FloatVector.zero(S), s23 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S), s31 = FloatVector.zero(S), s32 = FloatVector.zero(S);
        FloatVector s33 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int ap = a0 + p * lda;
            FloatVector x0 = FloatVector.fromArray(S, a, ap);
            FloatVector x1 = FloatVector.fromArray(S, a, ap + L);
            FloatVector x2 = FloatVector.fromArray(S, a, ap + 2 * L);
            FloatVector x3 = FloatVector.fromArray(S, a, ap + 3 * L);
            int bp = bOff + p * ldb;
            FloatVector y = FloatVector.broadcast(S, b[bp + j0]);
            s00 = x0.fma(y, s00);
            s10 = x1.fma(y, s10);
            s20 = x2.fma(y, s20);
            s30 = x3.fma(y, s30);
            y = FloatVector.broadcast(S, b[bp + j1]);
            s01 = x0.fma(y, s01);
            s11 = x1.fma(y, s11);
            s21 = x2.fma(y, s21);
            s31 = x3.fma(y, s31);
            y = FloatVector.broadcast(S, b[bp + j2]);
            s02 = x0.fma(y, s02);
            s12 = x1.fma(y, s12);
            s22 = x2.fma(y, s22);
            s32 = x3.fma(y, s32);
            y = FloatVector.broadcast(S, b[bp + j3]);
            s03 = x0.fma(y, s03);
            s13 = x1.fma(y, s13);
            s23 = x2.fma(y, s23);
            s33 = x3.fma(y, s33);
        }
        s00.intoArray(lanes, 0);
        s10.intoArray(lanes, L);
        s20.intoArray(lanes, 2 * L);
        s30.intoArray(lanes, 3 * L);
        s01.intoArray(lanes, NB);
        s11.intoArray(lanes, NB + L);
        s21.intoArray(lanes, NB + 2 * L);
        s31.intoArray(lanes, NB + 3 * L);
        s02.intoArray(lanes, 2 * NB);
        s12.intoArray(lanes, 2 * NB + L);
        s22.intoArray(lanes, 2 * NB + 2 * L);
        s32.intoArray(lanes, 2 * NB + 3 * L);
        s03.intoArray(lanes, 3 * NB);
        s13.intoArray(lanes, 3 * NB + L);
        s23.intoArray(lanes, 3 * NB + 2 * L);
        s33.intoArray(lanes, 3 * NB + 3 * L);
    }

    /** One vector of rows (masked to {@code rows}) × 4 columns of Cᵀ, spilled like transposedTile at row {@code at}. */
    private static void transposedTileMasked(int k, float[] a, int a0, int lda, int rows, float[] b, int bOff,
                                             int ldb, int j0, int j1, int j2, int j3, float[] lanes, int at) {
        VectorMask<Float> mask = S.indexInRange(0, rows);
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            FloatVector x = FloatVector.fromArray(S, a, a0 + p * lda, mask);
            int bp = bOff + p * ldb;
            s0 = x.fma(FloatVector.broadcast(S, b[bp + j0]), s0);
            s1 = x.fma(FloatVector.broadcast(S, b[bp + j1]), s1);
            s2 = x.fma(FloatVector.broadcast(S, b[bp + j2]), s2);
            s3 = x.fma(FloatVector.broadcast(S, b[bp + j3]), s3);
        }
        s0.intoArray(lanes, at);
        s1.intoArray(lanes, NB + at);
        s2.intoArray(lanes, 2 * NB + at);
        s3.intoArray(lanes, 3 * NB + at);
    }

    /**
     * C (+)= A·Bᵀ where both A (m × k) and the stored B (n × k) have contiguous rows along k: 4 × 4 tiles of dot
     * products vectorised along k (masked tail), reduced by a transpose-reduction.
     */
    private static void gemmDot(int m, int n, int k, float[] a, int aOff, int lda,
                                float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate,
                                float[] spill) {
        if (TILES_16) {
            gemmDot42(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, spill);
            return;
        }
        for (int j = 0; j < n; j += 4) {
            int b0 = bOff + j * ldb;
            int b1 = bOff + Math.min(j + 1, n - 1) * ldb;
            int b2 = bOff + Math.min(j + 2, n - 1) * ldb;
            int b3 = bOff + Math.min(j + 3, n - 1) * ldb;
            int colsValid = Math.min(4, n - j);
            for (int i = 0; i < m; i += 4) {
                int a0 = aOff + i * lda;
                int a1 = aOff + Math.min(i + 1, m - 1) * lda;
                int a2 = aOff + Math.min(i + 2, m - 1) * lda;
                int a3 = aOff + Math.min(i + 3, m - 1) * lda;
                dotTile(k, a, a0, a1, a2, a3, b, b0, b1, b2, b3, c, cOff + i * ldc + j, ldc,
                        Math.min(4, m - i), colsValid, accumulate, spill);
            }
        }
    }

    /** gemmDot with 16-register tiles: 4 × 2 tiles, 8 accumulators + 2 B vectors + 1 A vector. */
    private static void gemmDot42(int m, int n, int k, float[] a, int aOff, int lda,
                                  float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate,
                                  float[] spill) {
        for (int j = 0; j < n; j += 2) {
            int b0 = bOff + j * ldb;
            int b1 = bOff + Math.min(j + 1, n - 1) * ldb;
            int colsValid = Math.min(2, n - j);
            for (int i = 0; i < m; i += 4) {
                int a0 = aOff + i * lda;
                int a1 = aOff + Math.min(i + 1, m - 1) * lda;
                int a2 = aOff + Math.min(i + 2, m - 1) * lda;
                int a3 = aOff + Math.min(i + 3, m - 1) * lda;
                dotTile42(k, a, a0, a1, a2, a3, b, b0, b1, c, cOff + i * ldc + j, ldc,
                        Math.min(4, m - i), colsValid, accumulate, spill);
            }
        }
    }

    /** One 4 × 2 tile of gemmDot42; vector loop, spill, scalar k tail and reduction as in dotTile. */
    private static void dotTile42(int k, float[] a, int a0, int a1, int a2, int a3, float[] b, int b0, int b1,
                                  float[] c, int o, int ldc, int rows, int colsValid, boolean accumulate,
                                  float[] spill) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s10 = FloatVector.zero(S);
        FloatVector s11 = FloatVector.zero(S), s20 = FloatVector.zero(S), s21 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S), s31 = FloatVector.zero(S);
        int kb = S.loopBound(k);
        for (int p = 0; p < kb; p += L) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p);
            s00 = x.fma(y0, s00);
            s01 = x.fma(y1, s01);
            x = FloatVector.fromArray(S, a, a1 + p);
            s10 = x.fma(y0, s10);
            s11 = x.fma(y1, s11);
            x = FloatVector.fromArray(S, a, a2 + p);
            s20 = x.fma(y0, s20);
            s21 = x.fma(y1, s21);
            x = FloatVector.fromArray(S, a, a3 + p);
            s30 = x.fma(y0, s30);
            s31 = x.fma(y1, s31);
        }
        s00.intoArray(spill, 0);
        s01.intoArray(spill, L);
        s10.intoArray(spill, 2 * L);
        s11.intoArray(spill, 3 * L);
        s20.intoArray(spill, 4 * L);
        s21.intoArray(spill, 5 * L);
        s30.intoArray(spill, 6 * L);
        s31.intoArray(spill, 7 * L);
        dotTail(kb, k, a, a0, a1, a2, a3, b, b0, b1, b1, b1, spill, 2);
        reduceTile42(spill);
        storeTile(spill, c, o, ldc, rows, colsValid, accumulate, 2);
    }

    /** One 4 × 4 tile of gemmDot, a method of its own so that C2 compiles it (gemmDot in one piece was too big). */
    private static void dotTile(int k, float[] a, int a0, int a1, int a2, int a3,
                                float[] b, int b0, int b1, int b2, int b3,
                                float[] c, int o, int ldc, int rows, int colsValid, boolean accumulate,
                                float[] spill) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S), s22 = FloatVector.zero(S), s23 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S), s31 = FloatVector.zero(S), s32 = FloatVector.zero(S), s33 = FloatVector.zero(S);
        // unmasked vector loop here; the k tail (< L) is summed in scalar code by dotTail: with masked loads or
        // a vector tail block in this method, C1 runs out of virtual registers and the method never reaches C2
        int kb = S.loopBound(k);
        for (int p = 0; p < kb; p += L) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector y3 = FloatVector.fromArray(S, b, b3 + p);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p);
            s00 = x.fma(y0, s00);
            s01 = x.fma(y1, s01);
            s02 = x.fma(y2, s02);
            s03 = x.fma(y3, s03);
            x = FloatVector.fromArray(S, a, a1 + p);
            s10 = x.fma(y0, s10);
            s11 = x.fma(y1, s11);
            s12 = x.fma(y2, s12);
            s13 = x.fma(y3, s13);
            x = FloatVector.fromArray(S, a, a2 + p);
            s20 = x.fma(y0, s20);
            s21 = x.fma(y1, s21);
            s22 = x.fma(y2, s22);
            s23 = x.fma(y3, s23);
            x = FloatVector.fromArray(S, a, a3 + p);
            s30 = x.fma(y0, s30);
            s31 = x.fma(y1, s31);
            s32 = x.fma(y2, s32);
            s33 = x.fma(y3, s33);
        }
        // Spill the 16 accumulators (row-major by tile position) and reduce them in another method: with the
        // reduction in this one, C1 runs out of virtual registers and the method never reaches C2.
        s00.intoArray(spill, 0);
        s01.intoArray(spill, L);
        s02.intoArray(spill, 2 * L);
        s03.intoArray(spill, 3 * L);
        s10.intoArray(spill, 4 * L);
        s11.intoArray(spill, 5 * L);
        s12.intoArray(spill, 6 * L);
        s13.intoArray(spill, 7 * L);
        s20.intoArray(spill, 8 * L);
        s21.intoArray(spill, 9 * L);
        s22.intoArray(spill, 10 * L);
        s23.intoArray(spill, 11 * L);
        s30.intoArray(spill, 12 * L);
        s31.intoArray(spill, 13 * L);
        s32.intoArray(spill, 14 * L);
        s33.intoArray(spill, 15 * L);
        dotTail(kb, k, a, a0, a1, a2, a3, b, b0, b1, b2, b3, spill, 4);
        // L is a constant: C2 keeps only one of these calls
        if (L == 16) {
            reduceTile(spill, c, o, ldc, rows, colsValid, accumulate);
        } else if (L == 8) {
            reduceTile8(spill);
            storeTile(spill, c, o, ldc, rows, colsValid, accumulate, 4);
        } else {
            reduceTile4(spill);
            storeTile(spill, c, o, ldc, rows, colsValid, accumulate, 4);
        }
    }

    /**
     * Sums p in [kb, k) of the dot products of a 4 × {@code cols} tile (cols 4 or 2; b2, b3 unused for 2) into
     * spill[16L + cols·r + q] (row r, column q).
     */
    private static void dotTail(int kb, int k, float[] a, int a0, int a1, int a2, int a3,
                                float[] b, int b0, int b1, int b2, int b3, float[] spill, int cols) {
        int base = 16 * L;
        for (int r = 0; r < 4; r++) {
            int ar = r == 0 ? a0 : r == 1 ? a1 : r == 2 ? a2 : a3;
            for (int q = 0; q < cols; q++) {
                int bq = q == 0 ? b0 : q == 1 ? b1 : q == 2 ? b2 : b3;
                float sum = 0f;
                for (int p = kb; p < k; p++) {
                    sum += a[ar + p] * b[bq + p];
                }
                spill[base + cols * r + q] = sum;
            }
        }
    }

    /**
     * Transpose-reduces the 16 spilled accumulators of a dot tile (16 lanes) into one vector holding all 16 dot
     * products and adds/stores them into C. Each level pairs (x, y) -> blend(x, y, M) + flip(blend(y, x, M)): lane l gets
     * x[l] + x[l^h] where M is clear and y[l] + y[l^h] where it is set. Fixed shuffles, blends and adds only, so the
     * summation order is the same compiled or interpreted (reduceLanes leaves it unspecified).
     */
    private static void reduceTile(float[] spill, float[] c, int o, int ldc, int rows, int colsValid,
                                   boolean accumulate) {
        FloatVector s00 = FloatVector.fromArray(S, spill, 0);
        FloatVector s01 = FloatVector.fromArray(S, spill, L);
        FloatVector s02 = FloatVector.fromArray(S, spill, 2 * L);
        FloatVector s03 = FloatVector.fromArray(S, spill, 3 * L);
        FloatVector s10 = FloatVector.fromArray(S, spill, 4 * L);
        FloatVector s11 = FloatVector.fromArray(S, spill, 5 * L);
        FloatVector s12 = FloatVector.fromArray(S, spill, 6 * L);
        FloatVector s13 = FloatVector.fromArray(S, spill, 7 * L);
        FloatVector s20 = FloatVector.fromArray(S, spill, 8 * L);
        FloatVector s21 = FloatVector.fromArray(S, spill, 9 * L);
        FloatVector s22 = FloatVector.fromArray(S, spill, 10 * L);
        FloatVector s23 = FloatVector.fromArray(S, spill, 11 * L);
        FloatVector s30 = FloatVector.fromArray(S, spill, 12 * L);
        FloatVector s31 = FloatVector.fromArray(S, spill, 13 * L);
        FloatVector s32 = FloatVector.fromArray(S, spill, 14 * L);
        FloatVector s33 = FloatVector.fromArray(S, spill, 15 * L);
        FloatVector t0 = s00.blend(s01, BIT_1).add(s01.blend(s00, BIT_1).rearrange(FLIP_1));
        FloatVector t1 = s02.blend(s03, BIT_1).add(s03.blend(s02, BIT_1).rearrange(FLIP_1));
        FloatVector t2 = s10.blend(s11, BIT_1).add(s11.blend(s10, BIT_1).rearrange(FLIP_1));
        FloatVector t3 = s12.blend(s13, BIT_1).add(s13.blend(s12, BIT_1).rearrange(FLIP_1));
        FloatVector t4 = s20.blend(s21, BIT_1).add(s21.blend(s20, BIT_1).rearrange(FLIP_1));
        FloatVector t5 = s22.blend(s23, BIT_1).add(s23.blend(s22, BIT_1).rearrange(FLIP_1));
        FloatVector t6 = s30.blend(s31, BIT_1).add(s31.blend(s30, BIT_1).rearrange(FLIP_1));
        FloatVector t7 = s32.blend(s33, BIT_1).add(s33.blend(s32, BIT_1).rearrange(FLIP_1));
        FloatVector u0 = t0.blend(t1, BIT_2).add(t1.blend(t0, BIT_2).rearrange(FLIP_2));
        FloatVector u1 = t2.blend(t3, BIT_2).add(t3.blend(t2, BIT_2).rearrange(FLIP_2));
        FloatVector u2 = t4.blend(t5, BIT_2).add(t5.blend(t4, BIT_2).rearrange(FLIP_2));
        FloatVector u3 = t6.blend(t7, BIT_2).add(t7.blend(t6, BIT_2).rearrange(FLIP_2));
        FloatVector v0 = u0.blend(u1, BIT_3).add(u1.blend(u0, BIT_3).rearrange(FLIP_3));
        FloatVector v1 = u2.blend(u3, BIT_3).add(u3.blend(u2, BIT_3).rearrange(FLIP_3));
        FloatVector w = v0.blend(v1, BIT_4).add(v1.blend(v0, BIT_4).rearrange(FLIP_4)).rearrange(TO_ROW_MAJOR)
                .add(FloatVector.fromArray(S, spill, 16 * L));
        // lanes 4r..4r+3 hold row r: store them at C[i+r][j..j+3] by a masked store shifted by -4r; only real
        // rows (with accumulate, a repeated tail row would otherwise be added twice)
        for (int r = 0; r < rows; r++) {
            VectorMask<Float> lanes = S.indexInRange(0, 4 * r + colsValid).andNot(S.indexInRange(0, 4 * r));
            int at = o + r * ldc - 4 * r;
            FloatVector out = w;
            if (accumulate) {
                out = out.add(FloatVector.fromArray(S, c, at, lanes));
            }
            out.intoArray(c, at, lanes);
        }
    }

    /**
     * reduceTile for 8 lanes (4 × 4 tiles with 32 registers): three levels (h = 4, 2, 1) leave rows 0–1 in one vector and rows 2–3 in another; each
     * is put in row-major lane order, added to the k-tail sums and written back over them at spill[16L ..].
     */
    private static void reduceTile8(float[] spill) {
        FloatVector s00 = FloatVector.fromArray(S, spill, 0);
        FloatVector s01 = FloatVector.fromArray(S, spill, L);
        FloatVector s02 = FloatVector.fromArray(S, spill, 2 * L);
        FloatVector s03 = FloatVector.fromArray(S, spill, 3 * L);
        FloatVector s10 = FloatVector.fromArray(S, spill, 4 * L);
        FloatVector s11 = FloatVector.fromArray(S, spill, 5 * L);
        FloatVector s12 = FloatVector.fromArray(S, spill, 6 * L);
        FloatVector s13 = FloatVector.fromArray(S, spill, 7 * L);
        FloatVector s20 = FloatVector.fromArray(S, spill, 8 * L);
        FloatVector s21 = FloatVector.fromArray(S, spill, 9 * L);
        FloatVector s22 = FloatVector.fromArray(S, spill, 10 * L);
        FloatVector s23 = FloatVector.fromArray(S, spill, 11 * L);
        FloatVector s30 = FloatVector.fromArray(S, spill, 12 * L);
        FloatVector s31 = FloatVector.fromArray(S, spill, 13 * L);
        FloatVector s32 = FloatVector.fromArray(S, spill, 14 * L);
        FloatVector s33 = FloatVector.fromArray(S, spill, 15 * L);
        FloatVector t0 = s00.blend(s01, BIT_1).add(s01.blend(s00, BIT_1).rearrange(FLIP_1));
        FloatVector t1 = s02.blend(s03, BIT_1).add(s03.blend(s02, BIT_1).rearrange(FLIP_1));
        FloatVector t2 = s10.blend(s11, BIT_1).add(s11.blend(s10, BIT_1).rearrange(FLIP_1));
        FloatVector t3 = s12.blend(s13, BIT_1).add(s13.blend(s12, BIT_1).rearrange(FLIP_1));
        FloatVector t4 = s20.blend(s21, BIT_1).add(s21.blend(s20, BIT_1).rearrange(FLIP_1));
        FloatVector t5 = s22.blend(s23, BIT_1).add(s23.blend(s22, BIT_1).rearrange(FLIP_1));
        FloatVector t6 = s30.blend(s31, BIT_1).add(s31.blend(s30, BIT_1).rearrange(FLIP_1));
        FloatVector t7 = s32.blend(s33, BIT_1).add(s33.blend(s32, BIT_1).rearrange(FLIP_1));
        FloatVector u0 = t0.blend(t1, BIT_2).add(t1.blend(t0, BIT_2).rearrange(FLIP_2));
        FloatVector u1 = t2.blend(t3, BIT_2).add(t3.blend(t2, BIT_2).rearrange(FLIP_2));
        FloatVector u2 = t4.blend(t5, BIT_2).add(t5.blend(t4, BIT_2).rearrange(FLIP_2));
        FloatVector u3 = t6.blend(t7, BIT_2).add(t7.blend(t6, BIT_2).rearrange(FLIP_2));
        FloatVector v0 = u0.blend(u1, BIT_3).add(u1.blend(u0, BIT_3).rearrange(FLIP_3));
        FloatVector v1 = u2.blend(u3, BIT_3).add(u3.blend(u2, BIT_3).rearrange(FLIP_3));
        int base = 16 * L;
        v0.rearrange(TO_ROW_MAJOR).add(FloatVector.fromArray(S, spill, base)).intoArray(spill, base);
        v1.rearrange(TO_ROW_MAJOR).add(FloatVector.fromArray(S, spill, base + L)).intoArray(spill, base + L);
    }

    /** reduceTile for 4 lanes (4 × 4 tiles with 32 registers): two levels (h = 2, 1) leave row r in one vector; written back like reduceTile8. */
    private static void reduceTile4(float[] spill) {
        FloatVector s00 = FloatVector.fromArray(S, spill, 0);
        FloatVector s01 = FloatVector.fromArray(S, spill, L);
        FloatVector s02 = FloatVector.fromArray(S, spill, 2 * L);
        FloatVector s03 = FloatVector.fromArray(S, spill, 3 * L);
        FloatVector s10 = FloatVector.fromArray(S, spill, 4 * L);
        FloatVector s11 = FloatVector.fromArray(S, spill, 5 * L);
        FloatVector s12 = FloatVector.fromArray(S, spill, 6 * L);
        FloatVector s13 = FloatVector.fromArray(S, spill, 7 * L);
        FloatVector s20 = FloatVector.fromArray(S, spill, 8 * L);
        FloatVector s21 = FloatVector.fromArray(S, spill, 9 * L);
        FloatVector s22 = FloatVector.fromArray(S, spill, 10 * L);
        FloatVector s23 = FloatVector.fromArray(S, spill, 11 * L);
        FloatVector s30 = FloatVector.fromArray(S, spill, 12 * L);
        FloatVector s31 = FloatVector.fromArray(S, spill, 13 * L);
        FloatVector s32 = FloatVector.fromArray(S, spill, 14 * L);
        FloatVector s33 = FloatVector.fromArray(S, spill, 15 * L);
        FloatVector t0 = s00.blend(s01, BIT_1).add(s01.blend(s00, BIT_1).rearrange(FLIP_1));
        FloatVector t1 = s02.blend(s03, BIT_1).add(s03.blend(s02, BIT_1).rearrange(FLIP_1));
        FloatVector t2 = s10.blend(s11, BIT_1).add(s11.blend(s10, BIT_1).rearrange(FLIP_1));
        FloatVector t3 = s12.blend(s13, BIT_1).add(s13.blend(s12, BIT_1).rearrange(FLIP_1));
        FloatVector t4 = s20.blend(s21, BIT_1).add(s21.blend(s20, BIT_1).rearrange(FLIP_1));
        FloatVector t5 = s22.blend(s23, BIT_1).add(s23.blend(s22, BIT_1).rearrange(FLIP_1));
        FloatVector t6 = s30.blend(s31, BIT_1).add(s31.blend(s30, BIT_1).rearrange(FLIP_1));
        FloatVector t7 = s32.blend(s33, BIT_1).add(s33.blend(s32, BIT_1).rearrange(FLIP_1));
        FloatVector u0 = t0.blend(t1, BIT_2).add(t1.blend(t0, BIT_2).rearrange(FLIP_2));
        FloatVector u1 = t2.blend(t3, BIT_2).add(t3.blend(t2, BIT_2).rearrange(FLIP_2));
        FloatVector u2 = t4.blend(t5, BIT_2).add(t5.blend(t4, BIT_2).rearrange(FLIP_2));
        FloatVector u3 = t6.blend(t7, BIT_2).add(t7.blend(t6, BIT_2).rearrange(FLIP_2));
        int base = 16 * L;
        u0.rearrange(TO_ROW_MAJOR).add(FloatVector.fromArray(S, spill, base)).intoArray(spill, base);
        u1.rearrange(TO_ROW_MAJOR).add(FloatVector.fromArray(S, spill, base + L)).intoArray(spill, base + L);
        u2.rearrange(TO_ROW_MAJOR).add(FloatVector.fromArray(S, spill, base + 2 * L)).intoArray(spill, base + 2 * L);
        u3.rearrange(TO_ROW_MAJOR).add(FloatVector.fromArray(S, spill, base + 3 * L)).intoArray(spill, base + 3 * L);
    }

    /**
     * Transpose-reduces the 8 spilled accumulators of a 4 × 2 dot tile (8 or 4 lanes), row-major at spill[L·(2r + q)],
     * as reduceTile does: log2(L) levels leave the 8 dot products in one vector (8 lanes) or rows 0–1 and 2–3 in
     * two (4 lanes); they are put in row-major lane order, added to the k-tail sums at spill[16L + 2r + q] and
     * written back over them.
     */
    private static void reduceTile42(float[] spill) {
        FloatVector s00 = FloatVector.fromArray(S, spill, 0);
        FloatVector s01 = FloatVector.fromArray(S, spill, L);
        FloatVector s10 = FloatVector.fromArray(S, spill, 2 * L);
        FloatVector s11 = FloatVector.fromArray(S, spill, 3 * L);
        FloatVector s20 = FloatVector.fromArray(S, spill, 4 * L);
        FloatVector s21 = FloatVector.fromArray(S, spill, 5 * L);
        FloatVector s30 = FloatVector.fromArray(S, spill, 6 * L);
        FloatVector s31 = FloatVector.fromArray(S, spill, 7 * L);
        FloatVector t0 = s00.blend(s01, BIT_1).add(s01.blend(s00, BIT_1).rearrange(FLIP_1));
        FloatVector t1 = s10.blend(s11, BIT_1).add(s11.blend(s10, BIT_1).rearrange(FLIP_1));
        FloatVector t2 = s20.blend(s21, BIT_1).add(s21.blend(s20, BIT_1).rearrange(FLIP_1));
        FloatVector t3 = s30.blend(s31, BIT_1).add(s31.blend(s30, BIT_1).rearrange(FLIP_1));
        FloatVector u0 = t0.blend(t1, BIT_2).add(t1.blend(t0, BIT_2).rearrange(FLIP_2));
        FloatVector u1 = t2.blend(t3, BIT_2).add(t3.blend(t2, BIT_2).rearrange(FLIP_2));
        int base = 16 * L;
        // L is a constant: C2 keeps one branch
        if (L == 8) {
            FloatVector v = u0.blend(u1, BIT_3).add(u1.blend(u0, BIT_3).rearrange(FLIP_3));
            v.rearrange(TO_ROW_MAJOR).add(FloatVector.fromArray(S, spill, base)).intoArray(spill, base);
        } else {
            u0.rearrange(TO_ROW_MAJOR).add(FloatVector.fromArray(S, spill, base)).intoArray(spill, base);
            u1.rearrange(TO_ROW_MAJOR).add(FloatVector.fromArray(S, spill, base + L)).intoArray(spill, base + L);
        }
    }

    /**
     * Adds/stores a reduced 4 × {@code cols} dot tile, row-major at spill[16L + cols·r + q], into C[r][q] for the
     * real rows and columns only (with accumulate, a repeated tail row would otherwise be added twice). Scalar:
     * 4·cols values per tile against 4·cols·k/L vector FMAs, and no vector crosses a call.
     */
    private static void storeTile(float[] spill, float[] c, int o, int ldc, int rows, int colsValid,
                                  boolean accumulate, int cols) {
        int base = 16 * L;
        for (int r = 0; r < rows; r++) {
            int cr = o + r * ldc;
            for (int q = 0; q < colsValid; q++) {
                float v = spill[base + cols * r + q];
                c[cr + q] = accumulate ? c[cr + q] + v : v;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // transcendental functions
    // ------------------------------------------------------------------------------------------------------------

    private static final float LOG2E = 1.44269504088896341f;
    // ln 2 split so that n·LN2_HI is exact for |n| < 2^12 (Cody–Waite reduction)
    private static final float LN2_HI = 0.693145751953125f;
    private static final float LN2_LO = 1.428606765330187045e-6f;
    /** 1.5·2^23: adding it rounds a float of magnitude < 2^22 to an integer held in the low mantissa bits. */
    private static final float ROUND_MAGIC = 12582912f;
    private static final int ROUND_MAGIC_BITS = 0x4B400000;
    // exp(r) ≈ 1 + r + r²·(E2 + r·(E3 + r·(E4 + r·(E5 + r·E6)))) on |r| ≤ ln2/2, a minimax fit, rel. error 3.1e-9
    private static final float E2 = 0.4999999341248098f;
    private static final float E3 = 0.16666520107742192f;
    private static final float E4 = 0.04166839421513764f;
    private static final float E5 = 0.00836878041833658f;
    private static final float E6 = 0.0013814466848399397f;
    // tanh(x) ≈ x + x³·(T0 + s·(T1 + s·(T2 + s·(T3 + s·T4)))), s = x², on |x| ≤ 0.625, a minimax fit, rel. error 4.4e-9
    private static final float T0 = -0.3333328194185377f;
    private static final float T1 = 0.13331442194749843f;
    private static final float T2 = -0.05373971484587709f;
    private static final float T3 = 0.020639086568410327f;
    private static final float T4 = -0.0057049863277059175f;
    private static final float TANH_POLY_LIMIT = 0.625f;
    /** tanh(9) rounds to 1 in float; clamping there keeps exp(2|x|) finite. */
    private static final float TANH_CLAMP = 9f;

    // ------------------------------------------------------------------------------------------------------------
    // elementwise
    // ------------------------------------------------------------------------------------------------------------

    // tanh and sigmoid run one masked loop with the function written out in its body: a helper taking and returning
    // vectors is not inlined at a cold call site (the tail), and then every vector crossing it is boxed.

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xOff + i, mask);
            // σ(v) = 1 / (1 + e^{−v}); clamping keeps e^{−v} finite, so large |v| gives 1 or ~6e-39, never NaN
            FloatVector z = v.neg().max(-87f).min(88f);
            // e^z: Cody–Waite reduction z = n·ln2 + r, |r| ≤ ln2/2, polynomial for e^r, scale by 2^n via exponent bits
            FloatVector t = z.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, ROUND_MAGIC));
            FloatVector nf = t.sub(ROUND_MAGIC);
            FloatVector r = nf.fma(FloatVector.broadcast(S, -LN2_HI), z);
            r = nf.fma(FloatVector.broadcast(S, -LN2_LO), r);
            FloatVector q = r.fma(E6, E5).fma(r, FloatVector.broadcast(S, E4))
                    .fma(r, FloatVector.broadcast(S, E3)).fma(r, FloatVector.broadcast(S, E2));
            FloatVector pr = q.mul(r).fma(r, r).add(1f);
            IntVector bits = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS - 127).lanewise(VectorOperators.LSHL, 23);
            FloatVector e = pr.mul(bits.reinterpretAsFloats());
            FloatVector.broadcast(S, 1f).div(e.add(1f)).intoArray(y, yOff + i, mask);
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xOff + i, mask);
            FloatVector ax = v.abs().min(TANH_CLAMP);
            // e^{2|v|} as in sigmoid (argument in [0, 18])
            FloatVector z = ax.add(ax);
            FloatVector t = z.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, ROUND_MAGIC));
            FloatVector nf = t.sub(ROUND_MAGIC);
            FloatVector r = nf.fma(FloatVector.broadcast(S, -LN2_HI), z);
            r = nf.fma(FloatVector.broadcast(S, -LN2_LO), r);
            FloatVector q = r.fma(E6, E5).fma(r, FloatVector.broadcast(S, E4))
                    .fma(r, FloatVector.broadcast(S, E3)).fma(r, FloatVector.broadcast(S, E2));
            FloatVector pr = q.mul(r).fma(r, r).add(1f);
            IntVector bits = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS - 127).lanewise(VectorOperators.LSHL, 23);
            FloatVector e = pr.mul(bits.reinterpretAsFloats());
            // |v| > 0.625: 1 − 2/(e^{2|v|} + 1), well conditioned since the result is above 0.55
            FloatVector big = FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(e.add(1f)));
            // |v| ≤ 0.625: odd polynomial, accurate relative to v down to the subnormals
            FloatVector sq = ax.mul(ax);
            FloatVector poly = sq.fma(T4, T3).fma(sq, FloatVector.broadcast(S, T2)).fma(sq, FloatVector.broadcast(S, T1))
                    .fma(sq, FloatVector.broadcast(S, T0)).mul(sq).fma(ax, ax);
            FloatVector mag = poly.blend(big, ax.compare(VectorOperators.GT, TANH_POLY_LIMIT));
            // copy v's sign bit: −0 stays −0, NaN stays NaN
            IntVector sign = v.reinterpretAsInts().and(0x80000000);
            mag.reinterpretAsInts().or(sign).reinterpretAsFloats().intoArray(y, yOff + i, mask);
        }
    }

    @Override
    public void relu(float[] x, int xOff, float[] y, int yOff, int n) {
        // blend on x > 0 (not max) so that NaN and −0 map to +0 exactly as the scalar definition does
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            FloatVector.zero(S).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> mask = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xOff + i, mask);
            FloatVector.zero(S).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yOff + i, mask);
        }
    }

    @Override
    public void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector s = FloatVector.fromArray(S, y, yOff + i);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i);
            g.mul(s).mul(s.neg().add(1f)).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Float> mask = S.indexInRange(i, n);
            FloatVector s = FloatVector.fromArray(S, y, yOff + i, mask);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i, mask);
            g.mul(s).mul(s.neg().add(1f)).intoArray(dx, dxOff + i, mask);
        }
    }

    @Override
    public void activateBackward(Activation act, float[] y, int yOff, float[] dy, int dyOff,
                                 float[] dx, int dxOff, int n) {
        if (act == Activation.TANH) {
            // dx = dy · (1 − y²)
            for (int i = 0; i < n; i += L) {
                VectorMask<Float> mask = S.indexInRange(i, n);
                FloatVector t = FloatVector.fromArray(S, y, yOff + i, mask);
                FloatVector g = FloatVector.fromArray(S, dy, dyOff + i, mask);
                g.mul(t.neg().fma(t, FloatVector.broadcast(S, 1f))).intoArray(dx, dxOff + i, mask);
            }
        } else {
            // dx = dy where y > 0, else 0 (exactly as the scalar definition)
            for (int i = 0; i < n; i += L) {
                VectorMask<Float> mask = S.indexInRange(i, n);
                FloatVector t = FloatVector.fromArray(S, y, yOff + i, mask);
                FloatVector g = FloatVector.fromArray(S, dy, dyOff + i, mask);
                FloatVector.zero(S).blend(g, t.compare(VectorOperators.GT, 0f)).intoArray(dx, dxOff + i, mask);
            }
        }
    }

    @Override
    public void mul(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector.fromArray(S, a, aOff + i).mul(FloatVector.fromArray(S, b, bOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> mask = S.indexInRange(i, n);
            FloatVector.fromArray(S, a, aOff + i, mask).mul(FloatVector.fromArray(S, b, bOff + i, mask))
                    .intoArray(y, yOff + i, mask);
        }
    }

    @Override
    public void mulAdd(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i),
                    FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> mask = S.indexInRange(i, n);
            FloatVector.fromArray(S, a, aOff + i, mask).fma(FloatVector.fromArray(S, b, bOff + i, mask),
                    FloatVector.fromArray(S, y, yOff + i, mask)).intoArray(y, yOff + i, mask);
        }
    }

    @Override
    public void mix(float[] g, int gOff, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i);
            FloatVector av = FloatVector.fromArray(S, a, aOff + i);
            FloatVector bv = FloatVector.fromArray(S, b, bOff + i);
            gv.fma(av, gv.neg().add(1f).mul(bv)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> mask = S.indexInRange(i, n);
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i, mask);
            FloatVector av = FloatVector.fromArray(S, a, aOff + i, mask);
            FloatVector bv = FloatVector.fromArray(S, b, bOff + i, mask);
            gv.fma(av, gv.neg().add(1f).mul(bv)).intoArray(y, yOff + i, mask);
        }
    }

    @Override
    public void broadcastRows(float[] v, int vOff, float[] c, int cOff, int rows, int n, int ldc,
                              boolean accumulate) {
        int nb = S.loopBound(n);
        VectorMask<Float> tail = S.indexInRange(nb, n);
        for (int r = 0; r < rows; r++) {
            int o = cOff + r * ldc;
            for (int j = 0; j < nb; j += L) {
                FloatVector x = FloatVector.fromArray(S, v, vOff + j);
                if (accumulate) {
                    x = x.add(FloatVector.fromArray(S, c, o + j));
                }
                x.intoArray(c, o + j);
            }
            if (nb < n) {
                FloatVector x = FloatVector.fromArray(S, v, vOff + nb, tail);
                if (accumulate) {
                    x = x.add(FloatVector.fromArray(S, c, o + nb, tail));
                }
                x.intoArray(c, o + nb, tail);
            }
        }
    }

    @Override
    public void sumRows(float[] a, int aOff, int rows, int n, int lda, float[] y, int yOff) {
        // row-major sweep: reads A sequentially; y (one row) stays in L1; each y[j] sums in row order like scalar
        int nb = S.loopBound(n);
        VectorMask<Float> tail = S.indexInRange(nb, n);
        for (int r = 0; r < rows; r++) {
            int o = aOff + r * lda;
            for (int j = 0; j < nb; j += L) {
                FloatVector.fromArray(S, y, yOff + j).add(FloatVector.fromArray(S, a, o + j)).intoArray(y, yOff + j);
            }
            if (nb < n) {
                FloatVector.fromArray(S, y, yOff + nb, tail).add(FloatVector.fromArray(S, a, o + nb, tail))
                        .intoArray(y, yOff + nb, tail);
            }
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector av = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector.fromArray(S, x, xOff + i).fma(av, FloatVector.fromArray(S, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> mask = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xOff + i, mask).fma(av, FloatVector.fromArray(S, y, yOff + i, mask))
                    .intoArray(y, yOff + i, mask);
        }
    }

    @Override
    public double sumSquares(float[] x, int xOff, int n) {
        // squares of floats are exact in double: widen per lane into two double accumulators (same 512-bit shape)
        var ds = jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED;
        var acc0 = jdk.incubator.vector.DoubleVector.zero(ds);
        var acc1 = jdk.incubator.vector.DoubleVector.zero(ds);
        int i = 0;
        boolean twoParts = ds.length() * 2 == L;
        if (twoParts) {
            for (int ub = S.loopBound(n); i < ub; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xOff + i);
                var lo = (jdk.incubator.vector.DoubleVector) v.convertShape(VectorOperators.F2D, ds, 0);
                var hi = (jdk.incubator.vector.DoubleVector) v.convertShape(VectorOperators.F2D, ds, 1);
                acc0 = lo.fma(lo, acc0);
                acc1 = hi.fma(hi, acc1);
            }
        }
        double s = 0;
        // fixed-order horizontal sum (deterministic)
        for (int l = 0; l < ds.length(); l++) {
            s += acc0.lane(l);
        }
        for (int l = 0; l < ds.length(); l++) {
            s += acc1.lane(l);
        }
        for (; i < n; i++) {
            double v = x[xOff + i];
            s += v * v;
        }
        return s;
    }

    // ------------------------------------------------------------------ double precision
    // DoubleVector kernels of the same shape (half the float lanes); see DoubleKernels for design and accuracy.

    /** {@inheritDoc} <p>Broadcast-FMA register tiles on DoubleVector; NT/TT pack op(B) per thread (DoubleKernels). */
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                     double[] c, int cOff, int ldc, boolean accumulate) {
        DoubleKernels.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    @Override
    public double dot(double[] a, int aOff, double[] b, int bOff, int n) {
        return DoubleKernels.dot(a, aOff, b, bOff, n);
    }

    @Override
    public void sigmoid(double[] x, int xOff, double[] y, int yOff, int n) {
        DoubleKernels.sigmoid(x, xOff, y, yOff, n);
    }

    @Override
    public void tanh(double[] x, int xOff, double[] y, int yOff, int n) {
        DoubleKernels.tanh(x, xOff, y, yOff, n);
    }

    @Override
    public void relu(double[] x, int xOff, double[] y, int yOff, int n) {
        DoubleKernels.relu(x, xOff, y, yOff, n);
    }
}
