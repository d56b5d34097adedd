package org.rnnatlas.spi;

/**
 * Runs {@link WorkUnit}s on a worker. An {@link Executor} instantiates the runner by class name, through its public
 * no-arg constructor, in whichever JVM runs the unit (the driver's for {@code local}, an executor's for
 * {@code spark}), so a runner carries no state from the driver: everything comes from the unit's args and the
 * store. One instance may run several units, concurrently on several threads, so implementations are thread-safe.
 */
public interface UnitRunner {

    /**
     * Runs one unit to completion, writing its results to the store; a unit already finished in the store is left
     * as it is.
     *
     * @return one line describing the outcome for the driver's log, e.g. {@code "trained, validation MSE 0.002"}
     * @throws Exception when the unit cannot be completed; the executor records the failure and goes on with the
     *                   other units
     */
    String run(WorkUnit unit) throws Exception;
}
