package org.rnnatlas.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnatlas.core.geometry.DistanceMatrix;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.io.Npy;
import org.rnnatlas.core.population.Manifest;
import org.rnnatlas.core.population.Store;

class CompareCommandTest {
    @TempDir
    static Path dir;

    static Path store;

    @BeforeAll
    static void trainTinyPopulation() {
        store = dir.resolve("store");
        Cli.Result r = Cli.run("train", "--task", "cdi", "--cell", "vanilla,gru", "--activation", "tanh,relu",
                "--units", "6", "--seeds", "0,1", "--iterations", "30", "--optimizer", "adam", "--lr", "0.01",
                "--out", store.toString());
        assertEquals(0, r.code(), r::toString);
    }

    @Test
    void writesMatricesAndEmbeddingsForEveryMetric() throws Exception {
        Cli.Result r = Cli.run("compare", store.toString(), "--metric", "svcca,cka,procrustes", "--include-untrained",
                "--threads", "2");
        assertEquals(0, r.code(), r::toString);
        Path geo = store.resolve("geometry/cdi");
        Manifest m = new Store(store).readManifest().orElseThrow();
        List<String> ids = m.networks().stream().map(Manifest.Entry::id).toList();
        for (String metric : List.of("svcca", "cka", "procrustes")) {
            DistanceMatrix d = DistanceMatrix.read(geo.resolve(metric + ".npy"));
            assertEquals(ids, d.rowIds(), "rows in manifest order");
            for (int i = 0; i < d.rows(); i++) {
                assertEquals(0.0, d.get(i, i));
                for (int j = 0; j < d.cols(); j++) {
                    assertEquals(d.get(i, j), d.get(j, i));
                    assertTrue(d.get(i, j) >= 0 && d.get(i, j) <= 1, metric + " in [0, 1]: " + d.get(i, j));
                }
            }
            assertTrue(d.get(0, 1) > 0, "different networks are at a positive distance");
            var sidecar = Json.MAPPER.readTree(geo.resolve(metric + ".json").toFile());
            assertEquals(metric, sidecar.get("metric").get("name").asText());
            assertArrayEquals(new int[] {8, 2}, Npy.read(geo.resolve(metric + "_mds.npy")).shape());
            assertArrayEquals(new int[] {16, 2}, Npy.read(geo.resolve(metric + "_combined_mds.npy")).shape());
            DistanceMatrix cross = DistanceMatrix.read(geo.resolve(metric + "_trained_x_untrained.npy"));
            assertEquals(8, cross.rows());
            assertEquals(8, cross.cols());
        }
        Cli.Result again = Cli.run("compare", store.toString(), "--metric", "svcca", "--threads", "1");
        assertEquals(0, again.code(), again::toString);
        assertTrue(again.out().contains("already up to date"), again::toString);
    }

    @Test
    void oneAndTwoThreadsWriteTheSameMatrix() throws Exception {
        Path a = dir.resolve("copy-a");
        Path b = dir.resolve("copy-b");
        copy(store, a);
        copy(store, b);
        assertEquals(0, Cli.run("compare", a.toString(), "--metric", "cka", "--threads", "1").code());
        assertEquals(0, Cli.run("compare", b.toString(), "--metric", "cka", "--threads", "2").code());
        assertArrayEquals(Files.readAllBytes(a.resolve("geometry/cdi/cka.npy")),
                Files.readAllBytes(b.resolve("geometry/cdi/cka.npy")));
        assertArrayEquals(Files.readAllBytes(a.resolve("geometry/cdi/cka_mds.npy")),
                Files.readAllBytes(b.resolve("geometry/cdi/cka_mds.npy")));
    }

    @Test
    void badInputGetsOneLine() throws Exception {
        Cli.Result unknown = Cli.run("compare", store.toString(), "--metric", "svca");
        assertEquals(2, unknown.code(), unknown::toString);
        assertTrue(unknown.err().contains("Unknown metric 'svca'. Installed: [cka, procrustes, svcca]"),
                unknown::toString);
        Path empty = Files.createDirectories(dir.resolve("not-a-store"));
        Cli.Result notStore = Cli.run("compare", empty.toString());
        assertEquals(2, notStore.code(), notStore::toString);
        assertTrue(notStore.err().contains("is not an rnnatlas store"), notStore::toString);
        Cli.Result badOption = Cli.run("compare", store.toString(), "--metric", "svcca", "--option",
                "svcca.treshold=0.9");
        assertEquals(2, badOption.code(), badOption::toString);
        assertTrue(badOption.err().contains("treshold"), badOption::toString);
        Cli.Result badStates = Cli.run("compare", store.toString(), "--states", "c");
        assertEquals(2, badStates.code(), badStates::toString);
    }

    private static void copy(Path from, Path to) throws Exception {
        try (var s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else if (!p.toString().contains("/geometry/")) {
                    Files.copy(p, t);
                }
            }
        }
    }
}
