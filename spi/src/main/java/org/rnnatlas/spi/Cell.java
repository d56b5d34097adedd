package org.rnnatlas.spi;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A recurrent cell: the state update {@code s' = F(s, x)} of SPEC §1.
 *
 * <p>A cell is a stateless, thread-safe singleton; everything about one instance is in its {@link CellSpec} and its
 * parameter vector. The parameter vector is the concatenation of the {@link #parameters blocks} in order.
 *
 * <p><b>State layout.</b> The state has {@link #stateSize} entries; its first {@code N = spec.hidden()} entries are
 * the hidden vector h, the only part the readout sees. The LSTM's state is {@code [h; c]}.
 *
 * <p><b>Two paths.</b> The double-precision methods ({@link #step}, {@link #stepBackward}, the Jacobians) define the
 * cell: they are the hand-derived reference that the contract tests check against central finite differences, and
 * the analyses (fixed points, linearisation) use them. The single-precision {@link CellKernel} from
 * {@link #kernel} is the fast training path; its default runs the double-precision methods one batch row at a time,
 * which is correct but slow, so built-in cells override it with fused kernels on {@link Ops}. The contract suite
 * checks the fast path against the reference path.
 *
 * <p>The double-precision methods take a scratch array of at least {@link #scratchSize} entries so that they never
 * allocate; callers keep one per thread.
 */
public interface Cell extends Named {

    /** G, the number of N-wide blocks in the fused pre-activation (Vanilla 1, UGRNN 2, GRU 3, LSTM 4); used to count FLOPs. */
    int gates();

    /** S, the state size: N by default, 2N for a cell that carries a memory state. */
    default int stateSize(CellSpec spec) {
        return spec.hidden();
    }

    /** The parameter blocks, in storage order. */
    List<ParamBlock> parameters(CellSpec spec);

    /** Total number of parameters: the sum of the blocks' sizes. */
    default int parameterCount(CellSpec spec) {
        int n = 0;
        for (ParamBlock b : parameters(spec)) {
            n += b.size();
        }
        return n;
    }

    /** Size of the scratch array the double-precision methods need. */
    default int scratchSize(CellSpec spec) {
        return 0;
    }

    /**
     * Fills {@code params} with a fresh initialisation (SPEC §1): every weight block from Normal(0, 1/fanIn), drawn
     * block by block in storage order, row-major; biases 0. Cells whose gate biases start elsewhere override this,
     * call {@link #initializeDefault} and then set their biases, so the draws stay the same.
     */
    default void initialize(CellSpec spec, RandomGenerator rng, double[] params) {
        initializeDefault(parameters(spec), rng, params);
    }

    /** The default initialisation of {@link #initialize}, reusable by overrides. */
    static void initializeDefault(List<ParamBlock> blocks, RandomGenerator rng, double[] params) {
        int off = 0;
        for (ParamBlock b : blocks) {
            if (b.role() == ParamBlock.Role.BIAS) {
                java.util.Arrays.fill(params, off, off + b.size(), 0.0);
            } else {
                double sd = Math.sqrt(1.0 / b.fanIn());
                for (int i = 0; i < b.size(); i++) {
                    params[off + i] = sd * rng.nextGaussian();
                }
            }
            off += b.size();
        }
    }

    /**
     * One step in double precision: {@code sNext = F(s, x)}.
     *
     * @param p       parameters ({@link #parameterCount} entries)
     * @param s       state (S entries)
     * @param x       input (M entries)
     * @param sNext   output state (S entries); never aliases {@code s}
     * @param scratch at least {@link #scratchSize} entries
     */
    void step(CellSpec spec, double[] p, double[] s, double[] x, double[] sNext, double[] scratch);

    /**
     * The vector–Jacobian products of one step: given {@code g = ∂L/∂s'} at {@code s' = F(s, x)}, writes
     * {@code gS = (∂F/∂s)ᵀ g} and {@code gX = (∂F/∂x)ᵀ g} (overwriting them) and adds {@code (∂F/∂p)ᵀ g} into
     * {@code gP}. Any of gS, gX, gP may be null when not wanted.
     */
    void stepBackward(CellSpec spec, double[] p, double[] s, double[] x, double[] g,
                      double[] gS, double[] gX, double[] gP, double[] scratch);

    /**
     * The state Jacobian {@code J = ∂F/∂s} at (s, x) as an S×S row-major matrix: {@code J[i][j] = ∂F_i/∂s_j}. The
     * default assembles it from {@link #stepBackward} with unit vectors (exact, S backward passes); built-in cells
     * give the closed form.
     */
    default void stateJacobian(CellSpec spec, double[] p, double[] s, double[] x, double[] jac, double[] scratch) {
        int n = stateSize(spec);
        double[] g = new double[n];
        double[] row = new double[n];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(g, 0.0);
            g[i] = 1.0;
            stepBackward(spec, p, s, x, g, row, null, null, scratch);
            System.arraycopy(row, 0, jac, i * n, n);
        }
    }

    /** The input Jacobian {@code ∂F/∂x} as an S×M row-major matrix; the default works like {@link #stateJacobian}'s. */
    default void inputJacobian(CellSpec spec, double[] p, double[] s, double[] x, double[] jac, double[] scratch) {
        int n = stateSize(spec);
        int m = spec.inputs();
        double[] g = new double[n];
        double[] row = new double[m];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(g, 0.0);
            g[i] = 1.0;
            stepBackward(spec, p, s, x, g, null, row, null, scratch);
            System.arraycopy(row, 0, jac, i * m, m);
        }
    }

    /**
     * Scratch size of {@link #stepBatch} and {@link #stepBackwardBatch} for {@code batch} rows; the default is
     * {@link #scratchSize}, what the row-by-row defaults pass to {@link #step} and {@link #stepBackward}.
     */
    default int batchScratchSize(CellSpec spec, int batch) {
        return scratchSize(spec);
    }

    /**
     * {@link #step} for a batch in double precision: row b of {@code sNext} (batch × S, row-major) is
     * {@code F(row b of s, row b of x)}, with x batch × M. The analyses (fixed-point search, perturbation runs) call
     * this with hundreds of rows. The default runs {@link #step} row by row (allocating three row buffers per call,
     * not per row); built-in cells override it with {@link Ops} products over the whole batch and allocate nothing.
     * Agrees with {@link #step} to double rounding.
     *
     * @param scratch at least {@link #batchScratchSize} entries
     */
    default void stepBatch(CellSpec spec, Ops ops, double[] p, int batch, double[] s, double[] x, double[] sNext,
                           double[] scratch) {
        int n = stateSize(spec);
        int m = spec.inputs();
        double[] rs = new double[n];
        double[] rx = new double[m];
        double[] rn = new double[n];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(s, b * n, rs, 0, n);
            System.arraycopy(x, b * m, rx, 0, m);
            step(spec, p, rs, rx, rn, scratch);
            System.arraycopy(rn, 0, sNext, b * n, n);
        }
    }

    /**
     * The state vector–Jacobian product for a batch: row b of {@code gS} is {@code (∂F/∂s)ᵀ g_b} at
     * {@code (s_b, x_b)}; s, g and gS are batch × S, x is batch × M. The default runs {@link #stepBackward} row by
     * row (allocating four row buffers per call); built-in cells override it with {@link Ops} products. Agrees with
     * {@link #stepBackward} to double rounding.
     *
     * @param scratch at least {@link #batchScratchSize} entries
     */
    default void stepBackwardBatch(CellSpec spec, Ops ops, double[] p, int batch, double[] s, double[] x,
                                   double[] g, double[] gS, double[] scratch) {
        int n = stateSize(spec);
        int m = spec.inputs();
        double[] rs = new double[n];
        double[] rx = new double[m];
        double[] rg = new double[n];
        double[] rgs = new double[n];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(s, b * n, rs, 0, n);
            System.arraycopy(x, b * m, rx, 0, m);
            System.arraycopy(g, b * n, rg, 0, n);
            stepBackward(spec, p, rs, rx, rg, rgs, null, null, scratch);
            System.arraycopy(rgs, 0, gS, b * n, n);
        }
    }

    /**
     * A single-precision training kernel for batches of {@code batch} sequences of up to {@code maxSteps} steps. The
     * kernel owns its buffers (allocated here, once) and is used by one thread at a time.
     */
    default CellKernel kernel(Ops ops, CellSpec spec, int batch, int maxSteps) {
        return new ReferenceCellKernel(this, spec, batch, maxSteps);
    }
}
