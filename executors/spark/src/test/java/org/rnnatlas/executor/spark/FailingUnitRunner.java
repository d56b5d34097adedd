package org.rnnatlas.executor.spark;

import org.rnnatlas.core.population.TrainUnitRunner;
import org.rnnatlas.spi.UnitRunner;
import org.rnnatlas.spi.WorkUnit;

/**
 * A test double: runs units like {@link TrainUnitRunner}, except that the unit whose id is the system property
 * {@value #PROPERTY} throws before touching the store. Spark's {@code local[N]} runs tasks in the test's JVM, so the
 * property reaches them.
 */
public final class FailingUnitRunner implements UnitRunner {
    static final String PROPERTY = "rnnatlas.test.fail-unit";
    private final TrainUnitRunner delegate = new TrainUnitRunner();

    public FailingUnitRunner() {
    }

    @Override
    public String run(WorkUnit unit) throws Exception {
        if (unit.id().equals(System.getProperty(PROPERTY))) {
            throw new IllegalStateException("injected failure of " + unit.id());
        }
        return delegate.run(unit);
    }
}
