package org.rnnatlas.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.rnnatlas.core.geometry.DistanceMatrix;
import org.rnnatlas.core.io.Npy;
import org.rnnatlas.core.population.Manifest;
import org.rnnatlas.core.population.Store;

/**
 * {@code rnnatlas compare} on a population trained here (flip-flop, 8 networks: vanilla and GRU, tanh and relu, two
 * seeds): every matrix's shape, symmetry, zero diagonal and row names; a rerun that does nothing; a rerun after
 * losing one matrix that recomputes only it; and a store with a network whose states are constant (what a dead
 * relu network stores: its probe states overwritten with one value), which is skipped, reported and left out.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComparePopulationTest {
    @TempDir
    static Path dir;

    static Path store;
    static List<String> ids;

    private static final List<String> METRICS = List.of("svcca", "cka");

    @BeforeAll
    static void trainPopulation() throws Exception {
        store = dir.resolve("store");
        Cli.Result r = Cli.run("train", "--task", "flipflop", "--cell", "vanilla,gru", "--activation", "tanh,relu",
                "--units", "10", "--seeds", "0,1", "--iterations", "60", "--optimizer", "adam", "--lr", "0.01",
                "--threads", "2", "--out", store.toString());
        assertEquals(0, r.code(), r::toString);
        Manifest m = new Store(store).readManifest().orElseThrow();
        ids = m.networks().stream().map(Manifest.Entry::id).toList();
        assertEquals(8, ids.size());
    }

    @Test
    @Order(1)
    void everyMatrixHasItsShapeSymmetryDiagonalAndNamesAndARerunDoesNothing() throws Exception {
        Path s = copy(store, dir.resolve("full"));
        Cli.Result r = Cli.run("compare", s.toString(), "--metric", "svcca,cka", "--include-untrained", "--threads",
                "2");
        assertEquals(0, r.code(), r::toString);
        assertFalse(r.out().contains("Skipped"), r::toString);
        Path geo = s.resolve("geometry/flipflop");
        for (String metric : METRICS) {
            DistanceMatrix trained = DistanceMatrix.read(geo.resolve(metric + ".npy"));
            DistanceMatrix untrained = DistanceMatrix.read(geo.resolve(metric + "_untrained.npy"));
            DistanceMatrix cross = DistanceMatrix.read(geo.resolve(metric + "_trained_x_untrained.npy"));
            for (DistanceMatrix d : List.of(trained, untrained)) {
                assertEquals(ids, d.rowIds(), metric + ": rows in manifest order");
                assertEquals(ids, d.colIds());
                assertSquareDistances(d, metric);
                assertEquals(List.of(), d.metadata().get("skipped_rows"));
                assertEquals(List.of(), d.metadata().get("skipped_cols"));
            }
            assertEquals("trained-h", trained.metadata().get("row_states"));
            assertEquals("untrained-h", untrained.metadata().get("row_states"));
            assertEquals(ids, cross.rowIds());
            assertEquals(ids, cross.colIds());
            assertEquals("trained-h", cross.metadata().get("row_states"));
            assertEquals("untrained-h", cross.metadata().get("col_states"));
            assertEquals(metric, ((Map<?, ?>) trained.metadata().get("metric")).get("name"));
            for (double v : cross.data()) {
                assertTrue(v >= 0 && v <= 1, metric + " cross entry in [0, 1]: " + v);
            }
            // trained networks are not their own initial weights: the cross diagonal is not 0
            assertTrue(cross.get(0, 0) > 0, metric + ": a trained network differs from its initialisation");
            assertArrayEquals(new int[] {8, 2}, Npy.read(geo.resolve(metric + "_mds.npy")).shape());
            assertArrayEquals(new int[] {16, 2}, Npy.read(geo.resolve(metric + "_combined_mds.npy")).shape());
        }
        Map<String, byte[]> before = files(geo);
        assertEquals(METRICS.size() * 5 * 2, before.size(), "5 .npy files with their sidecars per metric: "
                + before.keySet());

        // a rerun finds all six matrices up to date and changes no byte
        Cli.Result again = Cli.run("compare", s.toString(), "--metric", "svcca,cka", "--include-untrained",
                "--threads", "2");
        assertEquals(0, again.code(), again::toString);
        assertEquals(6, count(again.out(), "already up to date"), again::toString);
        assertSameFiles(before, files(geo));

        // one matrix lost: only it is recomputed, to the same bytes
        Files.delete(geo.resolve("cka_untrained.npy"));
        Cli.Result resumed = Cli.run("compare", s.toString(), "--metric", "svcca,cka", "--include-untrained",
                "--threads", "1");
        assertEquals(0, resumed.code(), resumed::toString);
        assertEquals(5, count(resumed.out(), "already up to date"), resumed::toString);
        assertTrue(resumed.out().contains("cka_untrained.npy  (8 x 8)"), resumed::toString);
        assertSameFiles(before, files(geo));
    }

    @Test
    @Order(2) // compares with the intact store's matrices, which the first test wrote
    void aNetworkWithConstantStatesIsSkippedReportedAndLeftOut() throws Exception {
        Path s = copy(store, dir.resolve("dead"));
        String dead = ids.get(3);
        Path states = new Store(s).networkDir(dead).resolve("probe_states.npy");
        Npy.Array a = Npy.read(states);
        Npy.write(states, new float[a.data().length], a.shape()); // every unit 0 on every sample
        Cli.Result r = Cli.run("compare", s.toString(), "--metric", "svcca,cka", "--include-untrained", "--threads",
                "2");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("Skipped (no defined distance"), r::toString);
        for (String metric : METRICS) {
            assertTrue(r.out().contains("flipflop " + metric + ": " + dead + " (trained-h): constant states"),
                    r::toString);
        }
        List<String> kept = new ArrayList<>(ids);
        kept.remove(dead);
        Path geo = s.resolve("geometry/flipflop");
        Path full = dir.resolve("full/geometry/flipflop");
        for (String metric : METRICS) {
            DistanceMatrix trained = DistanceMatrix.read(geo.resolve(metric + ".npy"));
            assertEquals(kept, trained.rowIds());
            assertEquals(kept, trained.colIds());
            assertEquals(List.of(7, 7), trained.metadata().get("shape"));
            assertSquareDistances(trained, metric);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> skipped = (List<Map<String, Object>>) trained.metadata().get("skipped_rows");
            assertEquals(1, skipped.size());
            assertEquals(dead, skipped.get(0).get("id"));
            assertTrue(((String) skipped.get(0).get("reason")).contains("zero variance"), skipped.toString());
            assertTrue(r.out().contains(metric + ".npy  (7 x 7, 1 skipped)"), r::toString);
            // untrained states are intact: all 8; the cross matrix loses the dead network's row only
            DistanceMatrix untrained = DistanceMatrix.read(geo.resolve(metric + "_untrained.npy"));
            assertEquals(ids, untrained.rowIds());
            DistanceMatrix cross = DistanceMatrix.read(geo.resolve(metric + "_trained_x_untrained.npy"));
            assertEquals(kept, cross.rowIds());
            assertEquals(ids, cross.colIds());
            assertEquals(List.of(), cross.metadata().get("skipped_cols"));
            assertEquals(skipped, cross.metadata().get("skipped_rows"));
            assertArrayEquals(new int[] {7, 2}, Npy.read(geo.resolve(metric + "_mds.npy")).shape());
            assertArrayEquals(new int[] {15, 2}, Npy.read(geo.resolve(metric + "_combined_mds.npy")).shape());
            // the other networks' distances are those of the intact store (float tile products: to rounding)
            DistanceMatrix intact = DistanceMatrix.read(full.resolve(metric + ".npy"));
            for (int i = 0; i < kept.size(); i++) {
                for (int j = 0; j < kept.size(); j++) {
                    assertEquals(intact.get(ids.indexOf(kept.get(i)), ids.indexOf(kept.get(j))), trained.get(i, j),
                            1e-5, metric + " (" + kept.get(i) + ", " + kept.get(j) + ")");
                }
            }
        }
        // the rerun is up to date and still reports the skipped network
        Cli.Result again = Cli.run("compare", s.toString(), "--metric", "svcca", "--threads", "1");
        assertEquals(0, again.code(), again::toString);
        assertTrue(again.out().contains("svcca.npy  (7 x 7, 1 skipped, already up to date)"), again::toString);
        assertTrue(again.out().contains(dead + " (trained-h): constant states"), again::toString);
    }

    private static void assertSquareDistances(DistanceMatrix d, String metric) {
        boolean positive = false;
        for (int i = 0; i < d.rows(); i++) {
            assertEquals(0.0, d.get(i, i), metric + " diagonal");
            for (int j = 0; j < d.cols(); j++) {
                assertEquals(d.get(i, j), d.get(j, i), metric + " symmetric");
                assertTrue(d.get(i, j) >= 0 && d.get(i, j) <= 1, metric + " in [0, 1]: " + d.get(i, j));
                positive |= i != j && d.get(i, j) > 1e-3;
            }
        }
        assertTrue(positive, metric + ": different networks are at a positive distance");
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static Map<String, byte[]> files(Path geo) throws Exception {
        Map<String, byte[]> m = new TreeMap<>();
        try (var s = Files.list(geo)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                m.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    private static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (var e : expected.entrySet()) {
            assertTrue(Arrays.equals(e.getValue(), actual.get(e.getKey())), e.getKey() + " changed");
        }
    }

    /** A copy of the store without its geometry folder. */
    private static Path copy(Path from, Path to) throws Exception {
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
        return to;
    }
}
