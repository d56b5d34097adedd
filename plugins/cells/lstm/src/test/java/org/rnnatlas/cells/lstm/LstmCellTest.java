package org.rnnatlas.cells.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.ParamBlock;
import org.rnnatlas.spi.testkit.CellContract;

class LstmCellTest extends CellContract {
    @Override
    protected Cell cell() {
        return new LstmCell();
    }

    /** The forget-gate bias (entries N..2N of b) starts at +1; input, output and candidate biases at 0. */
    @Override
    protected double expectedInitialBias(CellSpec spec, ParamBlock block, int index) {
        int n = spec.hidden();
        return index >= n && index < 2 * n ? 1.0 : 0.0;
    }

    /** The batched state VJP reads each row of g before writing that row of gS (see stepBackwardBatch). */
    @Override
    protected boolean batchedStateVjpWorksInPlace() {
        return true;
    }

    /**
     * The closed-form Jacobians at sizes whose 4-wide blocks are full, ragged and absent (N = 1, 2, 3, 4, 5, 13, 64,
     * 67): every entry against the matrix assembled row by row from stepBackward with unit upstream vectors (itself
     * checked against finite differences by the contract), with scratch and output filled with NaN first so that a
     * read of stale scratch or an unwritten entry shows.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Activation.class)
    void jacobiansMatchStepBackwardAtBlockedSizes(Activation act) {
        Cell cell = cell();
        for (int n : new int[] {1, 2, 3, 4, 5, 13, 64, 67}) {
            CellSpec spec = new CellSpec(3, n, act);
            SplittableRandom rng = new SplittableRandom(7 + n);
            double[] p = jacobianParameters(cell, spec, rng);
            int sz = cell.stateSize(spec);
            int m = spec.inputs();
            double[] s = new double[sz];
            for (int i = 0; i < sz; i++) {
                s[i] = rng.nextDouble(-1.0, 1.0);
            }
            double[] x = new double[m];
            for (int j = 0; j < m; j++) {
                x[j] = rng.nextGaussian();
            }
            double[] scratch = new double[cell.scratchSize(spec)];
            double[] js = new double[sz * sz];
            double[] jx = new double[sz * m];
            Arrays.fill(scratch, Double.NaN);
            Arrays.fill(js, Double.NaN);
            Arrays.fill(jx, Double.NaN);
            cell.stateJacobian(spec, p, s, x, js, scratch);
            Arrays.fill(scratch, Double.NaN);
            cell.inputJacobian(spec, p, s, x, jx, scratch);

            double[] refS = new double[sz * sz];
            double[] refX = new double[sz * m];
            double[] g = new double[sz];
            double[] gS = new double[sz];
            double[] gX = new double[m];
            for (int i = 0; i < sz; i++) {
                Arrays.fill(g, 0.0);
                g[i] = 1.0;
                cell.stepBackward(spec, p, s, x, g, gS, gX, null, scratch);
                System.arraycopy(gS, 0, refS, i * sz, sz);
                System.arraycopy(gX, 0, refX, i * m, m);
            }
            String where = cell.name() + " " + act.id() + " N=" + n;
            assertClose(where + " dF/ds", refS, js);
            assertClose(where + " dF/dx", refX, jx);
        }
    }

    /** stateJacobian allocates nothing once compiled (N = 64; best of up to five windows of 50 calls). */
    @Test
    void stateJacobianAllocatesNothing() {
        Cell cell = cell();
        CellSpec spec = new CellSpec(3, 64, Activation.TANH);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!mx.isThreadAllocatedMemorySupported()) {
            return;
        }
        mx.setThreadAllocatedMemoryEnabled(true);
        SplittableRandom rng = new SplittableRandom(3);
        double[] p = jacobianParameters(cell, spec, rng);
        int sz = cell.stateSize(spec);
        double[] s = new double[sz];
        for (int i = 0; i < sz; i++) {
            s[i] = rng.nextDouble(-1.0, 1.0);
        }
        double[] x = new double[spec.inputs()];
        double[] jac = new double[sz * sz];
        double[] scratch = new double[cell.scratchSize(spec)];
        long allocated = Long.MAX_VALUE;
        for (int window = 0; window < 5 && allocated != 0; window++) {
            for (int i = 0; i < 500; i++) {
                cell.stateJacobian(spec, p, s, x, jac, scratch);
            }
            long empty0 = mx.getCurrentThreadAllocatedBytes();
            long empty1 = mx.getCurrentThreadAllocatedBytes();
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 50; i++) {
                cell.stateJacobian(spec, p, s, x, jac, scratch);
            }
            allocated = Math.min(allocated, (mx.getCurrentThreadAllocatedBytes() - before) - (empty1 - empty0));
        }
        assertEquals(0, allocated, cell.name() + ": stateJacobian allocated " + allocated + " bytes over 50 calls");
    }

    /** The cell's initialisation plus Normal(0, 0.5) on every parameter, so that no gate sits at a symmetric value. */
    private static double[] jacobianParameters(Cell cell, CellSpec spec, SplittableRandom rng) {
        double[] p = new double[cell.parameterCount(spec)];
        cell.initialize(spec, rng, p);
        for (int i = 0; i < p.length; i++) {
            p[i] += 0.5 * rng.nextGaussian();
        }
        return p;
    }

    /** Every entry within 1e-12 of the largest reference entry (at least 1): the two sum in different orders. */
    private static void assertClose(String what, double[] expected, double[] actual) {
        double scale = 1.0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            if (!(d <= 1e-12 * scale)) {
                fail(what + ": entry " + i + " is " + actual[i] + ", stepBackward gives " + expected[i]
                        + " (difference " + d + ", allowed " + 1e-12 * scale + ")");
            }
        }
    }
}
