package org.rnnatlas.core.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.rnnatlas.spi.ExecutionListener;
import org.rnnatlas.spi.Executor;
import org.rnnatlas.spi.UnitRunner;
import org.rnnatlas.spi.WorkUnit;

/**
 * The default executor: a fixed pool of {@code parallelism} threads in this JVM, each running one unit at a time,
 * in list order. One runner instance serves every thread. Takes no options.
 */
public final class LocalExecutor implements Executor {
    /** The executor's name, the default of {@code --executor}. */
    public static final String NAME = "local";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "threads in this JVM, one unit per thread at a time (--threads)";
    }

    @Override
    public Result execute(List<WorkUnit> units, String runnerClassName, int parallelism, ExecutionListener listener)
            throws InterruptedException {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
        }
        if (units.isEmpty()) {
            return new Result(0, List.of());
        }
        UnitRunner runner = UnitRunners.instantiate(runnerClassName, Thread.currentThread().getContextClassLoader()
                == null ? LocalExecutor.class.getClassLoader() : Thread.currentThread().getContextClassLoader());
        // indexed by position, so failures come back in list order whatever order the threads finish in
        java.util.concurrent.atomic.AtomicReferenceArray<Failure> failures =
                new java.util.concurrent.atomic.AtomicReferenceArray<>(units.size());
        AtomicInteger succeeded = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, units.size()), r -> {
            Thread th = new Thread(r);
            th.setName("rnnatlas-worker-" + th.threadId());
            return th;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < units.size(); i++) {
                WorkUnit u = units.get(i);
                int index = i;
                futures.add(pool.submit(() -> {
                    listener.started(u);
                    String message;
                    try {
                        message = runner.run(u);
                    } catch (Exception e) {
                        failures.set(index, new Failure(u, e.toString()));
                        listener.finished(u, false, e.toString());
                        return;
                    }
                    succeeded.incrementAndGet();
                    listener.finished(u, true, message == null ? "" : message);
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    // an Error in a unit (out of memory, a broken class): not something to go on after
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        List<Failure> ordered = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            if (failures.get(i) != null) {
                ordered.add(failures.get(i));
            }
        }
        return new Result(succeeded.get(), ordered);
    }

    @Override
    public Map<String, String> options() {
        return Map.of();
    }
}
