package org.rnnatlas.cells.vanilla;

import java.util.Arrays;
import java.util.Objects;

import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.CellKernel;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Ops;

/**
 * The fused single-precision kernel of {@link VanillaCell}. Per step it packs {@code HX_t = [h_t, x_t]} (B×(N+M)),
 * forms {@code Z_t = b + HX_t·[W; U]} with one matrix product and writes {@code h_{t+1} = φ(Z_t)} into the states.
 * Backward through time computes {@code dZ_t = (dH_t + carry) ⊙ φ'(h_{t+1})} and {@code carry = dZ_t·Wᵀ} per step,
 * then the whole weight gradient with one product {@code ∂[W; U] += HX_allᵀ·dZ_all} and the bias gradient as the
 * column sums of dZ_all. All buffers are allocated here; forward and backward allocate nothing.
 */
final class VanillaKernel implements CellKernel {
    private final Ops ops;
    private final CellSpec spec;
    private final Activation act;
    private final int batch;
    private final int maxSteps;
    private final int n;
    private final int m;
    /** K = N + M, the width of HX. */
    private final int k;
    private final int paramCount;
    /** HX_t = [h_t, x_t] for every step: maxSteps × B × K. */
    private final float[] hx;
    /** Pre-activation of the current step: B × N. */
    private final float[] z;
    /** dZ_t for every step: maxSteps × B × N. */
    private final float[] dz;
    /** Wᵀ (N × N), refreshed at each backward call. */
    private final float[] wt;
    /** ∂L/∂h_t carried backwards: B × N. */
    private final float[] carry;

    VanillaKernel(Ops ops, CellSpec spec, int paramCount, int batch, int maxSteps) {
        this.ops = Objects.requireNonNull(ops, "ops");
        this.spec = Objects.requireNonNull(spec, "spec");
        if (batch < 1 || maxSteps < 1) {
            throw new IllegalArgumentException("kernel needs batch >= 1 and maxSteps >= 1, got batch " + batch
                    + ", maxSteps " + maxSteps);
        }
        this.act = spec.activation();
        this.batch = batch;
        this.maxSteps = maxSteps;
        this.n = spec.hidden();
        this.m = spec.inputs();
        this.k = n + m;
        this.paramCount = paramCount;
        this.hx = new float[Math.multiplyExact(Math.multiplyExact(maxSteps, batch), k)];
        this.z = new float[batch * n];
        this.dz = new float[Math.multiplyExact(Math.multiplyExact(maxSteps, batch), n)];
        this.wt = new float[n * n];
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
        int bn = batch * n;
        int bias = k * n;
        for (int t = 0; t < steps; t++) {
            int hxOff = t * batch * k;
            for (int b = 0; b < batch; b++) {
                int row = hxOff + b * k;
                System.arraycopy(states, (t * batch + b) * n, hx, row, n);
                System.arraycopy(xs, (t * batch + b) * m, hx, row + n, m);
            }
            ops.broadcastRows(params, bias, z, 0, batch, n, n, false);
            ops.gemm(false, false, batch, n, k, hx, hxOff, k, params, 0, n, z, 0, n, true);
            ops.activate(act, z, 0, states, (t + 1) * bn, bn);
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
        int bn = batch * n;
        ops.transpose(params, 0, n, n, n, wt, 0, n);
        Arrays.fill(carry, 0f);
        for (int t = steps - 1; t >= 0; t--) {
            int o = t * bn;
            // carry becomes the total ∂L/∂h_{t+1}: readout gradient plus what step t+1 sent back
            ops.axpy(1f, dH, o, carry, 0, bn);
            ops.activateBackward(act, states, o + bn, carry, 0, dz, o, bn);
            if (t > 0) {
                ops.gemm(false, false, batch, n, n, dz, o, n, wt, 0, n, carry, 0, n, false);
            }
        }
        int rows = steps * batch;
        ops.gemm(true, false, k, n, rows, hx, 0, k, dz, 0, n, grad, 0, n, true);
        ops.sumRows(dz, 0, rows, n, n, grad, k * n);
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
                    + " but needs at least " + formula + " = " + needed + " (vanilla, M=" + m + ", N=" + n
                    + ", B=" + batch + ")");
        }
    }
}
