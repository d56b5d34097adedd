package org.rnnatlas.cells.gru;

import java.util.Arrays;
import java.util.Objects;

import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.CellKernel;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Ops;

/**
 * The fused single-precision kernel of {@link GruCell}. Per step: {@code HX_t = [h_t, x_t]}; the gates
 * {@code [u, r] = σ(b + HX_t·[W; U][:, 0:2N])} in one product; {@code HXr_t = [r⊙h_t, x_t]}; the candidate
 * {@code c = φ(b_c + HXr_t·[W; U][:, 2N:3N])} in a second product; {@code h_{t+1} = u⊙h + (1 − u)⊙c}.
 *
 * <p>Backward through time, per step: {@code ∂z_u}, {@code ∂z_c} elementwise from the incoming {@code ∂h};
 * {@code ∂q = ∂z_c·W_cᵀ}; {@code ∂z_r = ∂q⊙h⊙r(1 − r)}; carried {@code ∂h_t = ∂h⊙u + ∂q⊙r + [∂z_u, ∂z_r]·[W_u, W_r]ᵀ}.
 * After the loop the weight gradient is two products over all steps at once,
 * {@code ∂[W;U][:, 0:2N] += HX_allᵀ·∂Z_all[:, 0:2N]} and {@code ∂[W;U][:, 2N:3N] += HXr_allᵀ·∂Z_all[:, 2N:3N]},
 * and the bias gradient is the column sums of ∂Z_all. Buffers are allocated here; forward and backward allocate
 * nothing.
 */
final class GruKernel implements CellKernel {
    private final Ops ops;
    private final CellSpec spec;
    private final Activation act;
    private final boolean tanh;
    private final int batch;
    private final int maxSteps;
    private final int n;
    private final int m;
    /** K = N + M. */
    private final int k;
    /** 3N, the width of the fused pre-activation. */
    private final int gn;
    private final int paramCount;
    /** [h_t, x_t] per step: maxSteps × B × K. */
    private final float[] hx;
    /** [r⊙h_t, x_t] per step: maxSteps × B × K. */
    private final float[] hxr;
    /** u, r, c per step: maxSteps × B × 3N. */
    private final float[] gates;
    /** Pre-activations of the current step: B × 3N. */
    private final float[] z;
    /** ∂z_u, ∂z_r, ∂z_c per step: maxSteps × B × 3N. */
    private final float[] dz;
    /** Wᵀ (3N × N), refreshed at each backward call. */
    private final float[] wt;
    /** ∂L/∂h carried backwards: B × N. */
    private final float[] carry;
    /** ∂q = ∂z_c·W_cᵀ: B × N. */
    private final float[] dq;

    GruKernel(Ops ops, CellSpec spec, int paramCount, int batch, int maxSteps) {
        this.ops = Objects.requireNonNull(ops, "ops");
        this.spec = Objects.requireNonNull(spec, "spec");
        if (batch < 1 || maxSteps < 1) {
            throw new IllegalArgumentException("kernel needs batch >= 1 and maxSteps >= 1, got batch " + batch
                    + ", maxSteps " + maxSteps);
        }
        this.act = spec.activation();
        this.tanh = act == Activation.TANH;
        this.batch = batch;
        this.maxSteps = maxSteps;
        this.n = spec.hidden();
        this.m = spec.inputs();
        this.k = n + m;
        this.gn = 3 * n;
        this.paramCount = paramCount;
        int rows = Math.multiplyExact(maxSteps, batch);
        this.hx = new float[Math.multiplyExact(rows, k)];
        this.hxr = new float[Math.multiplyExact(rows, k)];
        this.gates = new float[Math.multiplyExact(rows, gn)];
        this.z = new float[batch * gn];
        this.dz = new float[Math.multiplyExact(rows, gn)];
        this.wt = new float[gn * n];
        this.carry = new float[batch * n];
        this.dq = new float[batch * n];
    }

