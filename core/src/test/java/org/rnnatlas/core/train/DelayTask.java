package org.rnnatlas.core.train;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.rnnatlas.spi.Condition;
import org.rnnatlas.spi.Task;
import org.rnnatlas.spi.TaskShape;
import org.rnnatlas.spi.Trials;

/** A test-only task: two Gaussian input channels; targets y(t) = 0.5·x₀(t−1) and x₁(t) − x₀(t) (0 at t = 0). */
final class DelayTask implements Task {
    static final int STEPS = 6;

    @Override
    public String name() {
        return "delay";
    }

    @Override
    public TaskShape shape() {
        return new TaskShape(2, 2, STEPS);
    }

    @Override
    public void sample(RandomGenerator rng, int batch, float[] x, float[] y) {
        for (int t = 0; t < STEPS; t++) {
            for (int b = 0; b < batch; b++) {
                int o = (t * batch + b) * 2;
                x[o] = (float) rng.nextGaussian();
                x[o + 1] = (float) rng.nextGaussian();
                y[o] = t == 0 ? 0f : 0.5f * x[((t - 1) * batch + b) * 2];
                y[o + 1] = x[o + 1] - x[o];
            }
        }
    }

    @Override
    public Trials probe() {
        float[] x = new float[STEPS * 3 * 2];
        float[] y = new float[STEPS * 3 * 2];
        sample(new java.util.SplittableRandom(5), 3, x, y);
        return new Trials(3, STEPS, 2, 2, x, y, Map.of());
    }

    @Override
    public List<Condition> conditions() {
        return List.of(new Condition("zero", new double[2]));
    }
}
