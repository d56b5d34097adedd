package org.rnnatlas.spi;

/**
 * The single-precision training path of a {@link Cell}: forward over a whole batch of sequences, then backward
 * through time. One kernel belongs to one thread; it allocates nothing after construction.
 *
 * <p>Layouts (row-major, time-major). {@code xs}: {@code T × B × M}. {@code states}: {@code (T+1) × B × S}; block 0
 * is the initial state (an input), block t+1 is the state after step t. {@code dH}: {@code T × B × N}, the gradient
 * of the loss with respect to the hidden part h of states 1..T (what the readout sends back).
 */
public interface CellKernel {

    CellSpec spec();

    /** B, the batch size the kernel was built for. */
    int batch();

    /** The longest sequence the kernel accepts. */
    int maxSteps();

    /** Runs {@code steps} steps from {@code states} block 0, writing blocks 1..steps, and caches what backward needs. */
    void forward(float[] params, float[] xs, int steps, float[] states);

    /**
     * Backpropagation through time after {@link #forward} with the same arguments: adds {@code ∂L/∂params} into
     * {@code grad} (the caller zeroes it). The initial state is not trained.
     */
    void backward(float[] params, float[] xs, int steps, float[] states, float[] dH, float[] grad);
}
