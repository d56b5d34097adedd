package org.rnnatlas.spi;

/**
 * Hears, on the driver, about units as an {@link Executor} runs them: for progress bars and logs. Calls may come
 * from several threads at once, so implementations are thread-safe; they are quick and never throw.
 */
public interface ExecutionListener {

    /** A listener that ignores everything. */
    ExecutionListener NONE = new ExecutionListener() {
    };

    /** The unit was handed to a worker (an executor may not know this and never call it). */
    default void started(WorkUnit unit) {
    }

    /**
     * The unit ended.
     *
     * @param ok      whether it completed (a failure is also listed in {@link Executor.Result#failures()})
     * @param message the runner's outcome line when {@code ok}, else what went wrong
     */
    default void finished(WorkUnit unit, boolean ok, String message) {
    }
}