    @Override
    public CellSpec spec() {
        return spec;
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public int maxSteps() {
        return maxSteps;
    }

    @Override
    public void forward(float[] params, float[] xs, int steps, float[] states) {
        checkForward(params, xs, steps, states);
        int bias = k * gn;
        for (int t = 0; t < steps; t++) {
            int hxOff = t * batch * k;
            int gOff = t * batch * gn;
            for (int b = 0; b < batch; b++) {
                int row = hxOff + b * k;
                System.arraycopy(states, (t * batch + b) * n, hx, row, n);
                System.arraycopy(xs, (t * batch + b) * m, hx, row + n, m);
                System.arraycopy(xs, (t * batch + b) * m, hxr, row + n, m);
            }
            // gates u, r: one product over the first 2N columns of [W; U]
            ops.broadcastRows(params, bias, z, 0, batch, 2 * n, gn, false);
            ops.gemm(false, false, batch, 2 * n, k, hx, hxOff, k, params, 0, gn, z, 0, gn, true);
            for (int b = 0; b < batch; b++) {
                int g = gOff + b * gn;
                ops.sigmoid(z, b * gn, gates, g, 2 * n);
                ops.mul(gates, g + n, hx, hxOff + b * k, hxr, hxOff + b * k, n);
            }
            // candidate: reset applied before the recurrent matrix, so a second product with [r⊙h, x]
            ops.broadcastRows(params, bias + 2 * n, z, 2 * n, batch, n, gn, false);
            ops.gemm(false, false, batch, n, k, hxr, hxOff, k, params, 2 * n, gn, z, 2 * n, gn, true);
            int next = (t + 1) * batch * n;
            for (int b = 0; b < batch; b++) {
                int g = gOff + b * gn;
                ops.activate(act, z, b * gn + 2 * n, gates, g + 2 * n, n);
                ops.mix(gates, g, hx, hxOff + b * k, gates, g + 2 * n, states, next + b * n, n);
            }
        }
    }

    @Override
    public void backward(float[] params, float[] xs, int steps, float[] states, float[] dH, float[] grad) {
        checkForward(params, xs, steps, states);
        requireLength(dH, (long) steps * batch * n, "dH", "steps·B·N");
        requireLength(grad, paramCount, "grad", "the parameter count");
        if (steps == 0) {
            return;
        }
        ops.transpose(params, 0, n, gn, gn, wt, 0, n);
        Arrays.fill(carry, 0f);
        for (int t = steps - 1; t >= 0; t--) {
            int hxOff = t * batch * k;
            int gOff = t * batch * gn;
            int hOff = t * batch * n;
            for (int b = 0; b < batch; b++) {
                int g = gOff + b * gn;
                int h = hxOff + b * k;
                int c = b * n;
                for (int i = 0; i < n; i++) {
                    float d = dH[hOff + c + i] + carry[c + i];
                    float u = gates[g + i];
                    float cand = gates[g + 2 * n + i];
                    float dphi = tanh ? 1f - cand * cand : (cand > 0f ? 1f : 0f);
                    dz[g + i] = d * (hx[h + i] - cand) * u * (1f - u);
                    dz[g + 2 * n + i] = d * (1f - u) * dphi;
                    carry[c + i] = d * u;
                }
            }
            ops.gemm(false, false, batch, n, n, dz, gOff + 2 * n, gn, wt, 2 * n * n, n, dq, 0, n, false);
            for (int b = 0; b < batch; b++) {
                int g = gOff + b * gn;
                int h = hxOff + b * k;
                int c = b * n;
                for (int i = 0; i < n; i++) {
                    float r = gates[g + n + i];
                    float dqi = dq[c + i];
                    dz[g + n + i] = dqi * hx[h + i] * r * (1f - r);
                    carry[c + i] += dqi * r;
                }
            }
            if (t > 0) {
                ops.gemm(false, false, batch, n, 2 * n, dz, gOff, gn, wt, 0, n, carry, 0, n, true);
            }
        }
        int rows = steps * batch;
        ops.gemm(true, false, k, 2 * n, rows, hx, 0, k, dz, 0, gn, grad, 0, gn, true);
        ops.gemm(true, false, k, n, rows, hxr, 0, k, dz, 2 * n, gn, grad, 2 * n, gn, true);
        ops.sumRows(dz, 0, rows, gn, gn, grad, k * gn);
    }

    private void checkForward(float[] params, float[] xs, int steps, float[] states) {
        if (steps < 0 || steps > maxSteps) {
            throw new IllegalArgumentException("steps " + steps + " outside [0, " + maxSteps + "] (maxSteps of this kernel)");
        }
        requireLength(params, paramCount, "params", "the parameter count");
        requireLength(xs, (long) steps * batch * m, "xs", "steps·B·M");
        requireLength(states, (long) (steps + 1) * batch * n, "states", "(steps+1)·B·S");
    }

    private void requireLength(float[] a, long needed, String what, String formula) {
        if (a == null || a.length < needed) {
            throw new IllegalArgumentException(what + " has " + (a == null ? "no array" : a.length + " entries")
                    + " but needs at least " + formula + " = " + needed + " (gru, M=" + m + ", N=" + n
                    + ", B=" + batch + ")");
        }
    }
}
