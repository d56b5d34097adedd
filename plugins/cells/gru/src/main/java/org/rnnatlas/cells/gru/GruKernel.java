package org.rnnatlas.cells.gru;

import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.support.FusedCellKernel;

/**
 * The fused single-precision kernel of {@link GruCell}. Per step: the gates
 * {@code [u, r] = σ(b + HX_t·[W; U][:, 0:2N])} in one product over {@code HX_t = [h_t, x_t]};
 * {@code HXr_t = [r⊙h_t, x_t]}; the candidate {@code c = φ(b_c + HXr_t·[W; U][:, 2N:3N])} in a second product;
 * {@code h_{t+1} = u⊙h + (1 − u)⊙c}.
 *
 * <p>Backward through time, per step: {@code ∂z_u}, {@code ∂z_c} elementwise from the incoming {@code ∂h};
 * {@code ∂q = ∂z_c·W_cᵀ}; {@code ∂z_r = ∂q⊙h⊙r(1 − r)}; carried {@code ∂h_t = ∂h⊙u + ∂q⊙r + [∂z_u, ∂z_r]·[W_u, W_r]ᵀ}.
 * After the loop the weight gradient is two products over all steps at once,
 * {@code ∂[W;U][:, 0:2N] += HX_allᵀ·∂Z_all[:, 0:2N]} and {@code ∂[W;U][:, 2N:3N] += HXr_allᵀ·∂Z_all[:, 2N:3N]};
 * {@link FusedCellKernel} packs {@code HX_t} and forms the bias gradient.
 */
final class GruKernel extends FusedCellKernel {
    /** [r⊙h_t, x_t] per step: maxSteps × B × K. */
    private final float[] hxr;
    /** u, r, c per step: maxSteps × B × 3N. */
    private final float[] gates;
    /** ∂q = ∂z_c·W_cᵀ: B × N. */
    private final float[] dq;

    GruKernel(Ops ops, CellSpec spec, int batch, int maxSteps) {
        super(GruCell.NAME, ops, spec, 3, spec.hidden(), batch, maxSteps);
        int rows = Math.multiplyExact(maxSteps, batch);
        this.hxr = new float[Math.multiplyExact(rows, k)];
        this.gates = new float[Math.multiplyExact(rows, gn)];
        this.dq = new float[batch * n];
    }

    @Override
    protected void forwardStep(float[] params, int t, float[] states) {
        int hxOff = t * batch * k;
        int gOff = t * batch * gn;
        // gates u, r: one product over the first 2N columns of [W; U]
        preactivate(params, hx, t, 0, 2 * n);
        for (int b = 0; b < batch; b++) {
            int g = gOff + b * gn;
            int row = hxOff + b * k;
            ops.sigmoid(z, b * gn, gates, g, 2 * n);
            ops.mul(gates, g + n, hx, row, hxr, row, n);
            System.arraycopy(hx, row + n, hxr, row + n, m);
        }
        // candidate: reset applied before the recurrent matrix, so a second product with [r⊙h, x]
        preactivate(params, hxr, t, 2 * n, n);
        int next = (t + 1) * batch * n;
        for (int b = 0; b < batch; b++) {
            int g = gOff + b * gn;
            ops.activate(act, z, b * gn + 2 * n, gates, g + 2 * n, n);
            ops.mix(gates, g, hx, hxOff + b * k, gates, g + 2 * n, states, next + b * n, n);
        }
    }

    @Override
    protected void backwardStep(float[] params, int t, float[] states, float[] dH) {
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
                dz[g + i] = d * (hx[h + i] - cand) * u * (1f - u);
                dz[g + 2 * n + i] = d * (1f - u) * derivative(cand);
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
        propagate(t, 2 * n, true);
    }

    @Override
    protected void weightGradient(int rows, float[] grad) {
        weightProduct(hx, 0, 2 * n, rows, grad);
        weightProduct(hxr, 2 * n, n, rows, grad);
    }
}
