package org.rnnatlas.cells.gru;

import java.util.random.RandomGenerator;

import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellKernel;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.support.CellArgs;
import org.rnnatlas.spi.support.FusedCell;
import org.rnnatlas.spi.support.FusedLayout;

/**
 * The gated recurrent unit of SPEC §1, with the reset gate applied before the recurrent matrix:
 *
 * <pre>
 *   u  = σ(h·W_u + x·U_u + b_u)            update gate
 *   r  = σ(h·W_r + x·U_r + b_r)            reset gate
 *   c  = φ((r ⊙ h)·W_c + x·U_c + b_c)      candidate
 *   h' = u ⊙ h + (1 − u) ⊙ c
 * </pre>
 *
 * in the row-vector convention (SPEC's {@code W_g} is the transpose of the column block {@code W[:, gN:(g+1)N]}).
 *
 * <p><b>Parameters</b>, in storage order: {@code W} (N×3N, fan-in N), {@code U} (M×3N, fan-in M), {@code b} (3N); the
 * column blocks are {@code [u, r, c]}, each N wide. Initialisation is SPEC §1's with the gate biases b_u and b_r at
 * +1 and b_c at 0. {@code [W; U]} is one (N+M)×3N matrix: the gates are {@code [h, x]·[W; U][:, 0:2N]} and the
 * candidate is {@code [r⊙h, x]·[W; U][:, 2N:3N]}.
 *
 * <p><b>Derivatives</b> (upstream gradient g, {@code φ'} written through c): {@code ∂z_u = g(h − c)u(1 − u)},
 * {@code ∂z_c = g(1 − u)φ'}, {@code ∂q = ∂z_c·W_cᵀ} for {@code q = r⊙h}, {@code ∂z_r = ∂q ⊙ h ⊙ r(1 − r)} and
 * {@code gS = g⊙u + ∂q⊙r + [∂z_u, ∂z_r]·[W_u, W_r]ᵀ}. The state Jacobian is
 * {@code J[i][k] = δ_ik u_i + a_i W_u[k][i] + e_i (r_k W_c[k][i] + Σ_l W_r[k][l] β_l W_c[l][i])} with
 * {@code a = (h − c)u(1 − u)}, {@code e = (1 − u)φ'}, {@code β = h r(1 − r)}.
 *
 * <p><b>Batches</b> (double precision, B rows of states S and inputs X), with {@link Ops#gemm} products:
 * {@link #stepBatch} forms {@code Z = 1·b + [S·W_u, S·W_r, 0] + X·U} (B×3N; two products), σ on the gate blocks,
 * {@code Q = R ⊙ S}, then {@code Z_c += Q·W_c} (a third product) and φ. {@link #stepBackwardBatch} recomputes those,
 * overwrites Z row by row with {@code [∂z_u, r, ∂z_c]}, forms {@code ∂Q = ∂Z_c·W_cᵀ} (an NT product, into the Q
 * area), then {@code ∂z_r} in place of r and returns {@code G_S = G⊙u + ∂Q⊙r + [∂Z_u, ∂Z_r]·[W_u, W_r]ᵀ}, one
 * accumulating NT product. The scratch holds Z (B×3N) and Q (B×N); nothing is allocated.
 */
public final class GruCell extends FusedCell {

    /** The registered name. */
    public static final String NAME = "gru";

    /** Service-loader constructor; does no work beyond naming the cell. */
    public GruCell() {
        super(NAME, "Gated recurrent unit (update/reset gates, reset before the recurrent matrix)", 3);
    }

    /**
     * Gate values u, r, c (3N), q = r⊙h (N), ∂z (3N), ∂q (N); then, for {@link #stateJacobian}, the N×N factor
     * {@code W_r·diag(β)} of the reset-gate path, packed row by row.
     */
    @Override
    public int scratchSize(CellSpec spec) {
        int n = spec.hidden();
        return Math.addExact(8 * n, Math.multiplyExact(n, n));
    }

    @Override
    public void initialize(CellSpec spec, RandomGenerator rng, double[] params) {
        Cell.initializeDefault(parameters(spec), rng, params);
        int bias = FusedLayout.biasOffset(spec, 3);
        // gate biases b_u and b_r start at +1 (SPEC §1): the first 2N bias entries
        java.util.Arrays.fill(params, bias, bias + 2 * spec.hidden(), 1.0);
    }

