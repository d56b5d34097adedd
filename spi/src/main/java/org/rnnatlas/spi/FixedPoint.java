package org.rnnatlas.spi;

/**
 * A fixed point (or slow point) of {@code s ↦ F(s, x*)} with its linearisation (SPEC §5).
 *
 * @param state        the state s* (S entries)
 * @param condition    index into the task's {@link Task#conditions()} whose input x* this point belongs to
 * @param q            the residual ½‖F(s*, x*) − s*‖²
 * @param readout      the readout y* = W_out h* + b_out
 * @param eigenReal    real parts of the eigenvalues of ∂F/∂s at s*, sorted by modulus, descending
 * @param eigenImag    imaginary parts, in the same order
 * @param unstableDims number of eigenvalues with modulus &gt; 1
 */
public record FixedPoint(double[] state, int condition, double q, double[] readout,
                         double[] eigenReal, double[] eigenImag, int unstableDims) {

    /** Stable iff every eigenvalue lies strictly inside the unit circle. */
    public boolean stable() {
        return unstableDims == 0 && (eigenReal.length == 0 || Math.hypot(eigenReal[0], eigenImag[0]) < 1.0);
    }
}
