package org.rnnatlas.cells.ugrnn;

import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.support.FusedCellKernel;

/**
 * The fused single-precision kernel of {@link UgrnnCell}. Per step: {@code Z_t = b + [h_t, x_t]·[W; U]} in one
 * product; per row {@code g = σ(Z[:, 0:N])}, {@code c = φ(Z[:, N:2N])}, {@code h_{t+1} = g⊙h + (1 − g)⊙c}.
 *
 * <p>Backward through time, per step: {@code ∂z_g = ∂h(h − c)g(1 − g)}, {@code ∂z_c = ∂h(1 − g)φ'}; carried
 * {@code ∂h_t = ∂h⊙g + ∂Z_t·Wᵀ}. {@link FusedCellKernel} packs the inputs and forms the weight and bias gradients.
 */
final class UgrnnKernel extends FusedCellKernel {
    /** g, c per step: maxSteps × B × 2N. */
    private final float[] gates;

    UgrnnKernel(Ops ops, CellSpec spec, int batch, int maxSteps) {
        super(UgrnnCell.NAME, ops, spec, 2, spec.hidden(), batch, maxSteps);
        this.gates = new float[Math.multiplyExact(Math.multiplyExact(maxSteps, batch), gn)];
    }

    @Override
    protected void forwardStep(float[] params, int t, float[] states) {
        preactivate(params, t);
        int hxOff = t * batch * k;
        int next = (t + 1) * batch * n;
        for (int b = 0; b < batch; b++) {
            int g = (t * batch + b) * gn;
            ops.sigmoid(z, b * gn, gates, g, n);
            ops.activate(act, z, b * gn + n, gates, g + n, n);
            ops.mix(gates, g, hx, hxOff + b * k, gates, g + n, states, next + b * n, n);
        }
    }

    @Override
    protected void backwardStep(float[] params, int t, float[] states, float[] dH) {
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
                dz[g + i] = d * (hx[h + i] - cand) * gate * (1f - gate);
                dz[g + n + i] = d * (1f - gate) * derivative(cand);
                carry[c + i] = d * gate;
            }
        }
        propagate(t, gn, true);
    }
}