    @Override
    public void step(CellSpec spec, double[] p, double[] s, double[] x, double[] sNext, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        CellArgs.requireLength(this, spec, sNext, n, "sNext");
        forward(spec, p, s, x, scratch);
        for (int i = 0; i < n; i++) {
            double u = scratch[i];
            sNext[i] = u * s[i] + (1.0 - u) * scratch[2 * n + i];
        }
    }

    @Override
    public void stepBackward(CellSpec spec, double[] p, double[] s, double[] x, double[] g,
                             double[] gS, double[] gX, double[] gP, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        int m = spec.inputs();
        int gn = 3 * n;
        CellArgs.requireLength(this, spec, g, n, "g");
        CellArgs.requireBackwardOutputs(this, spec, gS, gX, gP);
        forward(spec, p, s, x, scratch);
        Activation act = spec.activation();
        int q = 3 * n;
        int dz = 4 * n;
        int dq = 7 * n;
        for (int i = 0; i < n; i++) {
            double u = scratch[i];
            double c = scratch[2 * n + i];
            scratch[dz + i] = g[i] * (s[i] - c) * u * (1.0 - u);
            scratch[dz + 2 * n + i] = g[i] * (1.0 - u) * act.derivativeFromOutput(c);
        }
        for (int k = 0; k < n; k++) {
            scratch[dq + k] = FusedLayout.dot(p, k * gn + 2 * n, scratch, dz + 2 * n, n);
        }
        for (int k = 0; k < n; k++) {
            double r = scratch[n + k];
            scratch[dz + n + k] = scratch[dq + k] * s[k] * r * (1.0 - r);
        }
        // every ∂z is in scratch now: g is not read after this point, so it may alias gS
        if (gS != null) {
            for (int k = 0; k < n; k++) {
                gS[k] = g[k] * scratch[k] + scratch[dq + k] * scratch[n + k]
                        + FusedLayout.dot(p, k * gn, scratch, dz, 2 * n);
            }
        }
        if (gX != null) {
            FusedLayout.inputGradient(spec, 3, p, scratch, dz, gX);
        }
        if (gP != null) {
            // W's gate columns see h, its candidate columns see q = r⊙h
            for (int k = 0; k < n; k++) {
                FusedLayout.addRow(s[k], scratch, dz, gP, k * gn, 2 * n);
                FusedLayout.addRow(scratch[q + k], scratch, dz + 2 * n, gP, k * gn + 2 * n, n);
            }
            for (int j = 0; j < m; j++) {
                FusedLayout.addRow(x[j], scratch, dz, gP, (n + j) * gn, gn);
            }
            FusedLayout.addRow(1.0, scratch, dz, gP, (n + m) * gn, gn);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Jᵀ has rows that run along memory: row k of {@code Jᵀ − diag(u)} is
     * {@code a ⊙ W_u[k] + e ⊙ (r_k W_c[k] + Σ_l (W_r[k][l] β_l) W_c[l])}, so the one O(N³) part is the product
     * {@code P = diag(r)·W_c + (W_r·diag(β))·W_c}. It is computed in 4×4 register tiles of P (rows k, columns i), each
     * summing over l in order from {@code r_k W_c[k][i]}; the tile's 16 sums stay in registers, so the l loop only
     * loads (4 values of the packed {@code W_r·diag(β)} and 4 of {@code W_c[l]}) and multiply-adds. The tile is then
     * finished with the O(N²) terms and stored transposed straight into J: no second pass, no N×N intermediate.
     *
     * <p>Why tiles of scalars and not a vectorised axpy over rows: HotSpot C2 (JDK 25) only vectorises a loop whose
     * loads and stores have the same index expression up to constants; a row update {@code P[k][·] += α·W_c[l][·]}
     * has two different row offsets, is not provably alias-free, and runs scalar with a load and a store per
     * multiply-add. The tile runs at the scalar multiply-add rate instead (2.1–2.4× the row updates at N = 64 and
     * 128). The sums use {@link Math#fma} (one rounding per term; a hardware instruction on x86-64 with FMA3 and on
     * AArch64), so the entries agree with a multiply-then-add sum to about 1e-16 of the largest entry.
     */
    @Override
    public void stateJacobian(CellSpec spec, double[] p, double[] s, double[] x, double[] jac, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        CellArgs.requireLength(this, spec, jac, n * n, "jac");
        coefficients(spec, p, s, x, scratch);
        int gn = 3 * n;
        int beta = 6 * n;
        int packed = 8 * n;
        // W_r·diag(β), row k at packed + kN: the left factor of the reset-gate path, contiguous along l
        for (int k = 0; k < n; k++) {
            int w = k * gn + n;
            int row = packed + k * n;
            for (int l = 0; l < n; l++) {
                scratch[row + l] = p[w + l] * scratch[beta + l];
            }
        }
        int n4 = n - n % 4;
        for (int k = 0; k < n4; k += 4) {
            for (int i = 0; i < n4; i += 4) {
                jacobianTile(n, p, k, i, jac, scratch);
            }
            for (int i = n4; i < n; i++) {
                for (int kk = k; kk < k + 4; kk++) {
                    jacobianEntry(n, p, kk, i, jac, scratch);
                }
            }
        }
        for (int k = n4; k < n; k++) {
            for (int i = 0; i < n; i++) {
                jacobianEntry(n, p, k, i, jac, scratch);
            }
        }
        for (int i = 0; i < n; i++) {
            jac[i * n + i] += scratch[i];
        }
    }

    @Override
    public void inputJacobian(CellSpec spec, double[] p, double[] s, double[] x, double[] jac, double[] scratch) {
        CellArgs.requireStep(this, spec, p, s, x, scratch);
        int n = spec.hidden();
        int m = spec.inputs();
        CellArgs.requireLength(this, spec, jac, n * m, "jac");
        coefficients(spec, p, s, x, scratch);
        int gn = 3 * n;
        int a = 4 * n;
        int e = 5 * n;
        int row = 7 * n;
        for (int j = 0; j < m; j++) {
            int uj = (n + j) * gn;
            // x_j reaches z_c directly through U_c (scale 1: exact, the same bits as a copy)
            candidateRow(n, p, uj, 1.0, scratch);
            for (int i = 0; i < n; i++) {
                jac[i * m + j] = scratch[a + i] * p[uj + i] + scratch[e + i] * scratch[row + i];
            }
        }
    }

    /** Z = [u, r, c] (B×3N), which the batched state VJP overwrites with ∂Z, then Q = R⊙S, later ∂Q (B×N). */
    @Override
    public int batchScratchSize(CellSpec spec, int batch) {
        requireBatchSize(spec, batch);
        return Math.multiplyExact(batch, 4 * spec.hidden());
    }

    /** {@inheritDoc} sNext must alias neither s nor x. */
    @Override
    public void stepBatch(CellSpec spec, Ops ops, double[] p, int batch, double[] s, double[] x, double[] sNext,
                          double[] scratch) {
        requireBatch(spec, ops, p, batch, s, x, scratch);
        int n = spec.hidden();
        int gn = 3 * n;
        CellArgs.requireLength(this, spec, sNext, batch * n, "sNext (batch × S)");
        if (batch == 0) {
            return; // an empty batch: no product to run
        }
        gatesBatch(spec, ops, p, batch, s, x, scratch);
        for (int b = 0; b < batch; b++) {
            int z = b * gn;
            int h = b * n;
            for (int i = 0; i < n; i++) {
                double u = scratch[z + i];
                sNext[h + i] = u * s[h + i] + (1.0 - u) * scratch[z + 2 * n + i];
            }
        }
    }

    /**
     * {@inheritDoc} Each row of g is read before the same row of gS is written, so the two may be the same array.
     */
    @Override
    public void stepBackwardBatch(CellSpec spec, Ops ops, double[] p, int batch, double[] s, double[] x,
                                  double[] g, double[] gS, double[] scratch) {
        requireBatch(spec, ops, p, batch, s, x, scratch);
        int n = spec.hidden();
        int gn = 3 * n;
        CellArgs.requireLength(this, spec, g, batch * n, "g (batch × S)");
        CellArgs.requireLength(this, spec, gS, batch * n, "gS (batch × S)");
        if (batch == 0) {
            return; // an empty batch: no product to run
        }
        gatesBatch(spec, ops, p, batch, s, x, scratch);
        Activation act = spec.activation();
        int dq = batch * gn;
        for (int b = 0; b < batch; b++) {
            int z = b * gn;
            int h = b * n;
            for (int i = 0; i < n; i++) {
                double u = scratch[z + i];
                double c = scratch[z + 2 * n + i];
                double up = g[h + i];
                // ∂z_u and ∂z_c overwrite u and c; r stays for ∂z_r; the direct path g⊙u starts gS
                scratch[z + i] = up * (s[h + i] - c) * u * (1.0 - u);
                scratch[z + 2 * n + i] = up * (1.0 - u) * act.derivativeFromOutput(c);
                gS[h + i] = up * u;
            }
        }
        // ∂Q[b][k] = Σ_i ∂Z_c[b][i]·W_c[k][i], into the Q area (q is not needed by the state VJP)
        ops.gemm(false, true, batch, n, n, scratch, 2 * n, gn, p, 2 * n, gn, scratch, dq, n, false);
        for (int b = 0; b < batch; b++) {
            int z = b * gn + n;
            int h = b * n;
            for (int k = 0; k < n; k++) {
                double r = scratch[z + k];
                double dqk = scratch[dq + h + k];
                scratch[z + k] = dqk * s[h + k] * r * (1.0 - r);
                gS[h + k] += dqk * r;
            }
        }
        // gS += [∂Z_u, ∂Z_r]·[W_u, W_r]ᵀ
        ops.gemm(false, true, batch, n, 2 * n, scratch, 0, gn, p, 0, gn, gS, 0, n, true);
    }

    @Override
    public CellKernel kernel(Ops ops, CellSpec spec, int batch, int maxSteps) {
        return new GruKernel(ops, spec, batch, maxSteps);
    }

    /**
     * {@code J[i..i+4)[k..k+4)} without the diagonal u, from a 4×4 tile of {@code P = diag(r)·W_c + (W_r·diag(β))·W_c}
     * (see {@link #stateJacobian}); needs {@link #coefficients} and the packed {@code W_r·diag(β)} at 8N.
     */
    private static void jacobianTile(int n, double[] p, int k, int i, double[] jac, double[] scratch) {
        int gn = 3 * n;
        int a = 4 * n;
        int e = 5 * n;
        int a0 = 8 * n + k * n;
        int a1 = a0 + n;
        int a2 = a1 + n;
        int a3 = a2 + n;
        // the direct path: h_k reaches z_c through q_k = r_k h_k, so W_c[k] is scaled by r_k
        int c = k * gn + 2 * n + i;
        double r0 = scratch[n + k];
        double r1 = scratch[n + k + 1];
        double r2 = scratch[n + k + 2];
        double r3 = scratch[n + k + 3];
        double x00 = r0 * p[c];
        double x01 = r0 * p[c + 1];
        double x02 = r0 * p[c + 2];
        double x03 = r0 * p[c + 3];
        c += gn;
        double x10 = r1 * p[c];
        double x11 = r1 * p[c + 1];
        double x12 = r1 * p[c + 2];
        double x13 = r1 * p[c + 3];
        c += gn;
        double x20 = r2 * p[c];
        double x21 = r2 * p[c + 1];
        double x22 = r2 * p[c + 2];
        double x23 = r2 * p[c + 3];
        c += gn;
        double x30 = r3 * p[c];
        double x31 = r3 * p[c + 1];
        double x32 = r3 * p[c + 2];
        double x33 = r3 * p[c + 3];
        int b = 2 * n + i;
        for (int l = 0; l < n; l++, b += gn) {
            double b0 = p[b];
            double b1 = p[b + 1];
            double b2 = p[b + 2];
            double b3 = p[b + 3];
            double q0 = scratch[a0 + l];
            double q1 = scratch[a1 + l];
            double q2 = scratch[a2 + l];
            double q3 = scratch[a3 + l];
            x00 = Math.fma(q0, b0, x00);
            x01 = Math.fma(q0, b1, x01);
            x02 = Math.fma(q0, b2, x02);
            x03 = Math.fma(q0, b3, x03);
            x10 = Math.fma(q1, b0, x10);
            x11 = Math.fma(q1, b1, x11);
            x12 = Math.fma(q1, b2, x12);
            x13 = Math.fma(q1, b3, x13);
            x20 = Math.fma(q2, b0, x20);
            x21 = Math.fma(q2, b1, x21);
            x22 = Math.fma(q2, b2, x22);
            x23 = Math.fma(q2, b3, x23);
            x30 = Math.fma(q3, b0, x30);
            x31 = Math.fma(q3, b1, x31);
            x32 = Math.fma(q3, b2, x32);
            x33 = Math.fma(q3, b3, x33);
        }
        // J[i'][k'] = a_i' W_u[k'][i'] + e_i' P[k'][i']: row i' of J takes column i' of the tile
        int u = k * gn + i;
        int o = i * n + k;
        finishRow(jac, o, scratch[a + i], scratch[e + i], p, u, gn, x00, x10, x20, x30);
        finishRow(jac, o + n, scratch[a + i + 1], scratch[e + i + 1], p, u + 1, gn, x01, x11, x21, x31);
        finishRow(jac, o + 2 * n, scratch[a + i + 2], scratch[e + i + 2], p, u + 2, gn, x02, x12, x22, x32);
        finishRow(jac, o + 3 * n, scratch[a + i + 3], scratch[e + i + 3], p, u + 3, gn, x03, x13, x23, x33);
    }

    /** jac[o + j] = ai·p[u + j·gn] + ei·P_j for j = 0..3: four entries of one row of J from one column of a tile. */
    private static void finishRow(double[] jac, int o, double ai, double ei, double[] p, int u, int gn,
                                  double p0, double p1, double p2, double p3) {
        jac[o] = ai * p[u] + ei * p0;
        jac[o + 1] = ai * p[u + gn] + ei * p1;
        jac[o + 2] = ai * p[u + 2 * gn] + ei * p2;
        jac[o + 3] = ai * p[u + 3 * gn] + ei * p3;
    }

    /** One entry J[i][k] without the diagonal u, summed as in {@link #jacobianTile}: the tiles' ragged edges. */
    private static void jacobianEntry(int n, double[] p, int k, int i, double[] jac, double[] scratch) {
        int gn = 3 * n;
        int row = 8 * n + k * n;
        double acc = scratch[n + k] * p[k * gn + 2 * n + i];
        int b = 2 * n + i;
        for (int l = 0; l < n; l++, b += gn) {
            acc = Math.fma(scratch[row + l], p[b], acc);
        }
        jac[i * n + k] = scratch[4 * n + i] * p[k * gn + i] + scratch[5 * n + i] * acc;
    }

    /**
     * scratch[7N..8N) = ∂z_c/∂v for the variable v (h_k or x_j) whose row of [W; U] starts at {@code w}:
     * {@code row[i] = scale·[W; U][v][2N + i] + Σ_l [W; U][v][N + l] β_l W_c[l][i]}, the direct path plus the path
     * through the reset gate; needs {@link #coefficients} (β at 6N).
     */
    private static void candidateRow(int n, double[] p, int w, double scale, double[] scratch) {
        int gn = 3 * n;
        int beta = 6 * n;
        int row = 7 * n;
        for (int i = 0; i < n; i++) {
            scratch[row + i] = scale * p[w + 2 * n + i];
        }
        for (int l = 0; l < n; l++) {
            FusedLayout.addRow(p[w + n + l] * scratch[beta + l], p, l * gn + 2 * n, scratch, row, n);
        }
    }

    /** scratch[0..3N) = u, r, c and scratch[3N..4N) = r⊙h at (s, x). */
    private static void forward(CellSpec spec, double[] p, double[] h, double[] x, double[] scratch) {
        int n = spec.hidden();
        int m = spec.inputs();
        int gn = 3 * n;
        int bias = (n + m) * gn;
        System.arraycopy(p, bias, scratch, 0, gn);
        // row-major [W; U]: accumulate whole rows so the inner loop runs along memory
        for (int k = 0; k < n; k++) {
            FusedLayout.addRow(h[k], p, k * gn, scratch, 0, 2 * n);
        }
        for (int j = 0; j < m; j++) {
            FusedLayout.addRow(x[j], p, (n + j) * gn, scratch, 0, gn);
        }
        for (int i = 0; i < 2 * n; i++) {
            scratch[i] = Activation.sigmoid(scratch[i]);
        }
        for (int k = 0; k < n; k++) {
            double qk = scratch[n + k] * h[k];
            scratch[3 * n + k] = qk;
            FusedLayout.addRow(qk, p, k * gn + 2 * n, scratch, 2 * n, n);
        }
        Activation act = spec.activation();
        for (int i = 2 * n; i < gn; i++) {
            scratch[i] = act.apply(scratch[i]);
        }
    }

    /**
     * For a batch: scratch[0, 3BN) = Z = [u, r, c] row by row (B×3N) and scratch[3BN, 4BN) = Q = R⊙S (B×N). Sums in
     * the order of {@link #forward} (gates: bias, rows of W, rows of U; candidate: bias, rows of U, rows of W_c
     * against q), so that the two agree to rounding.
     */
    private static void gatesBatch(CellSpec spec, Ops ops, double[] p, int batch, double[] s, double[] x,
                                   double[] scratch) {
        int n = spec.hidden();
        int m = spec.inputs();
        int gn = 3 * n;
        int q = batch * gn;
        int bias = FusedLayout.biasOffset(spec, 3);
        for (int b = 0; b < batch; b++) {
            System.arraycopy(p, bias, scratch, b * gn, gn);
        }
        ops.gemm(false, false, batch, 2 * n, n, s, 0, n, p, 0, gn, scratch, 0, gn, true);
        ops.gemm(false, false, batch, gn, m, x, 0, m, p, n * gn, gn, scratch, 0, gn, true);
        for (int b = 0; b < batch; b++) {
            ops.sigmoid(scratch, b * gn, scratch, b * gn, 2 * n);
            int r = b * gn + n;
            int h = b * n;
            for (int k = 0; k < n; k++) {
                scratch[q + h + k] = scratch[r + k] * s[h + k];
            }
        }
        // the reset gate acts before the recurrent matrix: the candidate needs its own product with Q
        ops.gemm(false, false, batch, n, n, scratch, q, n, p, 2 * n, gn, scratch, 2 * n, gn, true);
        Activation act = spec.activation();
        for (int b = 0; b < batch; b++) {
            ops.activate(act, scratch, b * gn + 2 * n, scratch, b * gn + 2 * n, n);
        }
    }

    /** The boundary checks shared by the two batched methods; the outputs are checked by each. */
    private void requireBatch(CellSpec spec, Ops ops, double[] p, int batch, double[] s, double[] x,
                              double[] scratch) {
        java.util.Objects.requireNonNull(ops, "ops");
        requireBatchSize(spec, batch);
        CellArgs.requireLength(this, spec, p, parameterCount(spec), "p (parameters)");
        CellArgs.requireLength(this, spec, s, Math.multiplyExact(batch, spec.hidden()), "s (batch × S)");
        CellArgs.requireLength(this, spec, x, Math.multiplyExact(batch, spec.inputs()), "x (batch × M)");
        CellArgs.requireLength(this, spec, scratch, batchScratchSize(spec, batch), "scratch");
    }

    private static void requireBatchSize(CellSpec spec, int batch) {
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be >= 0, got " + batch + " (gru cell with M="
                    + spec.inputs() + ", N=" + spec.hidden() + ")");
        }
    }

    /** The forward values plus the Jacobian coefficients a (at 4N), e (at 5N) and β (at 6N). */
    private static void coefficients(CellSpec spec, double[] p, double[] h, double[] x, double[] scratch) {
        forward(spec, p, h, x, scratch);
        int n = spec.hidden();
        Activation act = spec.activation();
        for (int i = 0; i < n; i++) {
            double u = scratch[i];
            double r = scratch[n + i];
            double c = scratch[2 * n + i];
            scratch[4 * n + i] = (h[i] - c) * u * (1.0 - u);
            scratch[5 * n + i] = (1.0 - u) * act.derivativeFromOutput(c);
            scratch[6 * n + i] = h[i] * r * (1.0 - r);
        }
    }
}
