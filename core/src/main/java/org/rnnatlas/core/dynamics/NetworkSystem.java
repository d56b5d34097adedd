package org.rnnatlas.core.dynamics;

import java.util.List;
import java.util.Objects;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.FixedPoint;
import org.rnnatlas.spi.NetworkDynamics;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.Task;

/**
 * Core's {@link NetworkDynamics}: a network's update map {@code F(s, x)} in double precision (the cell's
 * {@link Cell#step} and, for batches, {@link Cell#stepBatch} on core's kernels), its readout and its fixed points,
 * as the topology metrics see it.
 *
 * <p>Not thread-safe: it keeps scratch buffers, grown on demand, for the calls. Each analysis thread builds its own.
 */
public final class NetworkSystem implements NetworkDynamics {
    private final Task task;
    private final Cell cell;
    private final CellSpec spec;
    private final double[] params;
    private final double[] readoutW;
    private final double[] readoutB;
    private final List<FixedPoint> fixedPoints;
    private final double meanStateNorm;
    private final Ops ops;
    private final int s;
    private final int m;
    private double[] scratch;
    private double[] xs;
    private int xsBatch = -1;
    private double[] xsSource;

    /**
     * @param params   the cell's parameters first (readout blocks after them are ignored)
     * @param readoutW the readout weights {@code N × K}, row-major, {@code y = h·W + b}
     * @param readoutB the readout bias (K)
     */
    public NetworkSystem(Task task, Cell cell, CellSpec spec, double[] params, double[] readoutW, double[] readoutB,
                         List<FixedPoint> fixedPoints, double meanStateNorm, Ops ops) {
        this.task = Objects.requireNonNull(task, "task");
        this.cell = Objects.requireNonNull(cell, "cell");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.params = params.clone();
        this.readoutW = readoutW.clone();
        this.readoutB = readoutB.clone();
        if (readoutW.length != spec.hidden() * readoutB.length) {
            throw new IllegalArgumentException("readout weights hold " + readoutW.length + " values, expected N × K = "
                    + spec.hidden() + " × " + readoutB.length);
        }
        this.fixedPoints = List.copyOf(fixedPoints);
        this.meanStateNorm = meanStateNorm;
        this.ops = Objects.requireNonNull(ops, "ops");
        this.s = cell.stateSize(spec);
        this.m = spec.inputs();
        this.scratch = new double[Math.max(1, cell.scratchSize(spec))];
    }

    /** The same network with another list of fixed points. */
    public NetworkSystem withFixedPoints(List<FixedPoint> points) {
        return new NetworkSystem(task, cell, spec, params, readoutW, readoutB, points, meanStateNorm, ops);
    }

    @Override
    public Task task() {
        return task;
    }

    @Override
    public int stateSize() {
        return s;
    }

    @Override
    public void step(double[] state, double[] x, double[] sNext) {
        ensureScratch(1);
        cell.step(spec, params, state, x, sNext, scratch);
    }

    @Override
    public void stepBatch(int batch, double[] state, double[] x, double[] sNext) {
        ensureScratch(batch);
        if (xsBatch < batch || xsSource == null || !java.util.Arrays.equals(xsSource, x)) {
            // replicate the shared input once per (input, batch size); perturbation runs call this thousands of
            // times with the same input
            int cap = Math.max(batch, xsBatch);
            if (xs == null || xs.length < cap * m) {
                xs = new double[cap * m];
            }
            for (int b = 0; b < cap; b++) {
                System.arraycopy(x, 0, xs, b * m, m);
            }
            xsBatch = cap;
            xsSource = x.clone();
        }
        cell.stepBatch(spec, ops, params, batch, state, xs, sNext, scratch);
    }

    private void ensureScratch(int batch) {
        int need = Math.max(cell.scratchSize(spec), cell.batchScratchSize(spec, batch));
        if (scratch.length < need) {
            scratch = new double[need];
        }
    }

    @Override
    public void readout(double[] state, double[] y) {
        int n = spec.hidden();
        int k = readoutB.length;
        for (int j = 0; j < k; j++) {
            double acc = readoutB[j];
            for (int i = 0; i < n; i++) {
                acc += state[i] * readoutW[i * k + j];
            }
            y[j] = acc;
        }
    }

    /** Number of readout outputs K. */
    public int outputs() {
        return readoutB.length;
    }

    @Override
    public List<FixedPoint> fixedPoints() {
        return fixedPoints;
    }

    @Override
    public double meanStateNorm() {
        return meanStateNorm;
    }
}
