package org.rnnatlas.executor.spark;

import org.rnnatlas.core.dynamics.DynamicsUnitRunner;
import org.rnnatlas.core.geometry.DistanceUnitRunner;
import org.rnnatlas.core.population.TrainUnitRunner;
import org.rnnatlas.spi.UnitRunner;
import org.rnnatlas.spi.WorkUnit;

/**
 * A test double: runs units like the runner of their kind ({@link TrainUnitRunner}, {@link DynamicsUnitRunner},
 * {@link DistanceUnitRunner}), except that the unit whose id is the system property {@value #PROPERTY} throws before
 * touching the store. Spark's {@code local[N]} runs tasks in the test's JVM, so the property reaches them.
 */
public final class FailingUnitRunner implements UnitRunner {
    static final String PROPERTY = "rnnatlas.test.fail-unit";
    private final TrainUnitRunner train = new TrainUnitRunner();
    private final DynamicsUnitRunner dynamics = new DynamicsUnitRunner();
    private final DistanceUnitRunner distances = new DistanceUnitRunner();

    public FailingUnitRunner() {
    }

    @Override
    public String run(WorkUnit unit) throws Exception {
        if (unit.id().equals(System.getProperty(PROPERTY))) {
            throw new IllegalStateException("injected failure of " + unit.id());
        }
        return switch (unit.kind()) {
            case DynamicsUnitRunner.KIND -> dynamics.run(unit);
            case DistanceUnitRunner.CHECK, DistanceUnitRunner.TILE_KIND -> distances.run(unit);
            default -> train.run(unit);
        };
    }
}
