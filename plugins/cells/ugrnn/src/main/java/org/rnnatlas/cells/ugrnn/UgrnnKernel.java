package org.rnnatlas.cells.ugrnn;

import java.util.Arrays;
import java.util.Objects;

import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.CellKernel;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Ops;

/**
 * The fused single-precision kernel of {@link UgrnnCell}. Per step: {@code HX_t = [h_t, x_t]};
 * {@code Z_t = b + HX_t·[W; U]} in one product; per row {@code g = σ(Z[:, 0:N])}, {@code c = φ(Z[:, N:2N])},
 * {@code h_{t+1} = g⊙h + (1 − g)⊙c}.
 *
 * <p>Backward through time, per step: {@code ∂z_g = ∂h(h − c)g(1 − g)}, {@code ∂z_c = ∂h(1 − g)φ'}; carried
 * {@code ∂h_t = ∂h⊙g + ∂Z_t·Wᵀ}. After the loop the weight gradient is one product over all steps,
 * {@code ∂[W; U] += HX_allᵀ·∂Z_all}, and the bias gradient the column sums of ∂Z_all. Buffers are allocated here;
 * forward and backward allocate nothing.
 */
final class UgrnnKernel implements CellKernel {
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
    /** 2N. */
    private final int gn;
    private final int paramCount;
    /** [h_t, x_t] per step: maxSteps × B × K. */
    private final float[] hx;
    /** g, c per step: maxSteps × B × 2N. */
    private final float[] gates;
    /** Pre-activations of the current step: B × 2N. */
    private final float[] z;
    /** ∂Z per step: maxSteps × B × 2N. */
    private final float[] dz;
    /** Wᵀ (2N × N), refreshed at each backward call. */
    private final float[] wt;
    /** ∂L/∂h carried backwards: B × N. */
    private final float[] carry;

    UgrnnKernel(Ops ops, CellSpec spec, int paramCount, int batch, int maxSteps) {
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
        this.gn = 2 * n;
        this.paramCount = paramCount;
        int rows = Math.multiplyExact(maxSteps, batch);
        this.hx = new float[Math.multiplyExact(rows, k)];
        this.gates = new float[Math.multiplyExact(rows, gn)];
        this.z = new float[batch * gn];
        this.dz = new float[Math.multiplyExact(rows, gn)];
        this.wt = new float[gn * n];
        this.carry = new float[batch * n];
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
            for (int b = 0; b < batch; b++) {
                int row = hxOff + b * k;
                System.arraycopy(states, (t * batch + b) * n, hx, row, n);
                System.arraycopy(xs, (t * batch + b) * m, hx, row + n, m);
            }
            ops.broadcastRows(params, bias, z, 0, batch, gn, gn, false);
            ops.gemm(false, false, batch, gn, k, hx, hxOff, k, params, 0, gn, z, 0, gn, true);
            int next = (t + 1) * batch * n;
            for (int b = 0; b < batch; b++) {
                int g = (t * batch + b) * gn;
                ops.sigmoid(z, b * gn, gates, g, n);
                ops.activate(act, z, b * gn + n, gates, g + n, n);
                ops.mix(gates, g, hx, hxOff + b * k, gates, g + n, states, next + b * n, n);
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
            int hOff = t * batch * n;
            for (int b = 0; b < batch; b++) {
                int g = (t * batch + b) * gn;
                int h = hxOff + b * k;
                int c = b * n;
                for (int i = 0; i < n; i++) {
                    float d = dH[hOff + c + i] + carry[c + i];
                    float gate = gates[g + i];
                    float cand = gates[g + n + i];
                    float dphi = tanh ? 1f - cand * cand : (cand > 0f ? 1f : 0f);
                    dz[g + i] = d * (hx[h + i] - cand) * gate * (1f - gate);
                    dz[g + n + i] = d * (1f - gate) * dphi;
                    carry[c + i] = d * gate;
                }
            }
            if (t > 0) {
                ops.gemm(false, false, batch, n, gn, dz, t * batch * gn, gn, wt, 0, n, carry, 0, n, true);
            }
        }
        int rows = steps * batch;
        ops.gemm(true, false, k, gn, rows, hx, 0, k, dz, 0, gn, grad, 0, gn, true);
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
                    + " but needs at least " + formula + " = " + needed + " (ugrnn, M=" + m + ", N=" + n
                    + ", B=" + batch + ")");
        }
    }
}
