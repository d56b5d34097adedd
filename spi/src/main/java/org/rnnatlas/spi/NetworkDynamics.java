package org.rnnatlas.spi;

import java.util.List;

/**
 * A trained network as topology metrics see it: its update map, readout and fixed points. Core implements this;
 * {@link TopologyMetric} plugins consume it.
 */
public interface NetworkDynamics {

    /** The task the network was trained on. */
    Task task();

    /** S, the state size. */
    int stateSize();

    /** {@code sNext = F(s, x)} in double precision. */
    void step(double[] s, double[] x, double[] sNext);

    /**
     * {@link #step} for a batch: row b of {@code sNext} (batch × S) is {@code F(row b of s, x)} for one input x shared
     * by all rows. The default loops over {@link #step}; core's implementation uses the cell's batched kernels.
     */
    default void stepBatch(int batch, double[] s, double[] x, double[] sNext) {
        int n = stateSize();
        double[] rs = new double[n];
        double[] rn = new double[n];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(s, b * n, rs, 0, n);
            step(rs, x, rn);
            System.arraycopy(rn, 0, sNext, b * n, n);
        }
    }

    /** {@code y = W_out h + b_out}, where h is the first N entries of s. */
    void readout(double[] s, double[] y);

    /** The fixed points found for every condition input, stable and unstable. */
    List<FixedPoint> fixedPoints();

    /** Typical state scale: the mean norm of the states along the network's probe trajectories. */
    double meanStateNorm();
}
