package org.rnnatlas.spi;

/**
 * The default {@link CellKernel}: runs a cell's double-precision {@link Cell#step} and {@link Cell#stepBackward} one
 * batch row at a time and converts at the boundary. Correct for any cell, and slow; it lets a third-party cell work
 * before it has a fused kernel, and it is what the contract suite compares fused kernels with.
 */
public final class ReferenceCellKernel implements CellKernel {
    private final Cell cell;
    private final CellSpec spec;
    private final int batch;
    private final int maxSteps;
    private final int s;
    private final int m;
    private final int n;
    private final double[] p;
    private final double[] gp;
    private final double[] state;
    private final double[] next;
    private final double[] x;
    private final double[] g;
    private final double[] gs;
    private final double[] scratch;
    /** ∂L/∂s carried backwards, per batch row: B × S. */
    private final double[] carry;

    public ReferenceCellKernel(Cell cell, CellSpec spec, int batch, int maxSteps) {
        this.cell = cell;
        this.spec = spec;
        this.batch = batch;
        this.maxSteps = maxSteps;
        this.s = cell.stateSize(spec);
        this.m = spec.inputs();
        this.n = spec.hidden();
        int pc = cell.parameterCount(spec);
        this.p = new double[pc];
        this.gp = new double[pc];
        this.state = new double[s];
        this.next = new double[s];
        this.x = new double[m];
        this.g = new double[s];
        this.gs = new double[s];
        this.scratch = new double[cell.scratchSize(spec)];
        this.carry = new double[batch * s];
    }

    @Override
    public CellSpec spec() {
        return spec;
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public int maxSteps() {
        return maxSteps;
    }

    private void loadParams(float[] params) {
        for (int i = 0; i < p.length; i++) {
            p[i] = params[i];
        }
    }

    @Override
    public void forward(float[] params, float[] xs, int steps, float[] states) {
        checkSteps(steps);
        loadParams(params);
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int so = (t * batch + b) * s;
                for (int i = 0; i < s; i++) {
                    state[i] = states[so + i];
                }
                for (int i = 0; i < m; i++) {
                    x[i] = xs[(t * batch + b) * m + i];
                }
                cell.step(spec, p, state, x, next, scratch);
                int no = ((t + 1) * batch + b) * s;
                for (int i = 0; i < s; i++) {
                    states[no + i] = (float) next[i];
                }
            }
        }
    }

    @Override
    public void backward(float[] params, float[] xs, int steps, float[] states, float[] dH, float[] grad) {
        checkSteps(steps);
        loadParams(params);
        java.util.Arrays.fill(gp, 0.0);
        java.util.Arrays.fill(carry, 0.0);
        for (int t = steps - 1; t >= 0; t--) {
            for (int b = 0; b < batch; b++) {
                int co = b * s;
                for (int i = 0; i < s; i++) {
                    g[i] = carry[co + i] + (i < n ? dH[(t * batch + b) * n + i] : 0.0);
                }
                int so = (t * batch + b) * s;
                for (int i = 0; i < s; i++) {
                    state[i] = states[so + i];
                }
                for (int i = 0; i < m; i++) {
                    x[i] = xs[(t * batch + b) * m + i];
                }
                cell.stepBackward(spec, p, state, x, g, gs, null, gp, scratch);
                System.arraycopy(gs, 0, carry, co, s);
            }
        }
        for (int i = 0; i < gp.length; i++) {
            grad[i] += (float) gp[i];
        }
    }

    private void checkSteps(int steps) {
        if (steps < 0 || steps > maxSteps) {
            throw new IllegalArgumentException("steps " + steps + " outside [0, " + maxSteps + "]");
        }
    }
}
