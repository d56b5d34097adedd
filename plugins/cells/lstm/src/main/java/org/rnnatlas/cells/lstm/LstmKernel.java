package org.rnnatlas.cells.lstm;

import java.util.Arrays;
import java.util.Objects;

import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.CellKernel;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Ops;

/**
 * The fused single-precision kernel of {@link LstmCell}. States rows are {@code [h, c]} (S = 2N). Per step:
 * {@code HX_t = [h_t, x_t]}; {@code Z_t = b + HX_t·[W; U]} in one product; {@code [i, f, o] = σ} over the first 3N
 * columns of each row (contiguous), {@code c̃ = φ} over the last N; {@code c' = f⊙c + i⊙c̃};
 * {@code h' = o⊙φ(c')}, keeping {@code φ(c')} for backward.
 *
 * <p>Backward through time, per step: {@code ∂Z_t} elementwise from the incoming {@code (∂h, ∂c)}; carried
 * {@code ∂c_t = δc⊙f} and {@code ∂h_t = ∂Z_t·Wᵀ}. After the loop the weight gradient is one product over all steps,
 * {@code ∂[W; U] += HX_allᵀ·∂Z_all}, and the bias gradient the column sums of ∂Z_all. Buffers are allocated here;
 * forward and backward allocate nothing.
 */
final class LstmKernel implements CellKernel {
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
    /** 4N. */
    private final int gn;
    /** S = 2N. */
    private final int sz;
    private final int paramCount;
    /** [h_t, x_t] per step: maxSteps × B × K. */
    private final float[] hx;
    /** i, f, o, c̃ per step: maxSteps × B × 4N. */
    private final float[] gates;
    /** φ(c_{t+1}) per step: maxSteps × B × N. */
    private final float[] tcs;
    /** Pre-activations of the current step: B × 4N. */
    private final float[] z;
    /** ∂Z per step: maxSteps × B × 4N. */
    private final float[] dz;
    /** Wᵀ (4N × N), refreshed at each backward call. */
    private final float[] wt;
    /** ∂L/∂h carried backwards: B × N. */
    private final float[] carryH;
    /** ∂L/∂c carried backwards: B × N. */
    private final float[] carryC;

    LstmKernel(Ops ops, CellSpec spec, int paramCount, int batch, int maxSteps) {
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
        this.gn = 4 * n;
        this.sz = 2 * n;
        this.paramCount = paramCount;
        int rows = Math.multiplyExact(maxSteps, batch);
        this.hx = new float[Math.multiplyExact(rows, k)];
        this.gates = new float[Math.multiplyExact(rows, gn)];
        this.tcs = new float[Math.multiplyExact(rows, n)];
        this.z = new float[batch * gn];
        this.dz = new float[Math.multiplyExact(rows, gn)];
        this.wt = new float[gn * n];
        this.carryH = new float[batch * n];
        this.carryC = new float[batch * n];
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
                System.arraycopy(states, (t * batch + b) * sz, hx, row, n);
                System.arraycopy(xs, (t * batch + b) * m, hx, row + n, m);
            }
            ops.broadcastRows(params, bias, z, 0, batch, gn, gn, false);
            ops.gemm(false, false, batch, gn, k, hx, hxOff, k, params, 0, gn, z, 0, gn, true);
            for (int b = 0; b < batch; b++) {
                int g = (t * batch + b) * gn;
                int cPrev = (t * batch + b) * sz + n;
                int next = ((t + 1) * batch + b) * sz;
                int tc = (t * batch + b) * n;
                // gate order [i, f, o, c]: the three sigmoid gates are contiguous
                ops.sigmoid(z, b * gn, gates, g, 3 * n);
                ops.activate(act, z, b * gn + 3 * n, gates, g + 3 * n, n);
                ops.mul(gates, g + n, states, cPrev, states, next + n, n);
                ops.mulAdd(gates, g, gates, g + 3 * n, states, next + n, n);
                ops.activate(act, states, next + n, tcs, tc, n);
                ops.mul(gates, g + 2 * n, tcs, tc, states, next, n);
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
        Arrays.fill(carryH, 0f);
        Arrays.fill(carryC, 0f);
        for (int t = steps - 1; t >= 0; t--) {
            for (int b = 0; b < batch; b++) {
                int g = (t * batch + b) * gn;
                int cPrev = (t * batch + b) * sz + n;
                int tc = (t * batch + b) * n;
                int c = b * n;
                for (int i = 0; i < n; i++) {
                    float ig = gates[g + i];
                    float f = gates[g + n + i];
                    float o = gates[g + 2 * n + i];
                    float cand = gates[g + 3 * n + i];
                    float tcv = tcs[tc + i];
                    float dh = dH[tc + i] + carryH[c + i];
                    float dphiOut = tanh ? 1f - tcv * tcv : (tcv > 0f ? 1f : 0f);
                    float dphiCand = tanh ? 1f - cand * cand : (cand > 0f ? 1f : 0f);
                    float dct = carryC[c + i] + dh * o * dphiOut;
                    dz[g + i] = dct * cand * ig * (1f - ig);
                    dz[g + n + i] = dct * states[cPrev + i] * f * (1f - f);
                    dz[g + 2 * n + i] = dh * tcv * o * (1f - o);
                    dz[g + 3 * n + i] = dct * ig * dphiCand;
                    carryC[c + i] = dct * f;
                }
            }
            if (t > 0) {
                ops.gemm(false, false, batch, n, gn, dz, t * batch * gn, gn, wt, 0, n, carryH, 0, n, false);
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
        requireLength(states, (long) (steps + 1) * batch * sz, "states", "(steps+1)·B·S");
    }

    private void requireLength(float[] a, long needed, String what, String formula) {
        if (a == null || a.length < needed) {
            throw new IllegalArgumentException(what + " has " + (a == null ? "no array" : a.length + " entries")
                    + " but needs at least " + formula + " = " + needed + " (lstm, M=" + m + ", N=" + n
                    + ", B=" + batch + ", S=2N)");
        }
    }
}
