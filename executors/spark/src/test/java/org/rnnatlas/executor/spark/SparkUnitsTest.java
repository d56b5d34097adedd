package org.rnnatlas.executor.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnatlas.cli.Main;
import org.rnnatlas.core.dynamics.DynamicsRunner;
import org.rnnatlas.core.dynamics.NetworkAnalysis;
import org.rnnatlas.core.exec.LocalExecutor;
import org.rnnatlas.core.geometry.AllPairs;
import org.rnnatlas.core.geometry.GeometryException;
import org.rnnatlas.core.geometry.Representations;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.core.population.PopulationRunner;
import org.rnnatlas.core.population.PopulationSpec;
import org.rnnatlas.core.population.Store;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.spi.Executor;
import org.rnnatlas.spi.SimilarityMetric;
import org.rnnatlas.spi.TopologyMetric;

/**
 * Dynamics and distance tiles as Spark units on {@code local[2]}: the whole study (train, compare, dynamics, report)
 * through the CLI gives the local executor's store byte for byte, and a dynamics or tile unit that fails mid-job
 * fails alone, keeps what the others finished, and the rerun computes only what was missing.
 */
class SparkUnitsTest {
    private static Executor spark;

    @BeforeAll
    static void start() {
        spark = Plugins.classPath().executors().get("spark").configure(Map.of("master", "local[2]"));
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    /** flipflop, vanilla and gru, 4 units, seeds 0..2, 30 iterations, no search: 6 networks. */
    private static PopulationSpec small() {
        return new PopulationSpec(PopulationSpec.FORMAT, "small", List.of("flipflop"), null, List.of("vanilla", "gru"),
                List.of("tanh"), List.of(4), List.of(1e-4), List.of(0L, 1L, 2L), 30, 16, "adam",
                new PopulationSpec.HyperparameterDefaults(3e-3, 0.5, 0, 0.9, 1.0),
                new PopulationSpec.Search(0, 0, 0), 64);
    }

    private static int run(StringWriter out, StringWriter err, String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void studyUnderSparkIsByteIdenticalToLocal(@TempDir Path dir) throws Exception {
        // the demo specs' shape, smaller: a 2-trial search, both activations, trained and untrained everywhere
        PopulationSpec spec = new PopulationSpec(PopulationSpec.FORMAT, "study", List.of("flipflop"), null,
                List.of("vanilla", "gru"), List.of("tanh", "relu"), List.of(4), List.of(1e-4), List.of(0L), 20, 16,
                "adam", new PopulationSpec.HyperparameterDefaults(3e-3, 0.5, 0, 0.9, 1.0),
                new PopulationSpec.Search(2, 10, 3), 64);
        Path specFile = dir.resolve("study.json");
        Json.write(specFile, spec);
        String[] common = {"--threads", "2", "--finder", "candidates=64", "--metric", "svcca,cka"};
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> local = new ArrayList<>(List.of("study", specFile.toString(), "--out",
                dir.resolve("local/study").toString()));
        local.addAll(List.of(common));
        assertEquals(0, run(out, err, local.toArray(String[]::new)), () -> out + "\n" + err);
        StringWriter sout = new StringWriter();
        StringWriter serr = new StringWriter();
        List<String> onSpark = new ArrayList<>(List.of("study", specFile.toString(), "--out",
                dir.resolve("spark/study").toString(), "--master", "local[2]"));
        onSpark.addAll(List.of(common));
        assertEquals(0, run(sout, serr, onSpark.toArray(String[]::new)), () -> sout + "\n" + serr);
        String log = serr.toString();
        assertTrue(log.contains("rnnatlas train --spec") && log.contains("--master local[2]"), log);
        assertTrue(log.contains("rnnatlas compare") && log.contains("rnnatlas dynamics"), log);

        // same store name (the report shows it), different folders
        Map<String, byte[]> a = Store.deterministicFiles(dir.resolve("local/study"));
        Map<String, byte[]> b = Store.deterministicFiles(dir.resolve("spark/study"));
        assertEquals(a.keySet(), b.keySet());
        assertTrue(a.keySet().stream().anyMatch(f -> f.startsWith("geometry/flipflop/svcca_trained_x_untrained")),
                a.keySet().toString());
        assertTrue(a.keySet().stream().anyMatch(f -> f.startsWith("dynamics/flipflop/untrained/")), a.keySet()
                .toString());
        assertTrue(a.keySet().contains("report/index.html"), a.keySet().toString());
        for (String f : a.keySet()) {
            if (f.equals("report/index.html")) {
                // the report names its store's folder; past that it must be the same
                assertEquals(new String(a.get(f), StandardCharsets.UTF_8).replace(dir.resolve("local/study")
                        .toString(), "STORE"), new String(b.get(f), StandardCharsets.UTF_8).replace(
                        dir.resolve("spark/study").toString(), "STORE"), f);
                continue;
            }
            assertArrayEquals(a.get(f), b.get(f), f + " differs between the local and the spark store");
        }
        // the analyses ran in Spark tasks, not on the driver's threads
        try (Stream<Path> s = Files.walk(dir.resolve("spark/study/dynamics"))) {
            List<Path> runs = s.filter(p -> p.getFileName().toString().equals("run.json")).toList();
            assertEquals(8, runs.size());
            for (Path p : runs) {
                assertTrue(Files.readString(p).contains("Executor task launch worker"), p.toString());
            }
        }
        // no tile folders or unit files are left behind
        try (Stream<Path> s = Files.walk(dir.resolve("spark/study/geometry"))) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tiles")));
        }
    }

    @Test
    void failedDynamicsUnitFailsAloneAndTheRerunCompletesOnlyIt(@TempDir Path dir) throws Exception {
        Path store = train(dir.resolve("store"));
        Path reference = dir.resolve("reference");
        copy(store, reference);
        NetworkAnalysis.Options analysis = analysisOptions();
        dynamics(reference, new LocalExecutor(), analysis, null, null);

        String failing = "flipflop-gru-tanh-n4-l2_1e-04-s1 (untrained)";
        DynamicsRunner.Summary first = dynamics(store, spark, analysis, FailingUnitRunner.class.getName(), failing);
        assertEquals(1, first.failed().size(), first.failed().toString());
        assertTrue(first.failed().getFirst().startsWith(failing + ": ") && first.failed().getFirst()
                .contains("injected failure"), first.failed().toString());
        assertEquals(11, first.analysed());
        Path missing = store.resolve("dynamics/flipflop/untrained/flipflop-gru-tanh-n4-l2_1e-04-s1");
        assertFalse(Files.exists(missing.resolve("analysis.json")));
        Map<String, String> runs = runRecords(store.resolve("dynamics"));
        assertEquals(11, runs.size());

        DynamicsRunner.Summary second = dynamics(store, spark, analysis, null, null);
        assertEquals(List.of(), second.failed());
        assertEquals(1, second.analysed());
        assertEquals(11, second.resumed());
        Map<String, String> after = runRecords(store.resolve("dynamics"));
        for (var e : runs.entrySet()) {
            // finished analyses were not redone: their run records (wall time, thread) are untouched
            assertEquals(e.getValue(), after.get(e.getKey()), e.getKey());
        }
        assertSameFiles(reference, store);
    }

    @Test
    void failedTileUnitFailsTheMatrixAndTheRerunComputesOnlyIt(@TempDir Path dir) throws Exception {
        Path store = train(dir.resolve("store"));
        Path reference = dir.resolve("reference");
        copy(store, reference);
        SimilarityMetric svcca = Plugins.classPath().similarityMetrics().get("svcca");
        // tile side 2 over 6 networks: 3 diagonal and 3 off-diagonal tiles, 9 tiles trained x untrained
        localMatrices(svcca, reference);

        Store s = new Store(store);
        Representations trained = new Representations(s, Representations.States.TRAINED);
        Representations untrained = new Representations(s, Representations.States.UNTRAINED);
        List<String> ids = ids(store);
        Path out = store.resolve("geometry/flipflop");
        AllPairs units = new AllPairs(svcca, Kernels.ops(), 2).withTileSize(2).withExecutor(spark, s,
                Plugins.classPath());
        System.setProperty(FailingUnitRunner.PROPERTY, "svcca tile 0,2");
        GeometryException e;
        try {
            e = assertThrows(GeometryException.class, () -> units.withUnitRunner(FailingUnitRunner.class.getName())
                    .square(trained.side(ids), out, "svcca"));
        } finally {
            System.clearProperty(FailingUnitRunner.PROPERTY);
        }
        assertTrue(e.getMessage().contains("1 of 6 units of distance matrix svcca failed")
                && e.getMessage().contains("svcca tile 0,2: java.lang.IllegalStateException: injected failure"),
                e.getMessage());
        Path tiles = out.resolve("svcca.tiles");
        assertFalse(Files.exists(tiles.resolve("tile-0-2.bin")));
        assertTrue(Files.exists(tiles.resolve("tile-0-1.bin")) && Files.exists(tiles.resolve("tile-2-2.bin")));
        assertFalse(Files.exists(out.resolve("svcca.npy")));
        long finished = Files.getLastModifiedTime(tiles.resolve("tile-1-2.bin")).toMillis();

        AtomicInteger resumed = new AtomicInteger(-1);
        AtomicInteger computed = new AtomicInteger();
        AllPairs.Result r = units.withListener(new AllPairs.Listener() {
            @Override
            public void planned(long pairs, long resumedPairs, int tiles, int resumedTiles) {
                resumed.set(resumedTiles);
            }

            @Override
            public void tileDone(long pairs) {
                computed.incrementAndGet();
            }
        }).square(trained.side(ids), out, "svcca");
        assertEquals(5, resumed.get());
        assertEquals(1, computed.get());
        assertEquals(1, r.tilesComputed());
        assertTrue(finished > 0);
        units.square(untrained.side(ids), out, "svcca_untrained");
        units.cross(trained.side(ids), untrained.side(ids), out, "svcca_trained_x_untrained");
        assertSameFiles(reference.resolve("geometry"), store.resolve("geometry"));
    }

    // ---------------------------------------------------------------- helpers

    private static Path train(Path out) throws Exception {
        PopulationRunner r = new PopulationRunner(Plugins.classPath(), Kernels.ops(), new LocalExecutor(), 2,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);
        PopulationRunner.Summary s = r.run(small(), out);
        assertEquals(List.of(), s.failed());
        assertEquals(6, s.trained(), "the small population trains without diverging");
        return out;
    }

    private static List<String> ids(Path store) throws IOException {
        return new Store(store).readManifest().orElseThrow().networks().stream().map(e -> e.id()).toList();
    }

    private static NetworkAnalysis.Options analysisOptions() {
        Plugins p = Plugins.classPath();
        List<TopologyMetric> metrics = new ArrayList<>();
        for (String name : p.topologyMetrics().names()) {
            metrics.add(p.topologyMetrics().get(name));
        }
        return new NetworkAnalysis.Options(Map.of("candidates", "64"), 0, metrics);
    }

    private static DynamicsRunner.Summary dynamics(Path store, Executor executor, NetworkAnalysis.Options options,
                                                   String runner, String failing) throws Exception {
        DynamicsRunner r = new DynamicsRunner(new Store(store), Plugins.classPath(), Kernels.ops(), executor,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);
        if (runner != null) {
            r = r.withUnitRunner(runner);
        }
        if (failing != null) {
            System.setProperty(FailingUnitRunner.PROPERTY, failing);
        }
        try {
            return r.run(new DynamicsRunner.Options(options, null, true, 2, false));
        } finally {
            System.clearProperty(FailingUnitRunner.PROPERTY);
        }
    }

    private static void localMatrices(SimilarityMetric metric, Path store) throws Exception {
        Store s = new Store(store);
        Representations trained = new Representations(s, Representations.States.TRAINED);
        Representations untrained = new Representations(s, Representations.States.UNTRAINED);
        List<String> ids = ids(store);
        Path out = store.resolve("geometry/flipflop");
        AllPairs local = new AllPairs(metric, Kernels.ops(), 2).withTileSize(2);
        local.square(trained.side(ids), out, "svcca");
        local.square(untrained.side(ids), out, "svcca_untrained");
        local.cross(trained.side(ids), untrained.side(ids), out, "svcca_trained_x_untrained");
    }

    /** run.json of every analysis, by path. */
    static Map<String, String> runRecords(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().equals("run.json")) {
                    m.put(root.relativize(p).toString(), Files.readString(p));
                }
            }
        }
        return m;
    }

    private static void assertSameFiles(Path expected, Path actual) throws IOException {
        Map<String, byte[]> a = Store.deterministicFiles(expected);
        Map<String, byte[]> b = Store.deterministicFiles(actual);
        assertEquals(a.keySet(), b.keySet());
        for (String f : a.keySet()) {
            assertArrayEquals(a.get(f), b.get(f), f + " differs");
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
