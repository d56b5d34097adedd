package org.rnnatlas.executor.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.core.population.PopulationRunner;
import org.rnnatlas.core.population.PopulationSpec;
import org.rnnatlas.core.population.Store;
import org.rnnatlas.core.population.TrainUnitRunner;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.spi.ExecutionListener;
import org.rnnatlas.spi.Executor;
import org.rnnatlas.spi.WorkUnit;

/**
 * The spark executor on {@code local[2]} against the local executor: the same population gives the same store byte
 * for byte, one failing unit fails alone, and a rerun completes only what was missing.
 */
class SparkExecutorTest {
    private static Executor spark;

    @BeforeAll
    static void start() {
        spark = Plugins.classPath().executors().get("spark").configure(Map.of("master", "local[2]"));
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    /** flipflop, vanilla and gru, 4 units, 2 seeds, 20 iterations, a 2-trial search of 10 iterations: 8 units. */
    private static PopulationSpec tiny() {
        return new PopulationSpec(PopulationSpec.FORMAT, "tiny", List.of("flipflop"), null, List.of("vanilla", "gru"),
                List.of("tanh"), List.of(4), List.of(1e-4), List.of(0L, 1L), 20, 16, "adam",
                new PopulationSpec.HyperparameterDefaults(3e-3, 0.5, 0, 0.9, 1.0),
                new PopulationSpec.Search(2, 10, 7), 64);
    }

    private static PopulationRunner.Summary train(Executor executor, Path out, ByteArrayOutputStream log,
                                                  String unitRunner) throws Exception {
        PopulationRunner r = new PopulationRunner(Plugins.classPath(), Kernels.ops(), executor, 2,
                new PrintStream(log, true, StandardCharsets.UTF_8), false);
        return (unitRunner == null ? r : r.withUnitRunner(unitRunner)).run(tiny(), out);
    }


    private static void assertSameStore(Path expected, Path actual) throws IOException {
        Map<String, byte[]> a = Store.deterministicFiles(expected);
        Map<String, byte[]> b = Store.deterministicFiles(actual);
        assertEquals(a.keySet(), b.keySet());
        for (String f : a.keySet()) {
            assertArrayEquals(a.get(f), b.get(f), f + " differs between the stores");
        }
    }

    @Test
    void sparkStoreIsByteIdenticalToLocal(@TempDir Path dir) throws Exception {
        PopulationRunner.Summary local = train(new org.rnnatlas.core.exec.LocalExecutor(), dir.resolve("local"),
                new ByteArrayOutputStream(), null);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PopulationRunner.Summary s = train(spark, dir.resolve("spark"), log, null);
        assertEquals(List.of(), local.failed());
        assertEquals(List.of(), s.failed());
        assertEquals(4, s.trained() + s.diverged());
        assertEquals(local.trained(), s.trained());
        // 4 search trials + 4 networks, 2 per configuration, each reported by the driver
        assertEquals(4, Store.deterministicFiles(dir.resolve("spark")).keySet().stream()
                .filter(f -> f.startsWith("search/")).count());
        assertSameStore(dir.resolve("local"), dir.resolve("spark"));
        // the networks really ran in Spark tasks, not on the driver's pool
        String runJson = Files.readString(dir.resolve("spark/networks/flipflop-gru-tanh-n4-l2_1e-04-s1/run.json"));
        assertTrue(runJson.contains("Executor task launch worker"), runJson);
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("executor spark {master=local[2]}"), text);
        assertTrue(text.contains("flipflop-vanilla-tanh-n4-l2_1e-04-s0"), text);
        assertTrue(Files.readString(dir.resolve("spark/runs.log")).contains("\"executor\":\"spark\""));

        // running a finished unit again is a no-op: same answer, no file touched (run.json included)
        Map<String, byte[]> before = Store.deterministicFiles(dir.resolve("spark"));
        WorkUnit again = TrainUnitRunner.networkUnit(new Store(dir.resolve("spark")), tiny().normalized().networks()
                .getFirst(), Kernels.ops(), Plugins.classPath());
        Executor.Result r = spark.execute(List.of(again), TrainUnitRunner.class.getName(), 1, ExecutionListener.NONE);
        assertEquals(1, r.succeeded());
        assertEquals(runJson, Files.readString(dir.resolve("spark/networks/flipflop-gru-tanh-n4-l2_1e-04-s1/run.json")));
        assertEquals("flipflop-vanilla-tanh-n4-l2_1e-04-s0 finished already", new TrainUnitRunner().run(again));
        Map<String, byte[]> after = Store.deterministicFiles(dir.resolve("spark"));
        assertEquals(before.keySet(), after.keySet());
        for (String f : before.keySet()) {
            assertArrayEquals(before.get(f), after.get(f), f);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"flipflop-gru-tanh-n4-l2_1e-04-s0", "search flipflop-vanilla-tanh-n4-l2_1e-04 trial 1"})
    void aFailedUnitFailsAloneAndTheRerunCompletesOnlyIt(String failing, @TempDir Path dir) throws Exception {
        train(new org.rnnatlas.core.exec.LocalExecutor(), dir.resolve("reference"), new ByteArrayOutputStream(), null);
        Path store = dir.resolve("store");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PopulationRunner.Summary first;
        System.setProperty(FailingUnitRunner.PROPERTY, failing);
        try {
            first = train(spark, store, log, FailingUnitRunner.class.getName());
        } finally {
            System.clearProperty(FailingUnitRunner.PROPERTY);
        }
        boolean search = failing.startsWith("search ");
        // a failed search trial holds back the two networks of its configuration, nothing else
        List<String> missing = search ? List.of("flipflop-vanilla-tanh-n4-l2_1e-04-s0",
                "flipflop-vanilla-tanh-n4-l2_1e-04-s1") : List.of(failing);
        assertEquals(search ? 3 : 1, first.failed().size(), first.failed().toString());
        assertTrue(first.failed().getFirst().startsWith(failing + ": "), first.failed().toString());
        assertTrue(first.failed().getFirst().contains("injected failure"), first.failed().toString());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("FAILED " + failing), log.toString());
        assertEquals(4 - missing.size(), first.trained() + first.diverged());
        Map<String, String> runs = new TreeMap<>();
        for (String id : List.of("flipflop-vanilla-tanh-n4-l2_1e-04-s0", "flipflop-vanilla-tanh-n4-l2_1e-04-s1",
                "flipflop-gru-tanh-n4-l2_1e-04-s0", "flipflop-gru-tanh-n4-l2_1e-04-s1")) {
            Path net = store.resolve("networks").resolve(id).resolve("network.json");
            assertEquals(!missing.contains(id), Files.exists(net), id);
            if (Files.exists(net)) {
                runs.put(id, Files.readString(net.resolveSibling("run.json")));
            }
        }

