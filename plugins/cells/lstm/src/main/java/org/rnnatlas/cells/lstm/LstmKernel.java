package org.rnnatlas.cells.lstm;

import java.util.Arrays;

import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.support.FusedCellKernel;

/**
 * The fused single-precision kernel of {@link LstmCell}. States rows are {@code [h, c]} (S = 2N). Per step:
 * {@code Z_t = b + [h_t, x_t]·[W; U]} in one product; {@code [i, f, o] = σ} over the first 3N columns of each row
 * (contiguous), {@code c̃ = φ} over the last N; {@code c' = f⊙c + i⊙c̃}; {@code h' = o⊙φ(c')}, keeping
 * {@code φ(c')} for backward.
 *
 * <p>Backward through time, per step: {@code ∂Z_t} elementwise from the incoming {@code (∂h, ∂c)}; carried
 * {@code ∂c_t = δc⊙f} and {@code ∂h_t = ∂Z_t·Wᵀ}. {@link FusedCellKernel} packs the inputs and forms the weight and
 * bias gradients.
 */
final class LstmKernel extends FusedCellKernel {
    /** i, f, o, c̃ per step: maxSteps × B × 4N. */
    private final float[] gates;
    /** φ(c_{t+1}) per step: maxSteps × B × N. */
    private final float[] tcs;
    /** ∂L/∂c carried backwards: B × N (∂L/∂h is the inherited carry). */
    private final float[] carryC;

    LstmKernel(Ops ops, CellSpec spec, int batch, int maxSteps) {
        super(LstmCell.NAME, ops, spec, 4, 2 * spec.hidden(), batch, maxSteps);
        int rows = Math.multiplyExact(maxSteps, batch);
        this.gates = new float[Math.multiplyExact(rows, gn)];
        this.tcs = new float[Math.multiplyExact(rows, n)];
        this.carryC = new float[batch * n];
    }

    @Override
    protected void forwardStep(float[] params, int t, float[] states) {
        preactivate(params, t);
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

    @Override
    protected void beginBackward() {
        Arrays.fill(carryC, 0f);
    }

    @Override
    protected void backwardStep(float[] params, int t, float[] states, float[] dH) {
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
                float dh = dH[tc + i] + carry[c + i];
                float dct = carryC[c + i] + dh * o * derivative(tcv);
                dz[g + i] = dct * cand * ig * (1f - ig);
                dz[g + n + i] = dct * states[cPrev + i] * f * (1f - f);
                dz[g + 2 * n + i] = dh * tcv * o * (1f - o);
                dz[g + 3 * n + i] = dct * ig * derivative(cand);
                carryC[c + i] = dct * f;
            }
        }
        propagate(t, gn, false);
    }
}
