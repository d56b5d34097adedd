package org.rnnatlas.core.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Everything that sets one training run apart from another with the same architecture and seed (SPEC §3).
 *
 * @param optimizer    SGD with momentum, or Adam
 * @param learningRate lr₀, the initial rate
 * @param decay        the rate falls as lr(t) = lr₀ · decay^(t / decaySteps)
 * @param decaySteps   the decay period; with the default (the run's iterations) decay is the final/initial ratio
 * @param momentum     classical momentum m for SGD (v ← m·v − lr·g); Adam's β₁ for Adam
 * @param clip         global gradient-norm threshold
 * @param batch        trials per batch
 * @param iterations   training iterations
 */
public record Hyperparameters(
        @JsonProperty("optimizer") Optimizer optimizer,
        @JsonProperty("learning_rate") double learningRate,
        @JsonProperty("decay") double decay,
        @JsonProperty("decay_steps") int decaySteps,
        @JsonProperty("momentum") double momentum,
        @JsonProperty("clip") double clip,
        @JsonProperty("batch") int batch,
        @JsonProperty("iterations") int iterations) {

    /** Adam's second-moment decay and denominator guard, fixed. */
    public static final double ADAM_BETA2 = 0.999;
    public static final double ADAM_EPSILON = 1e-8;

    public Hyperparameters {
        Objects.requireNonNull(optimizer, "optimizer");
        check(learningRate > 0 && Double.isFinite(learningRate), "learning_rate must be > 0, got " + learningRate);
        check(decay > 0 && decay <= 1, "decay must be in (0, 1], got " + decay);
        check(decaySteps >= 1, "decay_steps must be >= 1, got " + decaySteps);
        check(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        check(clip > 0, "clip must be > 0, got " + clip);
        check(batch >= 1, "batch must be >= 1, got " + batch);
        check(iterations >= 1, "iterations must be >= 1, got " + iterations);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** lr(t) = lr₀ · decay^(t / decaySteps). */
    public double learningRateAt(int iteration) {
        return learningRate * Math.pow(decay, (double) iteration / decaySteps);
    }

    public Hyperparameters withIterations(int newIterations, int newDecaySteps) {
        return new Hyperparameters(optimizer, learningRate, decay, newDecaySteps, momentum, clip, batch, newIterations);
    }
}
