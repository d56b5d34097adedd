package org.rnnatlas.spi.support;

import java.util.Arrays;
import java.util.Objects;

import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.CellKernel;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Ops;

/**
 * The scaffolding of a fused single-precision {@link CellKernel} for a cell with G gate blocks in the
 * {@link FusedLayout} ({@code [W; U]} one (N+M)×GN matrix, then b). It owns the buffers, the argument checks, the
 * packing of {@code HX_t = [h_t, x_t]}, the fused pre-activation product and the end-of-backward products; a subclass
 * writes only its gate equations, one step at a time.
 *
 * <p><b>Forward</b>, for t = 0..T−1: the kernel packs {@code HX_t} (B×K, K = N+M) from the hidden part of states
 * block t and from {@code xs} block t, keeping every step's pack for backward; then {@link #forwardStep} computes the
 * step, usually starting with {@link #preactivate}, {@code Z = b + HX_t·[W; U]} (B×GN) into {@link #z}, and writing
 * states block t+1.
 *
 * <p><b>Backward</b> through time: the kernel refreshes {@link #wt} {@code = Wᵀ} (GN×N), zeroes {@link #carry}
 * ({@code ∂L/∂h} carried to the previous step, B×N), calls {@link #beginBackward}, then {@link #backwardStep} for
 * t = T−1..0, which writes {@code ∂Z_t} into {@link #dz} block t (B×GN; all steps are kept) and leaves the total
 * {@code ∂L/∂h_t} in {@link #carry}, usually finishing with {@link #propagate}. Last come the weight gradient,
 * {@link #weightGradient} (by default the single product {@code ∂[W; U] += HX_allᵀ·∂Z_all} over all steps at once),
 * and the bias gradient, the column sums of {@code ∂Z_all}. The initial state is not trained.
 *
 * <p>All buffers are allocated in the constructor; forward and backward allocate nothing, and the hooks must not
 * either (a subclass allocates its own extra buffers in its constructor).
 *
 * <p><b>Example</b>: the whole kernel of a vanilla cell {@code h' = φ(h·W + x·U + b)} (G = 1, S = N):
 *
 * <pre>{@code
 * final class MyKernel extends FusedCellKernel {
 *     MyKernel(Ops ops, CellSpec spec, int batch, int maxSteps) {
 *         super("my", ops, spec, 1, spec.hidden(), batch, maxSteps);
 *     }
 *
 *     protected void forwardStep(float[] params, int t, float[] states) {
 *         preactivate(params, t);                                        // z = b + [h_t, x_t]·[W; U]
 *         ops.activate(act, z, 0, states, (t + 1) * batch * n, batch * n); // h_{t+1} = φ(z)
 *     }
 *
 *     protected void backwardStep(float[] params, int t, float[] states, float[] dH) {
 *         int o = t * batch * n;
 *         ops.axpy(1f, dH, o, carry, 0, batch * n);                      // carry = ∂L/∂h_{t+1}
 *         ops.activateBackward(act, states, o + batch * n, carry, 0, dz, o, batch * n); // ∂Z_t
 *         propagate(t, n, false);                                        // carry = ∂Z_t·Wᵀ
 *     }
 * }
 * }</pre>
 *
 * A cell whose pre-activation is not one product (the GRU applies its reset gate before W) calls
 * {@link #preactivate(float[], float[], int, int, int)} on column ranges and overrides {@link #weightGradient} with
 * one {@link #weightProduct} per range.
 */
public abstract class FusedCellKernel implements CellKernel {
    /** The numeric kernels. */
    protected final Ops ops;
    /** φ, the cell's non-gate nonlinearity. */
    protected final Activation act;
    /** B, the batch size. */
    protected final int batch;
    /** N, the hidden units. */
    protected final int n;
    /** M, the inputs. */
    protected final int m;
    /** K = N + M, the width of {@code HX}. */
    protected final int k;
    /** G·N, the width of the fused pre-activation. */
    protected final int gn;
    /** S, the state size; the hidden part h is the first N entries of each state row. */
    protected final int sz;
    /** {@code HX_t = [h_t, x_t]} for every step: maxSteps × B × K. */
    protected final float[] hx;
    /** Pre-activations of the current step: B × GN. */
    protected final float[] z;
    /** {@code ∂Z_t} for every step: maxSteps × B × GN. */
    protected final float[] dz;
    /** {@code Wᵀ} (GN × N), refreshed at each backward call. */
    protected final float[] wt;
    /** {@code ∂L/∂h} carried backwards: B × N. */
    protected final float[] carry;

