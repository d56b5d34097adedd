package org.rnnatlas.core.train;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;
import org.rnnatlas.spi.CellKernel;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.ParamBlock;
import org.rnnatlas.spi.Task;
import org.rnnatlas.spi.TaskShape;
import org.rnnatlas.spi.Trials;

/**
 * Trains one network on one task with backpropagation through time (SPEC §3): MSE over batch, time and outputs
 * plus L2 on every weight matrix, global-norm clipping, SGD with momentum or Adam, exponential rate decay.
 *
 * <p>A trainer owns every buffer it needs, allocated in the constructor; an iteration allocates nothing. It is used
 * by one thread. Given the same initial parameters and the same data generator state, it produces bit-identical
 * results (one network never spans threads).
 */
public final class Trainer {
    private final Model model;
    private final Task task;
    private final Ops ops;
    private final int batch;
    private final int steps;
    private final int m;
    private final int n;
    private final int k;
    private final int s;
    private final CellKernel kernel;
    private final float[] xs;
    private final float[] ys;
    private final float[] states;
    private final float[] out;
    private final float[] dY;
    private final float[] dH;
    private final float[] grad;
    private final float[] moment1;
    private final float[] moment2;
    private final int[] decayRanges;

    public Trainer(Model model, Task task, Ops ops, int batch) {
        this.model = Objects.requireNonNull(model, "model");
        this.task = Objects.requireNonNull(task, "task");
        this.ops = Objects.requireNonNull(ops, "ops");
        TaskShape shape = task.shape();
        if (shape.inputs() != model.inputs() || shape.outputs() != model.outputs()) {
            throw new IllegalArgumentException("task " + task.name() + " has " + shape.inputs() + " inputs and "
                    + shape.outputs() + " outputs, the model " + model.inputs() + " and " + model.outputs());
        }
        this.batch = batch;
        this.steps = shape.steps();
        this.m = shape.inputs();
        this.k = shape.outputs();
        this.n = model.hidden();
        this.s = model.stateSize();
        this.kernel = model.cell().kernel(ops, model.spec(), batch, steps);
        this.xs = new float[steps * batch * m];
        this.ys = new float[steps * batch * k];
        this.states = new float[(steps + 1) * batch * s];
        this.out = new float[steps * batch * k];
        this.dY = new float[steps * batch * k];
        this.dH = new float[steps * batch * n];
        this.grad = new float[model.parameterCount()];
        this.moment1 = new float[model.parameterCount()];
        this.moment2 = new float[model.parameterCount()];
        int ranges = 0;
        for (ParamBlock b : model.blocks()) {
            ranges += b.decays() ? 1 : 0;
        }
        this.decayRanges = new int[2 * ranges];
        int r = 0;
        for (int i = 0; i < model.blocks().size(); i++) {
            ParamBlock b = model.blocks().get(i);
            if (b.decays()) {
                decayRanges[r++] = model.offset(i);
                decayRanges[r++] = model.offset(i) + b.size();
            }
        }
    }

    /**
     * Trains {@code params} in place.
     *
     * @param data     the generator of training batches (consumed)
     * @param progress called once per finished iteration with the iteration index (may be null)
     */
    public TrainResult train(float[] params, Hyperparameters hp, double l2, RandomGenerator data, IntConsumer progress) {
        if (params.length != grad.length) {
            throw new IllegalArgumentException("params has " + params.length + " values, the model " + grad.length);
        }
        if (hp.batch() != batch) {
            throw new IllegalArgumentException("hyperparameters ask for batch " + hp.batch() + ", trainer built for " + batch);
        }
        if (!(l2 >= 0)) {
            throw new IllegalArgumentException("l2 must be >= 0, got " + l2);
        }
        Arrays.fill(moment1, 0f);
        Arrays.fill(moment2, 0f);
        float[] mse = new float[hp.iterations()];
        float[] objective = new float[hp.iterations()];
        double lastFinite = Double.NaN;
        int it = 0;
        boolean diverged = false;
        for (; it < hp.iterations(); it++) {
            task.sample(data, batch, xs, ys);
            double loss = forwardLoss(params, true);
            double penalty = l2 == 0 ? 0 : l2 * decayedSumSquares(params);
            if (!Double.isFinite(loss) || !Double.isFinite(penalty)) {
                diverged = true;
                break;
            }
            mse[it] = (float) loss;
            objective[it] = (float) (loss + penalty);
            lastFinite = loss;
            backward(params, l2);
            double norm = Math.sqrt(ops.sumSquares(grad, 0, grad.length));
            if (!Double.isFinite(norm)) {
                diverged = true;
                it++;
                break;
            }
            if (norm > hp.clip()) {
                float scale = (float) (hp.clip() / norm);
                for (int i = 0; i < grad.length; i++) {
                    grad[i] *= scale;
                }
            }
            update(params, hp, it);
            if (progress != null) {
                progress.accept(it);
            }
        }
        return new TrainResult(diverged, it, it == mse.length ? mse : Arrays.copyOf(mse, it),
                it == objective.length ? objective : Arrays.copyOf(objective, it), lastFinite, params);
    }

    /**
     * Draws one batch from {@code data} and returns the objective (MSE + L2 penalty) at {@code params}, writing its
     * gradient (before clipping) into {@code gradOut}. For checks and diagnostics; {@link #train} does the same inline.
     */
    public double objectiveAndGradient(float[] params, double l2, RandomGenerator data, float[] gradOut) {
        task.sample(data, batch, xs, ys);
        double loss = forwardLoss(params, true) + (l2 == 0 ? 0 : l2 * decayedSumSquares(params));
        backward(params, l2);
        System.arraycopy(grad, 0, gradOut, 0, grad.length);
        return loss;
    }

