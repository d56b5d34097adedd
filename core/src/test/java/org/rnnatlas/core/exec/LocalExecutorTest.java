package org.rnnatlas.core.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.spi.ExecutionListener;
import org.rnnatlas.spi.Executor;
import org.rnnatlas.spi.UnitRunner;
import org.rnnatlas.spi.WorkUnit;

class LocalExecutorTest {

    /** Fails the units whose arg "fail" is "yes", sleeping a little longer for earlier units to shuffle the order. */
    public static final class Runner implements UnitRunner {
        static final Set<String> THREADS = ConcurrentHashMap.newKeySet();

        public Runner() {
        }

        @Override
        public String run(WorkUnit unit) throws Exception {
            THREADS.add(Thread.currentThread().getName());
            Thread.sleep(Long.parseLong(unit.arg("sleep")));
            if (unit.arg("fail").equals("yes")) {
                throw new IllegalStateException("no " + unit.id());
            }
            return "did " + unit.id();
        }
    }

    private static List<WorkUnit> units(int n) {
        List<WorkUnit> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new WorkUnit("test", "u" + i, Map.of("sleep", Integer.toString(3 * (n - i)), "fail",
                    i % 3 == 1 ? "yes" : "no")));
        }
        return out;
    }

    @Test
    void runsEveryUnitOnceAndReportsFailuresInListOrder() throws Exception {
        Map<String, String> finished = new ConcurrentHashMap<>();
        Set<String> started = ConcurrentHashMap.newKeySet();
        Runner.THREADS.clear();
        Executor.Result r = new LocalExecutor().execute(units(9), Runner.class.getName(), 3, new ExecutionListener() {
            @Override
            public void started(WorkUnit unit) {
                assertTrue(started.add(unit.id()));
            }

            @Override
            public void finished(WorkUnit unit, boolean ok, String message) {
                assertEquals(null, finished.put(unit.id(), ok + " " + message));
            }
        });
        assertEquals(6, r.succeeded());
        assertEquals(List.of("u1", "u4", "u7"), r.failures().stream().map(f -> f.unit().id()).toList());
        assertEquals("java.lang.IllegalStateException: no u4", r.failures().get(1).message());
        assertEquals(9, started.size());
        assertEquals("true did u0", finished.get("u0"));
        assertEquals("false java.lang.IllegalStateException: no u1", finished.get("u1"));
        assertEquals(3, Runner.THREADS.size(), Runner.THREADS.toString());
    }

    @Test
    void badRunnerClassesAndParallelismAreRefusedWithReasons() {
        var e = assertThrows(IllegalArgumentException.class, () -> new LocalExecutor().execute(units(1),
                "org.example.Missing", 1, ExecutionListener.NONE));
        assertTrue(e.getMessage().contains("not on this worker's class path"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LocalExecutor().execute(units(1),
                String.class.getName(), 1, ExecutionListener.NONE));
        assertTrue(e.getMessage().contains("does not implement"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LocalExecutor().execute(units(1),
                Runner.class.getName(), 0, ExecutionListener.NONE));
        assertTrue(e.getMessage().contains("parallelism must be >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LocalExecutor().configure(Map.of("master", "x")));
        assertTrue(e.getMessage().contains("takes no options"), e.getMessage());
    }

    @Test
    void isTheRegisteredLocalExecutor() {
        assertEquals(LocalExecutor.class.getName(), Plugins.classPath().executors().entry("local").className());
    }
}