    private final String cellName;
    private final CellSpec spec;
    private final boolean tanh;
    private final int maxSteps;
    private final int paramCount;

    /**
     * Allocates the buffers.
     *
     * @param cellName  the cell's name, for error messages
     * @param gates     G, the number of N-wide blocks of the fused pre-activation
     * @param stateSize S, the width of a state row ({@code N}, or {@code 2N} for {@code [h; c]})
     * @throws IllegalArgumentException if batch or maxSteps is below 1, S below N, or the buffers would not fit an array
     */
    protected FusedCellKernel(String cellName, Ops ops, CellSpec spec, int gates, int stateSize, int batch,
                              int maxSteps) {
        this.cellName = Objects.requireNonNull(cellName, "cellName");
        this.ops = Objects.requireNonNull(ops, "ops");
        this.spec = Objects.requireNonNull(spec, "spec");
        if (batch < 1 || maxSteps < 1) {
            throw new IllegalArgumentException("kernel needs batch >= 1 and maxSteps >= 1, got batch " + batch
                    + ", maxSteps " + maxSteps);
        }
        if (gates < 1 || stateSize < spec.hidden()) {
            throw new IllegalArgumentException(cellName + " kernel needs gates >= 1 and state size >= N = "
                    + spec.hidden() + ", got gates " + gates + ", state size " + stateSize);
        }
        this.act = spec.activation();
        this.tanh = act == Activation.TANH;
        this.batch = batch;
        this.maxSteps = maxSteps;
        this.n = spec.hidden();
        this.m = spec.inputs();
        this.k = n + m;
        this.gn = Math.multiplyExact(gates, n);
        this.sz = stateSize;
        this.paramCount = Math.multiplyExact(k + 1, gn);
        int rows = Math.multiplyExact(maxSteps, batch);
        this.hx = new float[Math.multiplyExact(rows, k)];
        this.z = new float[Math.multiplyExact(batch, gn)];
        this.dz = new float[Math.multiplyExact(rows, gn)];
        this.wt = new float[Math.multiplyExact(gn, n)];
        this.carry = new float[batch * n];
    }

    @Override
    public final CellSpec spec() {
        return spec;
    }

    @Override
    public final int batch() {
        return batch;
    }

    @Override
    public final int maxSteps() {
        return maxSteps;
    }

    @Override
    public final void forward(float[] params, float[] xs, int steps, float[] states) {
        checkArguments(params, xs, steps, states);
        for (int t = 0; t < steps; t++) {
            int hxOff = t * batch * k;
            for (int b = 0; b < batch; b++) {
                int row = hxOff + b * k;
                System.arraycopy(states, (t * batch + b) * sz, hx, row, n);
                System.arraycopy(xs, (t * batch + b) * m, hx, row + n, m);
            }
            forwardStep(params, t, states);
        }
    }

    @Override
    public final void backward(float[] params, float[] xs, int steps, float[] states, float[] dH, float[] grad) {
        checkArguments(params, xs, steps, states);
        requireLength(dH, (long) steps * batch * n, "dH", "steps·B·N");
        requireLength(grad, paramCount, "grad", "the parameter count");
        if (steps == 0) {
            return;
        }
        ops.transpose(params, 0, n, gn, gn, wt, 0, n);
        Arrays.fill(carry, 0f);
        beginBackward();
        for (int t = steps - 1; t >= 0; t--) {
            backwardStep(params, t, states, dH);
        }
        int rows = steps * batch;
        weightGradient(rows, grad);
        ops.sumRows(dz, 0, rows, gn, gn, grad, k * gn);
    }

    /**
     * Step t of forward: {@link #hx} block t ({@code t·B·K}) holds {@code [h_t, x_t]}; compute the step and write
     * states block t+1 (offset {@code (t+1)·B·S}), keeping whatever backward needs in the subclass's buffers.
     */
    protected abstract void forwardStep(float[] params, int t, float[] states);

