package org.rnnatlas.cells.vanilla;

import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.support.FusedCellKernel;

/**
 * The fused single-precision kernel of {@link VanillaCell}. Per step {@code Z_t = b + [h_t, x_t]·[W; U]} in one
 * product and {@code h_{t+1} = φ(Z_t)}. Backward through time: {@code dZ_t = (dH_t + carry) ⊙ φ'(h_{t+1})} and
 * {@code carry = dZ_t·Wᵀ}; {@link FusedCellKernel} packs the inputs and forms the weight and bias gradients.
 */
final class VanillaKernel extends FusedCellKernel {

    VanillaKernel(Ops ops, CellSpec spec, int batch, int maxSteps) {
        super(VanillaCell.NAME, ops, spec, 1, spec.hidden(), batch, maxSteps);
    }

    @Override
    protected void forwardStep(float[] params, int t, float[] states) {
        int bn = batch * n;
        preactivate(params, t);
        ops.activate(act, z, 0, states, (t + 1) * bn, bn);
    }

    @Override
    protected void backwardStep(float[] params, int t, float[] states, float[] dH) {
        int bn = batch * n;
        int o = t * bn;
        // carry becomes the total ∂L/∂h_{t+1}: readout gradient plus what step t+1 sent back
        ops.axpy(1f, dH, o, carry, 0, bn);
        ops.activateBackward(act, states, o + bn, carry, 0, dz, o, bn);
        propagate(t, n, false);
    }
}
