package org.rnnatlas.core.train;

/**
 * The outcome of one training run.
 *
 * @param diverged        the loss became NaN or infinite; training stopped there
 * @param iterationsRun   iterations completed (fewer than asked when diverged)
 * @param mse             per-iteration training MSE (without the L2 term), length {@code iterationsRun}
 * @param objective       per-iteration training objective (MSE + L2 penalty)
 * @param lastFiniteLoss  the last finite training MSE
 * @param params          the trained parameters (undefined when diverged)
 */
public record TrainResult(boolean diverged, int iterationsRun, float[] mse, float[] objective,
                          double lastFiniteLoss, float[] params) {
}