    /**
     * Step t of backward: {@link #carry} holds {@code ∂L/∂h_{t+1}} sent back by step t+1 (zero at the last step), to
     * which the readout's {@code dH} block t ({@code t·B·N}) must be added. Write {@code ∂Z_t} into {@link #dz} block t
     * ({@code t·B·GN}) and leave {@code ∂L/∂h_t} in {@link #carry} (not needed at t = 0).
     */
    protected abstract void backwardStep(float[] params, int t, float[] states, float[] dH);

    /** Called once per backward, after {@link #carry} is zeroed: reset the subclass's own carried gradients here. */
    protected void beginBackward() {
    }

    /**
     * {@code ∂[W; U] += HX_allᵀ·∂Z_all} over {@code rows = steps·B} rows in one product. A cell that feeds some
     * columns from another packed input (the GRU's {@code [r⊙h, x]}) overrides this with {@link #weightProduct}s.
     */
    protected void weightGradient(int rows, float[] grad) {
        weightProduct(hx, 0, gn, rows, grad);
    }

    /** The full pre-activation of step t: {@code z = b + HX_t·[W; U]} (B×GN). */
    protected final void preactivate(float[] params, int t) {
        preactivate(params, hx, t, 0, gn);
    }

    /**
     * Columns {@code [col, col+width)} of a pre-activation: {@code z[:, col..] = b[col..] + P_t·[W; U][:, col..]},
     * where {@code P_t} is block t of {@code packed} (maxSteps × B × K, laid out like {@link #hx}).
     */
    protected final void preactivate(float[] params, float[] packed, int t, int col, int width) {
        ops.broadcastRows(params, k * gn + col, z, col, batch, width, gn, false);
        ops.gemm(false, false, batch, width, k, packed, t * batch * k, k, params, col, gn, z, col, gn, true);
    }

    /**
     * Sends {@code ∂Z_t[:, 0:width]} back through the recurrent weights: {@code carry = ∂Z_t[:, 0:width]·W[:, 0:width]ᵀ},
     * or with {@code accumulate} {@code carry +=}. Does nothing at t = 0, whose state is not trained.
     */
    protected final void propagate(int t, int width, boolean accumulate) {
        if (t > 0) {
            ops.gemm(false, false, batch, n, width, dz, t * batch * gn, gn, wt, 0, n, carry, 0, n, accumulate);
        }
    }

    /**
     * {@code ∂[W; U][:, col..col+width) += P_allᵀ·∂Z_all[:, col..col+width)} over {@code rows} rows of
     * {@code packed} (laid out like {@link #hx}).
     */
    protected final void weightProduct(float[] packed, int col, int width, int rows, float[] grad) {
        ops.gemm(true, false, k, width, rows, packed, 0, k, dz, col, gn, grad, col, gn, true);
    }

    /** {@code φ'(z)} from φ's output {@code y = φ(z)}: {@code 1 − y²} for tanh, {@code [y > 0]} for relu. */
    protected final float derivative(float y) {
        return tanh ? 1f - y * y : (y > 0f ? 1f : 0f);
    }

    private void checkArguments(float[] params, float[] xs, int steps, float[] states) {
        if (steps < 0 || steps > maxSteps) {
            throw new IllegalArgumentException("steps " + steps + " outside [0, " + maxSteps
                    + "] (maxSteps of this kernel)");
        }
        requireLength(params, paramCount, "params", "the parameter count");
        requireLength(xs, (long) steps * batch * m, "xs", "steps·B·M");
        requireLength(states, (long) (steps + 1) * batch * sz, "states", "(steps+1)·B·S");
    }

    private void requireLength(float[] a, long needed, String what, String formula) {
        if (a == null || a.length < needed) {
            throw new IllegalArgumentException(what + " has " + (a == null ? "no array" : a.length + " entries")
                    + " but needs at least " + formula + " = " + needed + " (" + cellName + ", M=" + m + ", N=" + n
                    + ", B=" + batch + ", S=" + sz + ")");
        }
    }
}