    /** Forward pass on the batch in {@code xs}/{@code ys}; returns the MSE; with {@code keepGradient} fills dY. */
    private double forwardLoss(float[] params, boolean keepGradient) {
        Arrays.fill(states, 0, batch * s, 0f);
        kernel.forward(params, xs, steps, states);
        readout(params);
        int len = steps * batch * k;
        double sum = 0;
        float scale = 2f / len;
        for (int i = 0; i < len; i++) {
            float e = out[i] - ys[i];
            sum += (double) e * e;
            if (keepGradient) {
                dY[i] = scale * e;
            }
        }
        return sum / len;
    }

    /** out = H·W_out + b_out over all T·B rows; H is the first N entries of each state row. */
    private void readout(float[] params) {
        int rows = steps * batch;
        ops.gemm(false, false, rows, k, n, states, batch * s, s, params, model.readoutWeightOffset(), k,
                out, 0, k, false);
        ops.broadcastRows(params, model.readoutBiasOffset(), out, 0, rows, k, k, true);
    }

    private void backward(float[] params, double l2) {
        Arrays.fill(grad, 0f);
        int rows = steps * batch;
        int wo = model.readoutWeightOffset();
        // readout gradients: dW_out = Hᵀ dY, db_out = Σ dY, dH = dY W_outᵀ
        ops.gemm(true, false, n, k, rows, states, batch * s, s, dY, 0, k, grad, wo, k, true);
        ops.sumRows(dY, 0, rows, k, k, grad, model.readoutBiasOffset());
        ops.gemm(false, true, rows, n, k, dY, 0, k, params, wo, k, dH, 0, n, false);
        kernel.backward(params, xs, steps, states, dH, grad);
        if (l2 != 0) {
            float c = (float) (2 * l2);
            for (int r = 0; r < decayRanges.length; r += 2) {
                int from = decayRanges[r];
                ops.axpy(c, params, from, grad, from, decayRanges[r + 1] - from);
            }
        }
    }

    private double decayedSumSquares(float[] params) {
        double sum = 0;
        for (int r = 0; r < decayRanges.length; r += 2) {
            sum += ops.sumSquares(params, decayRanges[r], decayRanges[r + 1] - decayRanges[r]);
        }
        return sum;
    }

    private void update(float[] params, Hyperparameters hp, int it) {
        float lr = (float) hp.learningRateAt(it);
        float mom = (float) hp.momentum();
        if (hp.optimizer() == Optimizer.SGD) {
            for (int i = 0; i < params.length; i++) {
                float v = mom * moment1[i] - lr * grad[i];
                moment1[i] = v;
                params[i] += v;
            }
        } else {
            float b1 = mom;
            float b2 = (float) Hyperparameters.ADAM_BETA2;
            double c1 = 1 - Math.pow(b1, it + 1);
            double c2 = 1 - Math.pow(b2, it + 1);
            // bias corrections folded into the step size: lr·√c2/c1, and ε scaled to match
            float step = (float) (lr * Math.sqrt(c2) / c1);
            float eps = (float) (Hyperparameters.ADAM_EPSILON * Math.sqrt(c2));
            for (int i = 0; i < params.length; i++) {
                float g = grad[i];
                float m1 = b1 * moment1[i] + (1 - b1) * g;
                float m2 = b2 * moment2[i] + (1 - b2) * g * g;
                moment1[i] = m1;
                moment2[i] = m2;
                params[i] -= step * m1 / ((float) Math.sqrt(m2) + eps);
            }
        }
    }

    /**
     * Mean squared error of the network on {@code trials} (no L2), evaluated in chunks of the trainer's batch.
     * With {@code statesOut} non-null, also writes the states after each step, trial-major:
     * {@code count × steps × S}.
     */
    public double evaluate(float[] params, Trials trials, float[] statesOut) {
        if (trials.steps() != steps || trials.inputs() != m || trials.outputs() != k) {
            throw new IllegalArgumentException("trials of shape T=" + trials.steps() + " M=" + trials.inputs()
                    + " K=" + trials.outputs() + " do not fit the task " + task.name());
        }
        int count = trials.count();
        double sum = 0;
        for (int first = 0; first < count; first += batch) {
            int rows = Math.min(batch, count - first);
            Arrays.fill(xs, 0f);
            for (int t = 0; t < steps; t++) {
                System.arraycopy(trials.x(), (t * count + first) * m, xs, t * batch * m, rows * m);
            }
            Arrays.fill(states, 0, batch * s, 0f);
            kernel.forward(params, xs, steps, states);
            readout(params);
            for (int t = 0; t < steps; t++) {
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < k; j++) {
                        double e = out[(t * batch + r) * k + j] - trials.y()[(t * count + first + r) * k + j];
                        sum += e * e;
                    }
                }
            }
            if (statesOut != null) {
                for (int r = 0; r < rows; r++) {
                    for (int t = 0; t < steps; t++) {
                        System.arraycopy(states, ((t + 1) * batch + r) * s, statesOut,
                                ((first + r) * steps + t) * s, s);
                    }
                }
            }
        }
        return sum / ((double) count * steps * k);
    }

    public Model model() {
        return model;
    }
}
