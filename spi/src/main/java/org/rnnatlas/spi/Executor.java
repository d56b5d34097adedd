package org.rnnatlas.spi;

import java.util.List;
import java.util.Map;

/**
 * Runs a list of {@link WorkUnit}s somewhere: on a thread pool in this JVM ({@code local}), on a Spark cluster
 * ({@code spark}), and so on. Discovered with {@link java.util.ServiceLoader} like cells and tasks; chosen with
 * {@code rnnatlas train --executor NAME}.
 *
 * <p>Contract: every unit is run at least once (a retried task may run one twice, which units tolerate, see
 * {@link WorkUnit}) unless the call is interrupted; a unit that throws is reported in {@link Result#failures()} and
 * never stops the others; {@link ExecutionListener#finished} is called once per unit on the driver. Results never
 * depend on the executor, its parallelism or the order in which units finish: units write them to the store.
 *
 * <p>An executor may hold resources between calls (a Spark context); {@link #close()} releases them.
 */
public interface Executor extends Named, AutoCloseable {

    /** A unit that did not complete, and why. */
    record Failure(WorkUnit unit, String message) {
    }

    /** What one {@link #execute} call did. */
    record Result(int succeeded, List<Failure> failures) {
        public Result {
            failures = List.copyOf(failures);
        }
    }

    /**
     * Runs the units and returns when all have ended.
     *
     * @param runnerClassName the {@link UnitRunner} implementation, instantiated on each worker by its no-arg
     *                        constructor; it must be on the workers' class path
     * @param parallelism     units at once for executors that decide it themselves ({@code local}: threads);
     *                        cluster executors use the cluster's cores and may ignore it
     * @throws InterruptedException when the driver is interrupted while waiting
     */
    Result execute(List<WorkUnit> units, String runnerClassName, int parallelism, ExecutionListener listener)
            throws InterruptedException;

    /** The options in force, including defaults (e.g. {@code master=local[2]}); recorded in the run log. */
    default Map<String, String> options() {
        return Map.of();
    }

    /** A copy with the given options set; unknown or malformed options throw {@link IllegalArgumentException}. */
    default Executor configure(Map<String, String> options) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("Executor '" + name() + "' takes no options, got " + options.keySet());
        }
        return this;
    }

    /** Releases what the executor holds between calls; the default holds nothing. */
    @Override
    default void close() {
    }
}
