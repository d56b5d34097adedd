package org.rnnatlas.core.kernel.panama;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The double-precision kernels of {@link PanamaOps} (gemm, dot, tanh, sigmoid, relu on {@code double[]}), on
 * {@link DoubleVector} of the same shape as the float species: 8 lanes on AVX-512, 4 on AVX2, 2 on NEON/SSE.
 *
 * <p>gemm has one register-blocked broadcast-FMA micro-kernel, C(4 rows × 4 vectors) (+)= op(A)·B over k-blocks
 * of {@value #KC} (6 rows × 2 vectors with PanamaOps' 16-register tiles), which reads B along rows. NN and TN feed
 * it directly (op(A) is just a row/column stride); NT and TT first pack a {@value #KC} × {@value #NC} block of
 * op(B) = Bᵀ into a per-thread buffer (O(k·n) moves against O(m·k·n) FMAs, the hot NT shape has m = 256..1024).
 * Columns past the last whole vector (n mod lanes of them) are done by a scalar FMA loop, so no masks appear in
 * gemm at all: no masked partial vectors, hence none of the boxing that masked tails caused in the float kernels.
 * Summation order for C(i, j) is p = 0, 1, …, k−1 (fused multiply-adds, C added first), the same in every path:
 * results are deterministic and differ from the scalar oracle only by FMA-vs-mul+add rounding.
 *
 * <p>tanh and sigmoid do not use {@code lanewise(TANH/EXP)}: measured on JDK 25 / AVX-512, those give different
 * bits before and after C2 compiles the loop (the interpreter calls Math per lane, compiled code a vector math
 * library; 5 366 of 10⁶ tanh and 41 125 of 10⁶ exp results differed), which would make a run depend on JIT timing.
 * Instead both are built from add/mul/fma/div only on an accurate {@code expm1}: Cody–Waite reduction
 * z = n·ln2 + r, |r| ≤ ln2/2, Taylor polynomial of degree 13 for expm1(r) (truncation below 0.1 ulp), then
 * tanh|x| = −e/(2 + e) with e = expm1(−2|x|) = 2ⁿ·expm1(r) + (2ⁿ − 1) (one fma) for |x| ≤ 0.55 and
 * 1 − 2t/(1 + t), t = e^{−2|x|}, above, and
 * σ(x) = 1/(1 + t) for x ≥ 0, t/(1 + t) for x &lt; 0 with t = e^{−|x|} (no overflow, accurate into the
 * subnormals); each quotient is formed once and corrected for its own and its denominator's rounding. Measured
 * against 50-digit references (PanamaOpsDoubleTest): max 1.92 ulp for tanh, 1.32 ulp for sigmoid.
 */
final class DoubleKernels {

    static final VectorSpecies<Double> D = VectorSpecies.of(double.class, PanamaOps.S.vectorShape());
    static final int DL = D.length();

    static {
        if (DL != 2 && DL != 4 && DL != 8) {
            throw new UnsupportedOperationException("PanamaOps' double kernels support 2, 4 or 8 double lanes; the "
                    + PanamaOps.S.vectorShape() + " shape has " + DL);
        }
    }

    /** Whether gemm uses 6 × 2 tiles (16 vector registers) instead of 4 × 4 (32); PanamaOps decides, as for float. */
    private static final boolean TILES_16 = PanamaOps.TILES_16;
    /** k-block: one B panel (KC × 4 vectors = 64 KB at 8 lanes) stays in L2 while all rows of A stream past. */
    static final int KC = 256;
    /** Width of a packed op(B) block for NT/TT (a multiple of every tile width; KC × NC doubles = 256 KB). */
    static final int NC = 128;

    /** Per-thread packing buffer for NT/TT, made on first use (float-only threads never pay for it). */
    private static final ThreadLocal<double[]> PACK = ThreadLocal.withInitial(() -> new double[KC * NC]);

    private DoubleKernels() {
    }

    // ------------------------------------------------------------------------------------------------------------
    // gemm
    // ------------------------------------------------------------------------------------------------------------

    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                     double[] c, int cOff, int ldc, boolean accumulate) {
        checkGemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0.0);
                }
            }
            return;
        }
        int ars = transA ? 1 : lda;
        int acs = transA ? lda : 1;
        double[] pack = transB ? PACK.get() : null;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            boolean load = accumulate || pc > 0;
            int aBase = aOff + pc * acs;
            if (!transB) {
                block(m, n, kc, a, aBase, ars, acs, b, bOff + pc * ldb, ldb, c, cOff, ldc, load);
            } else {
                for (int jc = 0; jc < n; jc += NC) {
                    int nc = Math.min(NC, n - jc);
                    packTransposed(b, bOff + jc * ldb + pc, ldb, kc, nc, pack);
                    block(m, nc, kc, a, aBase, ars, acs, pack, 0, nc, c, cOff + jc, ldc, load);
                }
            }
        }
    }

    /** pack[p·nc + j] = op(B)(p, j) = b[base + j·ldb + p] for p &lt; kc, j &lt; nc: rows of B become columns. */
    private static void packTransposed(double[] b, int base, int ldb, int kc, int nc, double[] pack) {
        // 4 rows of B at a time: 4 sequential read streams, and each written line of pack gets 4 adjacent values
        int j = 0;
        for (; j + 4 <= nc; j += 4) {
            int r0 = base + j * ldb, r1 = r0 + ldb, r2 = r1 + ldb, r3 = r2 + ldb;
            for (int p = 0; p < kc; p++) {
                int o = p * nc + j;
                pack[o] = b[r0 + p];
                pack[o + 1] = b[r1 + p];
                pack[o + 2] = b[r2 + p];
                pack[o + 3] = b[r3 + p];
            }
        }
        for (; j < nc; j++) {
            int r = base + j * ldb;
            for (int p = 0; p < kc; p++) {
                pack[p * nc + j] = b[r + p];
            }
        }
    }

    private static void checkGemm(boolean transA, boolean transB, int m, int n, int k,
                                  double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                  double[] c, int cOff, int ldc) {
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

    private static void checkMatrix(String what, double[] x, int off, int rows, int cols, int ld) {
        long last = (long) off + (long) (rows - 1) * ld + cols - 1;
        if (off < 0 || ld < 0 || last >= x.length || (rows > 1 && ld < cols)) {
            throw new IndexOutOfBoundsException("gemm: " + what + " (" + rows + " x " + cols + ", offset " + off
                    + ", leading dimension " + ld + ") needs ld >= " + cols + " and an array of at least "
                    + (last + 1) + " doubles, got " + x.length);
        }
    }

    /**
     * One k-block: C (+)= op(A)·B with B row-major kc × n (row stride ldb) and op(A)(i, p) at
     * {@code a[aOff + i·ars + p·acs]}; {@code load} adds to C (accumulate, or a later k-block).
     * Whole tiles, then single-vector tiles for the remaining whole vectors, then scalar columns.
     */
    private static void block(int m, int n, int kc, double[] a, int aOff, int ars, int acs,
                              double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, boolean load) {
        int nVec = n - n % DL;
        if (TILES_16) {
            int nBlk = nVec - nVec % (2 * DL);
            for (int j = 0; j < nBlk; j += 2 * DL) {
                for (int i = 0; i < m; i += 6) {
                    tile6x2(kc, a, aOff + i * ars, ars, acs, Math.min(6, m - i), b, bOff + j, ldb,
                            c, cOff + i * ldc + j, ldc, load);
                }
            }
            for (int j = nBlk; j < nVec; j += DL) {
                for (int i = 0; i < m; i += 6) {
                    tile6x1(kc, a, aOff + i * ars, ars, acs, Math.min(6, m - i), b, bOff + j, ldb,
                            c, cOff + i * ldc + j, ldc, load);
                }
            }
        } else {
            int nBlk = nVec - nVec % (4 * DL);
            for (int j = 0; j < nBlk; j += 4 * DL) {
                for (int i = 0; i < m; i += 4) {
                    tile4x4(kc, a, aOff + i * ars, ars, acs, Math.min(4, m - i), b, bOff + j, ldb,
                            c, cOff + i * ldc + j, ldc, load);
                }
            }
            for (int j = nBlk; j < nVec; j += DL) {
                for (int i = 0; i < m; i += 4) {
                    tile4x1(kc, a, aOff + i * ars, ars, acs, Math.min(4, m - i), b, bOff + j, ldb,
                            c, cOff + i * ldc + j, ldc, load);
                }
            }
        }
        if (nVec < n) {
            scalarColumns(m, nVec, n, kc, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, load);
        }
    }

    /** Columns j0..n−1 (fewer than one vector) of a k-block, scalar, same summation order as the tiles. */
    private static void scalarColumns(int m, int j0, int n, int kc, double[] a, int aOff, int ars, int acs,
                                      double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, boolean load) {
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * ars;
            int ci = cOff + i * ldc;
            for (int j = j0; j < n; j++) {
                double s = load ? c[ci + j] : 0.0;
                for (int p = 0; p < kc; p++) {
                    s = Math.fma(a[ai + p * acs], b[bOff + p * ldb + j], s);
                }
                c[ci + j] = s;
            }
        }
    }

    /**
     * Rows 0..3 of a 4-row × 4-vector tile: op(A) row r at a0 + r·ars, C row r at c0 + r·ldc, with r clamped to
     * rows − 1 so a row tail repeats its last row (same inputs, same values, stored twice) instead of branching.
     * 16 accumulators + 4 B vectors + 1 broadcast = 21 registers.
     */
    private static void tile4x4(int kc, double[] a, int a0, int ars, int acs, int rows,
                                double[] b, int b0, int ldb, double[] c, int c0, int ldc, boolean load) {
        int r1 = Math.min(1, rows - 1), r2 = Math.min(2, rows - 1), r3 = Math.min(3, rows - 1);
        int a1 = a0 + r1 * ars, a2 = a0 + r2 * ars, a3 = a0 + r3 * ars;
        int c1 = c0 + r1 * ldc, c2 = c0 + r2 * ldc, c3 = c0 + r3 * ldc;
        DoubleVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;
        if (load) {
            c00 = DoubleVector.fromArray(D, c, c0);
            c01 = DoubleVector.fromArray(D, c, c0 + DL);
            c02 = DoubleVector.fromArray(D, c, c0 + 2 * DL);
            c03 = DoubleVector.fromArray(D, c, c0 + 3 * DL);
            c10 = DoubleVector.fromArray(D, c, c1);
            c11 = DoubleVector.fromArray(D, c, c1 + DL);
            c12 = DoubleVector.fromArray(D, c, c1 + 2 * DL);
            c13 = DoubleVector.fromArray(D, c, c1 + 3 * DL);
            c20 = DoubleVector.fromArray(D, c, c2);
            c21 = DoubleVector.fromArray(D, c, c2 + DL);
            c22 = DoubleVector.fromArray(D, c, c2 + 2 * DL);
            c23 = DoubleVector.fromArray(D, c, c2 + 3 * DL);
            c30 = DoubleVector.fromArray(D, c, c3);
            c31 = DoubleVector.fromArray(D, c, c3 + DL);
            c32 = DoubleVector.fromArray(D, c, c3 + 2 * DL);
            c33 = DoubleVector.fromArray(D, c, c3 + 3 * DL);
        } else {
            c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = DoubleVector.zero(D);
            c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = DoubleVector.zero(D);
        }
        for (int p = 0; p < kc; p++) {
            int bp = b0 + p * ldb;
            int ap = p * acs;
            DoubleVector b0v = DoubleVector.fromArray(D, b, bp);
            DoubleVector b1v = DoubleVector.fromArray(D, b, bp + DL);
            DoubleVector b2v = DoubleVector.fromArray(D, b, bp + 2 * DL);
            DoubleVector b3v = DoubleVector.fromArray(D, b, bp + 3 * DL);
            DoubleVector x = DoubleVector.broadcast(D, a[a0 + ap]);
            c00 = x.fma(b0v, c00);
            c01 = x.fma(b1v, c01);
            c02 = x.fma(b2v, c02);
            c03 = x.fma(b3v, c03);
            x = DoubleVector.broadcast(D, a[a1 + ap]);
            c10 = x.fma(b0v, c10);
            c11 = x.fma(b1v, c11);
            c12 = x.fma(b2v, c12);
            c13 = x.fma(b3v, c13);
            x = DoubleVector.broadcast(D, a[a2 + ap]);
            c20 = x.fma(b0v, c20);
            c21 = x.fma(b1v, c21);
            c22 = x.fma(b2v, c22);
            c23 = x.fma(b3v, c23);
            x = DoubleVector.broadcast(D, a[a3 + ap]);
            c30 = x.fma(b0v, c30);
            c31 = x.fma(b1v, c31);
            c32 = x.fma(b2v, c32);
            c33 = x.fma(b3v, c33);
        }
        // rows 3, 2, 1 first: when they repeat row 0 (row tail) the final store of row 0 wins with the same value
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + DL);
        c32.intoArray(c, c3 + 2 * DL);
        c33.intoArray(c, c3 + 3 * DL);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + DL);
        c22.intoArray(c, c2 + 2 * DL);
        c23.intoArray(c, c2 + 3 * DL);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + DL);
        c12.intoArray(c, c1 + 2 * DL);
        c13.intoArray(c, c1 + 3 * DL);
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + DL);
        c02.intoArray(c, c0 + 2 * DL);
        c03.intoArray(c, c0 + 3 * DL);
    }

    /** One whole vector column of tile4x4 (the column remainder below a 4-vector block); rows as tile4x4. */
    private static void tile4x1(int kc, double[] a, int a0, int ars, int acs, int rows,
                                double[] b, int b0, int ldb, double[] c, int c0, int ldc, boolean load) {
        int r1 = Math.min(1, rows - 1), r2 = Math.min(2, rows - 1), r3 = Math.min(3, rows - 1);
        int a1 = a0 + r1 * ars, a2 = a0 + r2 * ars, a3 = a0 + r3 * ars;
        int c1 = c0 + r1 * ldc, c2 = c0 + r2 * ldc, c3 = c0 + r3 * ldc;
        DoubleVector q0, q1, q2, q3;
        if (load) {
            q0 = DoubleVector.fromArray(D, c, c0);
            q1 = DoubleVector.fromArray(D, c, c1);
            q2 = DoubleVector.fromArray(D, c, c2);
            q3 = DoubleVector.fromArray(D, c, c3);
        } else {
            q0 = q1 = q2 = q3 = DoubleVector.zero(D);
        }
        for (int p = 0; p < kc; p++) {
            DoubleVector bv = DoubleVector.fromArray(D, b, b0 + p * ldb);
            int ap = p * acs;
            q0 = DoubleVector.broadcast(D, a[a0 + ap]).fma(bv, q0);
            q1 = DoubleVector.broadcast(D, a[a1 + ap]).fma(bv, q1);
            q2 = DoubleVector.broadcast(D, a[a2 + ap]).fma(bv, q2);
            q3 = DoubleVector.broadcast(D, a[a3 + ap]).fma(bv, q3);
        }
        q3.intoArray(c, c3);
        q2.intoArray(c, c2);
        q1.intoArray(c, c1);
        q0.intoArray(c, c0);
    }

    /**
     * 16-register tile: 6 rows × 2 vectors (12 accumulators + 2 B vectors + 1 broadcast), rows clamped to
     * rows − 1 as in tile4x4.
     */
    private static void tile6x2(int kc, double[] a, int a0, int ars, int acs, int rows,
                                double[] b, int b0, int ldb, double[] c, int c0, int ldc, boolean load) {
        int r1 = Math.min(1, rows - 1), r2 = Math.min(2, rows - 1), r3 = Math.min(3, rows - 1);
        int r4 = Math.min(4, rows - 1), r5 = Math.min(5, rows - 1);
        int a1 = a0 + r1 * ars, a2 = a0 + r2 * ars, a3 = a0 + r3 * ars, a4 = a0 + r4 * ars, a5 = a0 + r5 * ars;
        int c1 = c0 + r1 * ldc, c2 = c0 + r2 * ldc, c3 = c0 + r3 * ldc, c4 = c0 + r4 * ldc, c5 = c0 + r5 * ldc;
        DoubleVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (load) {
            c00 = DoubleVector.fromArray(D, c, c0);
            c01 = DoubleVector.fromArray(D, c, c0 + DL);
            c10 = DoubleVector.fromArray(D, c, c1);
            c11 = DoubleVector.fromArray(D, c, c1 + DL);
            c20 = DoubleVector.fromArray(D, c, c2);
            c21 = DoubleVector.fromArray(D, c, c2 + DL);
            c30 = DoubleVector.fromArray(D, c, c3);
            c31 = DoubleVector.fromArray(D, c, c3 + DL);
            c40 = DoubleVector.fromArray(D, c, c4);
            c41 = DoubleVector.fromArray(D, c, c4 + DL);
            c50 = DoubleVector.fromArray(D, c, c5);
            c51 = DoubleVector.fromArray(D, c, c5 + DL);
        } else {
            c00 = c01 = c10 = c11 = c20 = c21 = DoubleVector.zero(D);
            c30 = c31 = c40 = c41 = c50 = c51 = DoubleVector.zero(D);
        }
        for (int p = 0; p < kc; p++) {
            int bp = b0 + p * ldb;
            int ap = p * acs;
            DoubleVector b0v = DoubleVector.fromArray(D, b, bp);
            DoubleVector b1v = DoubleVector.fromArray(D, b, bp + DL);
            DoubleVector x = DoubleVector.broadcast(D, a[a0 + ap]);
            c00 = x.fma(b0v, c00);
            c01 = x.fma(b1v, c01);
            x = DoubleVector.broadcast(D, a[a1 + ap]);
            c10 = x.fma(b0v, c10);
            c11 = x.fma(b1v, c11);
            x = DoubleVector.broadcast(D, a[a2 + ap]);
            c20 = x.fma(b0v, c20);
            c21 = x.fma(b1v, c21);
            x = DoubleVector.broadcast(D, a[a3 + ap]);
            c30 = x.fma(b0v, c30);
            c31 = x.fma(b1v, c31);
            x = DoubleVector.broadcast(D, a[a4 + ap]);
            c40 = x.fma(b0v, c40);
            c41 = x.fma(b1v, c41);
            x = DoubleVector.broadcast(D, a[a5 + ap]);
            c50 = x.fma(b0v, c50);
            c51 = x.fma(b1v, c51);
        }
        // rows 5 .. 1 first: when they repeat an earlier row (row tail) its later store wins with the same value
        c50.intoArray(c, c5);
        c51.intoArray(c, c5 + DL);
        c40.intoArray(c, c4);
        c41.intoArray(c, c4 + DL);
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + DL);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + DL);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + DL);
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + DL);
    }

    /** One whole vector column of tile6x2. */
    private static void tile6x1(int kc, double[] a, int a0, int ars, int acs, int rows,
                                double[] b, int b0, int ldb, double[] c, int c0, int ldc, boolean load) {
        int r1 = Math.min(1, rows - 1), r2 = Math.min(2, rows - 1), r3 = Math.min(3, rows - 1);
        int r4 = Math.min(4, rows - 1), r5 = Math.min(5, rows - 1);
        int a1 = a0 + r1 * ars, a2 = a0 + r2 * ars, a3 = a0 + r3 * ars, a4 = a0 + r4 * ars, a5 = a0 + r5 * ars;
        int c1 = c0 + r1 * ldc, c2 = c0 + r2 * ldc, c3 = c0 + r3 * ldc, c4 = c0 + r4 * ldc, c5 = c0 + r5 * ldc;
        DoubleVector q0, q1, q2, q3, q4, q5;
        if (load) {
            q0 = DoubleVector.fromArray(D, c, c0);
            q1 = DoubleVector.fromArray(D, c, c1);
            q2 = DoubleVector.fromArray(D, c, c2);
            q3 = DoubleVector.fromArray(D, c, c3);
            q4 = DoubleVector.fromArray(D, c, c4);
            q5 = DoubleVector.fromArray(D, c, c5);
        } else {
            q0 = q1 = q2 = q3 = q4 = q5 = DoubleVector.zero(D);
        }
        for (int p = 0; p < kc; p++) {
            DoubleVector bv = DoubleVector.fromArray(D, b, b0 + p * ldb);
            int ap = p * acs;
            q0 = DoubleVector.broadcast(D, a[a0 + ap]).fma(bv, q0);
            q1 = DoubleVector.broadcast(D, a[a1 + ap]).fma(bv, q1);
            q2 = DoubleVector.broadcast(D, a[a2 + ap]).fma(bv, q2);
            q3 = DoubleVector.broadcast(D, a[a3 + ap]).fma(bv, q3);
            q4 = DoubleVector.broadcast(D, a[a4 + ap]).fma(bv, q4);
            q5 = DoubleVector.broadcast(D, a[a5 + ap]).fma(bv, q5);
        }
        q5.intoArray(c, c5);
        q4.intoArray(c, c4);
        q3.intoArray(c, c3);
        q2.intoArray(c, c2);
        q1.intoArray(c, c1);
        q0.intoArray(c, c0);
    }

    // ------------------------------------------------------------------------------------------------------------
    // dot
    // ------------------------------------------------------------------------------------------------------------

    static double dot(double[] a, int aOff, double[] b, int bOff, int n) {
        // four accumulators hide the FMA latency; they are combined and their lanes summed in a fixed order
        DoubleVector s0 = DoubleVector.zero(D), s1 = DoubleVector.zero(D);
        DoubleVector s2 = DoubleVector.zero(D), s3 = DoubleVector.zero(D);
        int i = 0;
        for (int ub = n - n % (4 * DL); i < ub; i += 4 * DL) {
            s0 = DoubleVector.fromArray(D, a, aOff + i).fma(DoubleVector.fromArray(D, b, bOff + i), s0);
            s1 = DoubleVector.fromArray(D, a, aOff + i + DL).fma(DoubleVector.fromArray(D, b, bOff + i + DL), s1);
            s2 = DoubleVector.fromArray(D, a, aOff + i + 2 * DL)
                    .fma(DoubleVector.fromArray(D, b, bOff + i + 2 * DL), s2);
            s3 = DoubleVector.fromArray(D, a, aOff + i + 3 * DL)
                    .fma(DoubleVector.fromArray(D, b, bOff + i + 3 * DL), s3);
        }
        for (int ub = D.loopBound(n); i < ub; i += DL) {
            s0 = DoubleVector.fromArray(D, a, aOff + i).fma(DoubleVector.fromArray(D, b, bOff + i), s0);
        }
        DoubleVector s = s0.add(s1).add(s2.add(s3));
        double sum = 0.0;
        for (int l = 0; l < DL; l++) {
            sum += s.lane(l);
        }
        for (; i < n; i++) {
            sum = Math.fma(a[aOff + i], b[bOff + i], sum);
        }
        return sum;
    }

    // ------------------------------------------------------------------------------------------------------------
    // elementwise
    // ------------------------------------------------------------------------------------------------------------

    private static final double LOG2E = 1.4426950408889634;
    // ln 2 split (fdlibm): LN2_HI has 21 trailing zero bits, so n·LN2_HI is exact for the |n| ≤ 1077 used here
    private static final double LN2_HI = 6.93147180369123816490e-01;
    private static final double LN2_LO = 1.90821492927058770002e-10;
    /** 1.5·2^52: adding it rounds a double of magnitude &lt; 2^51 to an integer held in the low mantissa bits. */
    private static final double ROUND_MAGIC = 6755399441055744.0;
    private static final long ROUND_MAGIC_BITS = 0x4338000000000000L;
    // Taylor coefficients 1/k!, k = 2..13, of expm1(r) = r + r²·(1/2! + r/3! + … + r^11/13!)
    private static final double F2 = 1.0 / 2;
    private static final double F3 = 1.0 / 6;
    private static final double F4 = 1.0 / 24;
    private static final double F5 = 1.0 / 120;
    private static final double F6 = 1.0 / 720;
    private static final double F7 = 1.0 / 5040;
    private static final double F8 = 1.0 / 40320;
    private static final double F9 = 1.0 / 362880;
    private static final double F10 = 1.0 / 3628800;
    private static final double F11 = 1.0 / 39916800;
    private static final double F12 = 1.0 / 479001600;
    private static final double F13 = 1.0 / 6227020800.0;
    /** tanh(20) rounds to 1 (1 − 2e^{−40} is within half an ulp of 1); clamping keeps 2ⁿ − 1 exact-or-irrelevant. */
    private static final double TANH_CLAMP = 20.0;
    /** Above ln(3)/2 ≈ 0.549, 2e^{−2|x|}/(1 + e^{−2|x|}) &lt; 1/2: tanh switches to the 1 − w form there. */
    private static final double TANH_SPLIT = 0.55;
    /** e^{−746} rounds to 0, so σ(x) for x &lt; −746 is 0 and for x &gt; 746 is 1 either way. */
    private static final double SIGMOID_CLAMP = 746.0;

    // One masked loop each with the function written out in the body (as in the float kernels): a helper taking and
    // returning vectors is not inlined at a cold call site (a tail), and then every vector crossing it is boxed.

    static void tanh(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i += DL) {
            VectorMask<Double> mask = D.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromArray(D, x, xOff + i, mask);
            // u = −2|v| in [−40, 0]; u = n·ln2 + r with |r| ≤ ln2/2 (n ≤ 0 is an integer held as a double)
            DoubleVector u = v.abs().min(TANH_CLAMP).mul(-2.0);
            DoubleVector t = u.fma(DoubleVector.broadcast(D, LOG2E), DoubleVector.broadcast(D, ROUND_MAGIC));
            DoubleVector nf = t.sub(ROUND_MAGIC);
            DoubleVector r = nf.fma(DoubleVector.broadcast(D, -LN2_HI), u);
            r = nf.fma(DoubleVector.broadcast(D, -LN2_LO), r);
            DoubleVector q = r.fma(F13, F12).fma(r, DoubleVector.broadcast(D, F11))
                    .fma(r, DoubleVector.broadcast(D, F10)).fma(r, DoubleVector.broadcast(D, F9))
                    .fma(r, DoubleVector.broadcast(D, F8)).fma(r, DoubleVector.broadcast(D, F7))
                    .fma(r, DoubleVector.broadcast(D, F6)).fma(r, DoubleVector.broadcast(D, F5))
                    .fma(r, DoubleVector.broadcast(D, F4)).fma(r, DoubleVector.broadcast(D, F3))
                    .fma(r, DoubleVector.broadcast(D, F2));
            DoubleVector pm1 = r.mul(r).fma(q, r);                        // expm1(r), relative error < 1 ulp
            // s = 2ⁿ from the exponent bits; expm1(u) = s·expm1(r) + (s − 1), s − 1 exact, one rounding
            LongVector bits = t.reinterpretAsLongs().sub(ROUND_MAGIC_BITS - 1023).lanewise(VectorOperators.LSHL, 52);
            DoubleVector s = bits.reinterpretAsDoubles();
            DoubleVector em = s.fma(pm1, s.sub(1.0));
            DoubleVector e = s.fma(pm1, s);                               // e^u = 1 + em, without the cancellation
            // |v| ≤ 0.55: tanh|v| = −em/(2 + em), relative-accurate down to the subnormals; above: 1 − 2e/(1 + e),
            // where 2e/(1 + e) < 1/2 so its error shrinks in the subtraction. Both are num/(c + a) with |a| ≤ c:
            // one quotient, its denominator's rounding error kept (Fast2Sum) and corrected for with one step
            VectorMask<Double> big = v.abs().compare(VectorOperators.GT, TANH_SPLIT);
            DoubleVector cst = DoubleVector.broadcast(D, 2.0).blend(1.0, big);
            DoubleVector add = em.blend(e, big);
            DoubleVector num = em.blend(e.add(e), big);
            DoubleVector den = cst.add(add);
            DoubleVector denLo = cst.sub(den).add(add);
            DoubleVector rcp = DoubleVector.broadcast(D, 1.0).div(den);
            DoubleVector q0 = num.mul(rcp);
            DoubleVector quot = q0.neg().fma(den, num).sub(q0.mul(denLo)).fma(rcp, q0);
            // abs drops the sign of −0/2; v's sign bit is copied in below (−0 stays −0, NaN stays NaN)
            DoubleVector mag = quot.abs().blend(DoubleVector.broadcast(D, 1.0).sub(quot), big);
            LongVector sign = v.reinterpretAsLongs().and(Long.MIN_VALUE);
            mag.reinterpretAsLongs().or(sign).reinterpretAsDoubles().intoArray(y, yOff + i, mask);
        }
    }

    static void sigmoid(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i += DL) {
            VectorMask<Double> mask = D.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromArray(D, x, xOff + i, mask);
            // t = e^z, z = −|v| in [−746, 0]: never overflows (the scalar 1/(1 + e^{−v}) overflows below −709)
            DoubleVector z = v.abs().min(SIGMOID_CLAMP).neg();
            DoubleVector t = z.fma(DoubleVector.broadcast(D, LOG2E), DoubleVector.broadcast(D, ROUND_MAGIC));
            DoubleVector nf = t.sub(ROUND_MAGIC);
            DoubleVector r = nf.fma(DoubleVector.broadcast(D, -LN2_HI), z);
            r = nf.fma(DoubleVector.broadcast(D, -LN2_LO), r);
            DoubleVector q = r.fma(F13, F12).fma(r, DoubleVector.broadcast(D, F11))
                    .fma(r, DoubleVector.broadcast(D, F10)).fma(r, DoubleVector.broadcast(D, F9))
                    .fma(r, DoubleVector.broadcast(D, F8)).fma(r, DoubleVector.broadcast(D, F7))
                    .fma(r, DoubleVector.broadcast(D, F6)).fma(r, DoubleVector.broadcast(D, F5))
                    .fma(r, DoubleVector.broadcast(D, F4)).fma(r, DoubleVector.broadcast(D, F3))
                    .fma(r, DoubleVector.broadcast(D, F2));
            DoubleVector pm1 = r.mul(r).fma(q, r);
            // 2ⁿ as 2^{n1}·2^{n2}, n1 = ⌊n/2⌋ (n ≥ −1077 would underflow a single exponent field); s1 + s1·expm1(r)
            // is exact-or-normal, the second factor rounds once into the subnormals where needed
            LongVector nl = t.reinterpretAsLongs().sub(ROUND_MAGIC_BITS);
            LongVector n1 = nl.lanewise(VectorOperators.ASHR, 1);
            LongVector n2 = nl.sub(n1);
            DoubleVector s1 = n1.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            DoubleVector s2 = n2.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            DoubleVector e = s1.fma(pm1, s1).mul(s2);
            // σ(v) = 1/(1 + e) for v ≥ 0, e/(1 + e) for v < 0 (NaN: the compare is false, 1/NaN = NaN); one
            // quotient, corrected for its own rounding and for that of 1 + e (Fast2Sum), as in tanh
            DoubleVector num = DoubleVector.broadcast(D, 1.0).blend(e, v.compare(VectorOperators.LT, 0.0));
            DoubleVector den = e.add(1.0);
            DoubleVector denLo = DoubleVector.broadcast(D, 1.0).sub(den).add(e);
            DoubleVector rcp = DoubleVector.broadcast(D, 1.0).div(den);
            DoubleVector q0 = num.mul(rcp);
            q0.neg().fma(den, num).sub(q0.mul(denLo)).fma(rcp, q0).intoArray(y, yOff + i, mask);
        }
    }

    static void relu(double[] x, int xOff, double[] y, int yOff, int n) {
        // blend on x > 0 (not max) so that NaN and −0 map to +0 exactly as the scalar definition does
        int i = 0;
        for (int ub = D.loopBound(n); i < ub; i += DL) {
            DoubleVector v = DoubleVector.fromArray(D, x, xOff + i);
            DoubleVector.zero(D).blend(v, v.compare(VectorOperators.GT, 0.0)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Double> mask = D.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromArray(D, x, xOff + i, mask);
            DoubleVector.zero(D).blend(v, v.compare(VectorOperators.GT, 0.0)).intoArray(y, yOff + i, mask);
        }
    }
}
