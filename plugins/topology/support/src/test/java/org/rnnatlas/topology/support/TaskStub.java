package org.rnnatlas.topology.support;

import java.util.List;
import java.util.random.RandomGenerator;
import org.rnnatlas.spi.Condition;
import org.rnnatlas.spi.Task;
import org.rnnatlas.spi.TaskShape;
import org.rnnatlas.spi.Trials;

/** A task with one condition; only its conditions matter to the labels. */
record TaskStub(List<Condition> conditions) implements Task {

    static TaskStub single() {
        return new TaskStub(List.of(new Condition("zero", new double[2])));
    }

    @Override
    public String name() {
        return "stub";
    }

    @Override
    public TaskShape shape() {
        return new TaskShape(2, 2, 1);
    }

    @Override
    public void sample(RandomGenerator rng, int batch, float[] x, float[] y) {
        throw new UnsupportedOperationException("labels need conditions only");
    }

    @Override
    public Trials probe() {
        throw new UnsupportedOperationException("labels need conditions only");
    }
}
