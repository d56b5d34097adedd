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

    /** {@code y = W_out h + b_out}, where h is the first N entries of s. */
    void readout(double[] s, double[] y);

    /** The fixed points found for every condition input, stable and unstable. */
    List<FixedPoint> fixedPoints();

    /** Typical state scale: the mean norm of the states along the network's probe trajectories. */
    double meanStateNorm();
}