        PopulationRunner.Summary second = train(spark, store, new ByteArrayOutputStream(), null);
        assertEquals(List.of(), second.failed());
        assertEquals(missing.size(), second.trained() + second.diverged());
        assertEquals(4 - missing.size(), second.skipped());
        for (var e : runs.entrySet()) {
            // finished networks were not trained again: their run records (wall time, thread) are untouched
            assertEquals(e.getValue(), Files.readString(store.resolve("networks").resolve(e.getKey())
                    .resolve("run.json")), e.getKey());
        }
        assertSameStore(dir.resolve("reference"), store);
    }

    @Test
    void everyUnitIsReportedOnceAndFailuresComeBackInListOrder() throws Exception {
        List<WorkUnit> units = List.of(new WorkUnit("none", "a", Map.of()), new WorkUnit("none", "b", Map.of()),
                new WorkUnit("none", "c", Map.of()));
        Map<String, Boolean> seen = new java.util.concurrent.ConcurrentHashMap<>();
        Executor.Result r = spark.execute(units, FailingUnitRunner.class.getName(), 1, new ExecutionListener() {
            @Override
            public void finished(WorkUnit unit, boolean ok, String message) {
                assertFalse(seen.containsKey(unit.id()), unit.id() + " reported twice");
                seen.put(unit.id(), ok);
            }
        });
        // TrainUnitRunner refuses units without a store argument: each fails on its own
        assertEquals(Map.of("a", false, "b", false, "c", false), seen);
        assertEquals(0, r.succeeded());
        assertEquals(List.of("a", "b", "c"), r.failures().stream().map(f -> f.unit().id()).toList());
        assertTrue(r.failures().getFirst().message().contains("has no argument 'store'"), r.failures().toString());
        Executor.Result missing = spark.execute(units.subList(0, 1), "org.example.NoSuchRunner", 1,
                ExecutionListener.NONE);
        assertTrue(missing.failures().getFirst().message().contains("is not on this worker's class path"),
                missing.failures().toString());
    }

    @Test
    void optionsAreCheckedAndRecorded() {
        assertEquals("local[2]", spark.options().get("master"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> spark.configure(Map.of("mastr", "local[1]")));
        assertTrue(e.getMessage().contains("mastr") && e.getMessage().contains("master=URL"), e.getMessage());
        assertEquals("4g", spark.configure(Map.of("spark.executor.memory", "4g")).options().get("spark.executor.memory"));
    }
}
