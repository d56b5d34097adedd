package org.rnnatlas.spi.testkit;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellKernel;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Ops;

/**
 * Measures, in a JVM of its own, what a cell's fused kernel allocates per forward+backward pass in the steady state
 * of training: one shape (M = 3, N = 64, batch 64, 20 steps), the vector kernels, warmed until C2 has compiled them.
 * {@link CellContract} starts it with the test class path, because C2's code for the Vector API kernels depends on
 * the call profile: the many odd shapes the rest of the contract runs through the same methods in the test JVM
 * make C2 compile versions that box vectors, which a training run never does. Prints {@code allocated=<bytes>}.
 */
public final class CellAllocationProbe {
    private CellAllocationProbe() {
    }

    public static void main(String[] args) throws ReflectiveOperationException {
        Cell cell = (Cell) Class.forName(args[0]).getDeclaredConstructor().newInstance();
        Activation act = Activation.of(args[1]);
        Ops ops = Kernels.panama().orElseThrow();
        CellSpec spec = new CellSpec(3, 64, act);
        int batch = 64;
        int steps = 20;
        CellKernel kernel = cell.kernel(ops, spec, batch, steps);
        SplittableRandom rng = new SplittableRandom(3);
        float[] params = new float[cell.parameterCount(spec)];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (rng.nextGaussian() / 8);
        }
        float[] xs = new float[steps * batch * 3];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) rng.nextGaussian();
        }
        float[] states = new float[(steps + 1) * batch * cell.stateSize(spec)];
        float[] dH = new float[steps * batch * 64];
        for (int i = 0; i < dH.length; i++) {
            dH[i] = (float) rng.nextGaussian();
        }
        float[] grad = new float[params.length];
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadAllocatedMemoryEnabled(true);
        // warm up in blocks until one block of 50 passes is clean (the compile queue lags on a busy machine); a
        // kernel that allocates per pass never gets clean, and the last block's figure is reported
        long allocated = Long.MAX_VALUE;
        for (int block = 0; block < 40 && allocated >= 1024; block++) {
            for (int i = 0; i < 100; i++) {
                kernel.forward(params, xs, steps, states);
                Arrays.fill(grad, 0f);
                kernel.backward(params, xs, steps, states, dH, grad);
            }
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 50; i++) {
                kernel.forward(params, xs, steps, states);
                Arrays.fill(grad, 0f);
                kernel.backward(params, xs, steps, states, dH, grad);
            }
            allocated = mx.getCurrentThreadAllocatedBytes() - before;
        }
        System.out.println("allocated=" + allocated);
    }
}
