package org.rnnatlas.spi.testkit;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;

import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Ops;

/**
 * Measures, in a JVM of its own, what a cell's batched double-precision methods ({@link Cell#stepBatch} followed by
 * {@link Cell#stepBackwardBatch}) allocate per call in the steady state of a fixed-point search: one shape
 * ({@value #INPUTS} inputs, N = {@value #UNITS}, batch {@value #BATCH}) on the Vector API kernels, warmed until C2 has
 * compiled them. {@link CellContract} starts it with the test class path, for the reason {@link CellAllocationProbe}
 * gives: the odd shapes the rest of the contract runs through the same kernels in the test JVM can make C2 compile
 * versions that box vectors, which a search never does. Prints {@code allocated=<bytes>} for 50 warm calls.
 */
public final class BatchAllocationProbe {
    static final int INPUTS = 3;
    static final int UNITS = 64;
    static final int BATCH = 128;

    private BatchAllocationProbe() {
    }

    /** The measured shape, for messages. */
    static String describe() {
        return "M=" + INPUTS + ", N=" + UNITS + ", batch " + BATCH;
    }

    /** Arguments: the cell's class name and the activation id. */
    public static void main(String[] args) throws ReflectiveOperationException {
        Cell cell = (Cell) Class.forName(args[0]).getDeclaredConstructor().newInstance();
        Activation act = Activation.of(args[1]);
        Ops ops = Kernels.panama().orElseThrow();
        Run run = new Run(cell, new CellSpec(INPUTS, UNITS, act), ops, BATCH, new SplittableRandom(3));
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadAllocatedMemoryEnabled(true);
        // warm up in blocks until one block of 50 calls is clean (the compile queue lags on a busy machine); code that
        // allocates per call never gets clean, and the last block's figure is reported
        long allocated = Long.MAX_VALUE;
        for (int block = 0; block < 40 && allocated >= 1024; block++) {
            for (int i = 0; i < 100; i++) {
                run.stepAndBackward();
            }
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 50; i++) {
                run.stepAndBackward();
            }
            allocated = mx.getCurrentThreadAllocatedBytes() - before;
        }
        System.out.println("allocated=" + allocated);
    }

    /** One batch of random states, inputs and upstream gradients, with every buffer allocated up front. */
    static final class Run {
        private final Cell cell;
        private final CellSpec spec;
        private final Ops ops;
        private final int batch;
        private final double[] params;
        private final double[] states;
        private final double[] inputs;
        private final double[] upstream;
        private final double[] next;
        private final double[] gradient;
        private final double[] scratch;

        Run(Cell cell, CellSpec spec, Ops ops, int batch, SplittableRandom rng) {
            this.cell = cell;
            this.spec = spec;
            this.ops = ops;
            this.batch = batch;
            CellCase c = new CellCase(spec.activation(), spec.inputs(), spec.hidden(), 0);
            this.params = c.randomParameters(cell, rng);
            int sz = cell.stateSize(spec);
            this.states = new double[batch * sz];
            for (int i = 0; i < states.length; i++) {
                states[i] = rng.nextDouble(-1.0, 1.0);
            }
            this.inputs = CellCase.gaussian(rng, batch * spec.inputs());
            this.upstream = CellCase.gaussian(rng, batch * sz);
            this.next = new double[batch * sz];
            this.gradient = new double[batch * sz];
            this.scratch = new double[cell.batchScratchSize(spec, batch)];
        }

        void stepAndBackward() {
            cell.stepBatch(spec, ops, params, batch, states, inputs, next, scratch);
            cell.stepBackwardBatch(spec, ops, params, batch, states, inputs, upstream, gradient, scratch);
        }
    }
}
