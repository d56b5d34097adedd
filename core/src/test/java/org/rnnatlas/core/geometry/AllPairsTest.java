package org.rnnatlas.core.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.io.Npy;
import org.rnnatlas.core.kernel.ScalarOps;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.Representation;
import org.rnnatlas.spi.SimilarityMetric;

class AllPairsTest {
    private static final Ops OPS = new ScalarOps();
    @TempDir
    Path dir;

    private static SyntheticRepresentations population(int n, long seed) {
        return new SyntheticRepresentations(n, 64, 3, seed);
    }

    /** The reference: every pair through {@link SimilarityMetric#distance}, the upper triangle mirrored. */
    private static double[] perPair(SimilarityMetric m, List<Representation> rows, List<Representation> cols,
                                    boolean square) {
        List<SimilarityMetric.Prepared> pr = rows.stream().map(m::prepare).toList();
        List<SimilarityMetric.Prepared> pc = cols.stream().map(m::prepare).toList();
        int nr = rows.size();
        int nc = cols.size();
        double[] d = new double[nr * nc];
        for (int i = 0; i < nr; i++) {
            for (int j = 0; j < nc; j++) {
                if (!square) {
                    d[i * nc + j] = m.distance(pr.get(i), pc.get(j));
                } else if (i < j) {
                    d[i * nc + j] = m.distance(pr.get(i), pc.get(j));
                    d[j * nc + i] = d[i * nc + j];
                }
            }
        }
        return d;
    }

    private static List<Representation> all(SyntheticRepresentations p) {
        List<Representation> l = new ArrayList<>();
        for (int i = 0; i < p.size(); i++) {
            l.add(p.get(i));
        }
        return l;
    }

    @Test
    void squareMatrixEqualsPerPairLoopAndIsSymmetricWithZeroDiagonal() throws Exception {
        var pop = population(23, 1);
        var metric = new ChunkEnergyMetric();
        var r = new AllPairs(metric, OPS, 2).withTileSize(5).square(pop.side(), dir, "chunk");
        assertEquals(15, r.tiles()); // 5 blocks (5,5,5,5,3): 5·6/2 upper-triangle tiles
        assertEquals(0, r.tilesResumed());
        DistanceMatrix dm = DistanceMatrix.read(r.matrix());
        assertEquals(pop.ids(), dm.rowIds());
        assertEquals(pop.ids(), dm.colIds());
        assertTrue(dm.square());
        double[] expected = perPair(metric, all(pop), all(pop), true);
        assertArrayEquals(expected, dm.data());
        boolean someNonZero = false;
        for (int i = 0; i < 23; i++) {
            assertEquals(0.0, dm.get(i, i));
            for (int j = 0; j < 23; j++) {
                assertEquals(dm.get(i, j), dm.get(j, i));
                someNonZero |= dm.get(i, j) > 1e-3;
            }
        }
        assertTrue(someNonZero, "a test population whose distances are all 0 would prove nothing");
        assertFalse(Files.exists(dir.resolve("chunk.tiles")), "tiles are removed once the matrix is written");
        // the sidecar
        Map<String, Object> meta = dm.metadata();
        assertEquals(AllPairs.FORMAT, meta.get("format"));
        assertEquals("square", meta.get("mode"));
        assertEquals(5, meta.get("tile_size"));
        assertEquals(List.of(23, 23), meta.get("shape"));
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) meta.get("metric");
        assertEquals("chunk-energy", m.get("name"));
        assertEquals(Map.of("power", "1.0"), m.get("options"));
        assertEquals(0.0, m.get("error_bound"));
        @SuppressWarnings("unchecked")
        Map<String, Object> prov = (Map<String, Object>) meta.get("provenance");
        assertEquals("scalar", prov.get("kernel"));
        assertTrue(prov.containsKey("rnnatlas_commit") && prov.containsKey("jdk"));
        assertEquals(0, ((Number) meta.get("non_finite")).intValue());
    }

    @Test
    void matrixFileIsTheNpyThatNpyWrites() throws Exception {
        var pop = population(9, 2);
        var r = new AllPairs(new ChunkEnergyMetric(), OPS, 1).withTileSize(4).square(pop.side(), dir, "m");
        double[] data = Npy.read(r.matrix()).data();
        Npy.write(dir.resolve("ref.npy"), data, 9, 9);
        assertArrayEquals(Files.readAllBytes(dir.resolve("ref.npy")), Files.readAllBytes(r.matrix()));
    }

    @Test
    void tiledGemmMetricAgreesWithPerPairLoopToFloatRounding() throws Exception {
        var pop = population(17, 3);
        var metric = new ChunkEnergyMetric().withGemmTiles();
        var r = new AllPairs(metric, OPS, 2).withTileSize(6).square(pop.side(), dir, "gemm");
        double[] got = Npy.read(r.matrix()).data();
        double[] expected = perPair(metric, all(pop), all(pop), true);
        for (int i = 0; i < got.length; i++) {
            // d = ‖x−y‖/2 from 2 − 2x·y in float: error ≈ 1e-7 / d near small d; 2e-3 absolute is loose but finite
            assertEquals(expected[i], got[i], 2e-3, "entry " + i);
        }
    }

    @Test
    void sameBytesForAnyThreadCountAndTileSizesThatDoOrDoNotDivideN() throws Exception {
        var pop = population(24, 4);
        var gemm = new ChunkEnergyMetric().withGemmTiles();
        byte[] one = Files.readAllBytes(new AllPairs(gemm, OPS, 1).withTileSize(5)
                .square(pop.side(), dir.resolve("t1"), "d").matrix());
        byte[] two = Files.readAllBytes(new AllPairs(gemm, OPS, 2).withTileSize(5)
                .square(pop.side(), dir.resolve("t2"), "d").matrix());
        assertArrayEquals(one, two);
        assertArrayEquals(Files.readAllBytes(dir.resolve("t1/d.json")), Files.readAllBytes(dir.resolve("t2/d.json")));
        // the per-pair metric gives the same values whatever the tiling: 8 divides 24, 5 and 7 do not
        var plain = new ChunkEnergyMetric();
        byte[] ref = null;
        for (int t : new int[] {8, 5, 7, 24, 100}) {
            for (int threads : new int[] {1, 2}) {
                byte[] b = Files.readAllBytes(new AllPairs(plain, OPS, threads).withTileSize(t)
                        .square(pop.side(), dir.resolve("p" + t + "-" + threads), "d").matrix());
                if (ref == null) {
                    ref = b;
                }
                assertArrayEquals(ref, b, "tile " + t + ", threads " + threads);
            }
        }
    }

    /** A listener that "kills" the run after {@code limit} finished tiles, as a crash would. */
    private static final class Killer implements AllPairs.Listener {
        final int limit;
        final AtomicInteger done = new AtomicInteger();

        Killer(int limit) {
            this.limit = limit;
        }

        @Override
        public void tileDone(long pairs) {
            if (done.incrementAndGet() == limit) {
                throw new IllegalStateException("killed");
            }
        }
    }

    /** Counts representations loaded, so tests see what a resumed run recomputes. */
    private static AllPairs.Side counting(SyntheticRepresentations pop, AtomicInteger loads) {
        return new AllPairs.Side(pop.ids(), pop.side().states(), id -> {
            loads.incrementAndGet();
            return pop.load(id);
        });
    }

    @Test
    void killedRunResumesFromFinishedTilesWithTheSameBytes() throws Exception {
        var pop = population(22, 5);
        var metric = new ChunkEnergyMetric().withGemmTiles();
        byte[] fresh = Files.readAllBytes(new AllPairs(metric, OPS, 2).withTileSize(4)
                .square(pop.side(), dir.resolve("fresh"), "d").matrix());
        Path out = dir.resolve("killed");
        var ex = assertThrows(IllegalStateException.class, () -> new AllPairs(metric, OPS, 1).withTileSize(4)
                .withListener(new Killer(7)).square(pop.side(), out, "d"));
        assertEquals("killed", ex.getMessage());
        Path tiles = out.resolve("d.tiles");
        assertEquals(7, countTiles(tiles));
        assertFalse(Files.exists(out.resolve("d.npy")));
        // a kill mid-write leaves a temporary; one tile is lost, one damaged
        Files.writeString(tiles.resolve(".tile-5-5.bin.tmp-99"), "half a tile");
        Files.delete(tiles.resolve("tile-0-0.bin"));
        Path damaged = tiles.resolve("tile-0-1.bin");
        byte[] b = Files.readAllBytes(damaged);
        b[b.length / 2] ^= 1;
        Files.write(damaged, b);

        AtomicInteger loads = new AtomicInteger();
        var r = new AllPairs(metric, OPS, 2).withTileSize(4).square(counting(pop, loads), out, "d");
        assertEquals(21, r.tiles()); // 6 blocks: 6·7/2
        assertEquals(5, r.tilesResumed());
        assertEquals(16, r.tilesComputed());
        assertArrayEquals(fresh, Files.readAllBytes(r.matrix()));
        assertFalse(Files.exists(tiles));
        assertArrayEquals(Files.readAllBytes(dir.resolve("fresh/d.json")), Files.readAllBytes(out.resolve("d.json")));

        // a rerun finds the matrix up to date and loads nothing
        loads.set(0);
        var again = new AllPairs(metric, OPS, 2).withTileSize(4).square(counting(pop, loads), out, "d");
        assertTrue(again.upToDate());
        assertEquals(0, loads.get());
    }

    @Test
    void resumedRunPreparesOnlyTheNetworksItsRemainingTilesNeed() throws Exception {
        var pop = population(12, 6);
        var metric = new ChunkEnergyMetric();
        Path out = dir.resolve("o");
        // 3 blocks of 4; tiles in order (0,0) (0,1) (0,2) (1,1) (1,2) (2,2); kill after 5 → only (2,2) remains
        assertThrows(IllegalStateException.class, () -> new AllPairs(metric, OPS, 1).withTileSize(4)
                .withListener(new Killer(5)).square(pop.side(), out, "d"));
        AtomicInteger loads = new AtomicInteger();
        var r = new AllPairs(metric, OPS, 1).withTileSize(4).square(counting(pop, loads), out, "d");
        assertEquals(1, r.tilesComputed());
        assertEquals(4, loads.get());
        assertEquals(4, r.networksPrepared());
        assertArrayEquals(perPair(metric, all(pop), all(pop), true), Npy.read(r.matrix()).data());
    }

    @Test
    void tilesOfAnotherMetricOptionOrPopulationAreNotReused() throws Exception {
        var pop = population(16, 7);
        SimilarityMetric p1 = new ChunkEnergyMetric();
        SimilarityMetric p2 = p1.configure(Map.of("power", "2"));
        Path out = dir.resolve("o");
        assertThrows(IllegalStateException.class, () -> new AllPairs(p1, OPS, 1).withTileSize(4)
                .withListener(new Killer(6)).square(pop.side(), out, "d"));
        assertEquals(6, countTiles(out.resolve("d.tiles")));
        var r = new AllPairs(p2, OPS, 1).withTileSize(4).square(pop.side(), out, "d");
        assertEquals(0, r.tilesResumed());
        assertArrayEquals(perPair(p2, all(pop), all(pop), true), Npy.read(r.matrix()).data());

        // a finished matrix of another option is recomputed, not taken as up to date
        var back = new AllPairs(p1, OPS, 1).withTileSize(4).square(pop.side(), out, "d");
        assertFalse(back.upToDate());
        assertArrayEquals(perPair(p1, all(pop), all(pop), true), Npy.read(back.matrix()).data());

        // same metric, other networks (another seed, same ids) but a different states label
        Path out2 = dir.resolve("o2");
        assertThrows(IllegalStateException.class, () -> new AllPairs(p1, OPS, 1).withTileSize(4)
                .withListener(new Killer(3)).square(pop.side(), out2, "d"));
        var pop8 = population(16, 8);
        var other = new AllPairs.Side(pop.ids(), "other-states", id -> pop8.get(pop.ids().indexOf(id)));
        var r2 = new AllPairs(p1, OPS, 1).withTileSize(4).square(other, out2, "d");
        assertEquals(0, r2.tilesResumed());
        assertArrayEquals(perPair(p1, all(population(16, 8)), all(population(16, 8)), true),
                Npy.read(r2.matrix()).data());
    }

    @Test
    void crossMatrixIsEveryRowAgainstEveryColumn() throws Exception {
        var a = population(7, 9);
        var b = new SyntheticRepresentations(11, 64, 2, 10);
        var metric = new ChunkEnergyMetric().withGemmTiles();
        var sideB = new AllPairs.Side(b.ids(), "untrained-h", b::load);
        var r = new AllPairs(metric, OPS, 2).withTileSize(3).cross(a.side(), sideB, dir, "cross");
        assertEquals(3 * 4, r.tiles());
        DistanceMatrix dm = DistanceMatrix.read(r.matrix());
        assertEquals(7, dm.rows());
        assertEquals(11, dm.cols());
        assertEquals(a.ids(), dm.rowIds());
        assertEquals(b.ids(), dm.colIds());
        assertFalse(dm.square());
        assertEquals("cross", dm.metadata().get("mode"));
        assertEquals("untrained-h", dm.metadata().get("col_states"));
        double[] expected = perPair(metric, all(a), all(b), false);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], dm.data()[i], 2e-3);
        }
        // same networks on both sides of a cross matrix: a full matrix whose diagonal the metric computes
        var self = new AllPairs(new ChunkEnergyMetric(), OPS, 1).withTileSize(3)
                .cross(a.side(), a.side(), dir, "self");
        double[] s = Npy.read(self.matrix()).data();
        assertArrayEquals(perPair(new ChunkEnergyMetric(), all(a), all(a), false), s);
        assertNotEquals(0.0, s[1]);
    }

    @Test
    void diagonalTilesAskTheMetricForLittleMoreThanTheUpperTriangle() throws Exception {
        var pop = population(100, 14);
        java.util.concurrent.atomic.AtomicLong asked = new java.util.concurrent.atomic.AtomicLong();
        var inner = new ChunkEnergyMetric();
        SimilarityMetric counting = new SimilarityMetric() {
            @Override
            public String name() {
                return "counting";
            }

            @Override
            public Prepared prepare(Representation r) {
                return inner.prepare(r);
            }

            @Override
            public double distance(Prepared a, Prepared b) {
                return inner.distance(a, b);
            }

            @Override
            public void distances(Ops ops, List<? extends Prepared> rows, List<? extends Prepared> cols, double[] out) {
                asked.addAndGet((long) rows.size() * cols.size());
                inner.distances(ops, rows, cols, out);
            }
        };
        var r = new AllPairs(counting, OPS, 1).withTileSize(100).square(pop.side(), dir, "one-tile");
        assertEquals(1, r.tiles());
        // 4950 pairs above the diagonal; leaves of at most 16 add their own diagonal and lower half (≤ 8·16·16)
        assertTrue(asked.get() <= 4950 + 8 * 16 * 16 / 2 + 100, "asked " + asked.get());
        assertArrayEquals(perPair(inner, all(pop), all(pop), true), Npy.read(r.matrix()).data());
    }

    @Test
    void badInputGetsClearErrors() {
        var pop = population(3, 11);
        var ex = assertThrows(GeometryException.class,
                () -> new AllPairs.Side(List.of("a", "a"), "x", pop::load));
        assertTrue(ex.getMessage().contains("unique"));
        assertThrows(GeometryException.class, () -> new AllPairs.Side(List.of(), "x", pop::load));
        assertThrows(IllegalArgumentException.class, () -> new AllPairs(new ChunkEnergyMetric(), OPS, 0));
        var bad = assertThrows(GeometryException.class, () -> new AllPairs(new ChunkEnergyMetric(), OPS, 1)
                .square(pop.side(), dir, "../escape"));
        assertTrue(bad.getMessage().contains("not allowed"));
        // nothing left once the networks without a distance are skipped: the error names one and why
        var constant = new AllPairs.Side(List.of("flat", "flat2"), "x",
                id -> new Representation(64, 2, new double[128]));
        var none = assertThrows(GeometryException.class, () -> new AllPairs(new ChunkEnergyMetric(), OPS, 1)
                .square(constant, dir, "c"));
        assertTrue(none.getMessage().contains("Every network (2, x) was skipped") && none.getMessage().contains("flat")
                && none.getMessage().contains("constant states"), none.getMessage());
        var cross = assertThrows(GeometryException.class, () -> new AllPairs(new ChunkEnergyMetric(), OPS, 1)
                .cross(pop.side(), constant, dir, "cc"));
        assertTrue(cross.getMessage().contains("Every column network"), cross.getMessage());
    }

    /** The population with a dead (constant) network at position 3 and a NaN one at the end. */
    private static AllPairs.Side withUndefined(SyntheticRepresentations pop, AtomicInteger loads) {
        List<String> ids = new ArrayList<>(pop.ids());
        ids.add(3, "dead");
        ids.add("nan");
        return new AllPairs.Side(ids, "trained-h", id -> {
            loads.incrementAndGet();
            if (id.equals("dead")) {
                double[] x = new double[64 * 5];
                java.util.Arrays.fill(x, 0.25); // constant, not only zero: a saturated unit is constant too
                return new Representation(64, 5, x);
            }
            if (id.equals("nan")) {
                Representation r = pop.get(0);
                double[] x = r.data().clone();
                x[7] = Double.NaN;
                return new Representation(r.samples(), r.units(), x);
            }
            return pop.load(id);
        });
    }

    @Test
    void networksWithoutADefinedDistanceAreSkippedRecordedAndLeftOutOfTheMatrix() throws Exception {
        var pop = population(14, 21);
        var metric = new ChunkEnergyMetric().withGemmTiles();
        List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());
        AllPairs.Listener ears = new AllPairs.Listener() {
            @Override
            public void skipped(String id, String states, String reason) {
                heard.add(id + " " + states + " " + reason);
            }
        };
        AtomicInteger loads = new AtomicInteger();
        var r = new AllPairs(metric, OPS, 2).withTileSize(4).withListener(ears)
                .square(withUndefined(pop, loads), dir.resolve("a"), "d");
        assertEquals(16, loads.get(), "every network is loaded once to decide");
        assertEquals(14, r.rows());
        assertEquals(14, r.cols());
        assertEquals(List.of("dead", "nan"), r.skippedRows().stream().map(AllPairs.Skipped::id).toList());
        assertEquals(r.skippedRows(), r.skippedCols());
        assertTrue(r.skippedRows().get(0).reason().contains("constant states"), r.skippedRows().toString());
        assertTrue(r.skippedRows().get(1).reason().contains("non-finite"), r.skippedRows().toString());
        assertEquals(2, heard.size());
        assertTrue(heard.stream().anyMatch(h -> h.startsWith("dead trained-h constant states")), heard.toString());
        // the matrix is the one of the population without them, byte for byte
        byte[] clean = Files.readAllBytes(new AllPairs(metric, OPS, 2).withTileSize(4)
                .square(pop.side(), dir.resolve("clean"), "d").matrix());
        assertArrayEquals(clean, Files.readAllBytes(r.matrix()));
        DistanceMatrix dm = DistanceMatrix.read(r.matrix());
        assertEquals(pop.ids(), dm.rowIds());
        assertEquals(pop.ids(), dm.colIds());
        assertEquals(List.of(14, 14), dm.metadata().get("shape"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> skipped = (List<Map<String, Object>>) dm.metadata().get("skipped_rows");
        assertEquals("dead", skipped.get(0).get("id"));
        assertTrue(((String) skipped.get(0).get("reason")).contains("dead relu"), skipped.toString());
        assertEquals(skipped, dm.metadata().get("skipped_cols"));
        @SuppressWarnings("unchecked")
        List<Object> none = (List<Object>) DistanceMatrix.read(dir.resolve("clean/d.npy")).metadata().get("skipped_rows");
        assertEquals(List.of(), none);
        // up to date: nothing loaded, the skipped networks reported again from the sidecar
        loads.set(0);
        var again = new AllPairs(metric, OPS, 2).withTileSize(4).square(withUndefined(pop, loads), dir.resolve("a"), "d");
        assertTrue(again.upToDate());
        assertEquals(0, loads.get());
        assertEquals(r.skippedRows(), again.skippedRows());
        assertEquals(14, again.rows());
    }

    @Test
    void killedRunWithSkippedNetworksResumesFromItsRecordedDecision() throws Exception {
        var pop = population(12, 22);
        var metric = new ChunkEnergyMetric();
        Path out = dir.resolve("k");
        AtomicInteger loads = new AtomicInteger();
        // 12 kept networks in 3 blocks of 4; tiles (0,0) (0,1) (0,2) (1,1) (1,2) (2,2); kill after 5
        assertThrows(IllegalStateException.class, () -> new AllPairs(metric, OPS, 1).withTileSize(4)
                .withListener(new Killer(5)).square(withUndefined(pop, loads), out, "d"));
        assertTrue(Files.exists(out.resolve("d.tiles").resolve(AllPairs.SKIP_FILE)));
        loads.set(0);
        var r = new AllPairs(metric, OPS, 1).withTileSize(4).square(withUndefined(pop, loads), out, "d");
        assertEquals(1, r.tilesComputed());
        assertEquals(4, loads.get(), "only the last block's networks, not the skipped ones");
        assertEquals(List.of("dead", "nan"), r.skippedRows().stream().map(AllPairs.Skipped::id).toList());
        assertArrayEquals(perPair(metric, all(pop), all(pop), true), Npy.read(r.matrix()).data());
    }

    @Test
    void crossMatrixSkipsPerSideAndMetricRefusalsCountAsUndefined() throws Exception {
        var a = population(6, 23);
        var b = new SyntheticRepresentations(5, 64, 2, 24);
        // a metric that refuses 5-unit representations: the engine records its message as the reason
        var inner = new ChunkEnergyMetric();
        SimilarityMetric picky = new SimilarityMetric() {
            @Override
            public String name() {
                return "picky";
            }

            @Override
            public Prepared prepare(Representation r) {
                if (r.units() == 5) {
                    throw new IllegalArgumentException("five units are not allowed");
                }
                return inner.prepare(r);
            }

            @Override
            public double distance(Prepared x, Prepared y) {
                return inner.distance(x, y);
            }
        };
        AtomicInteger loads = new AtomicInteger();
        var r = new AllPairs(picky, OPS, 2).withTileSize(3).cross(withUndefined(a, loads), b.side(), dir, "x");
        assertEquals(6, r.rows());
        assertEquals(5, r.cols());
        assertEquals(List.of("dead", "nan"), r.skippedRows().stream().map(AllPairs.Skipped::id).toList());
        // "dead" has 5 units but is constant: the engine's own check comes first
        assertTrue(r.skippedRows().get(0).reason().startsWith("constant states"), r.skippedRows().toString());
        assertEquals(List.of(), r.skippedCols());
        DistanceMatrix dm = DistanceMatrix.read(r.matrix());
        assertEquals(a.ids(), dm.rowIds());
        assertEquals(b.ids(), dm.colIds());
        double[] expected = perPair(inner, all(a), all(b), false);
        assertArrayEquals(expected, dm.data());

        var narrow = new SyntheticRepresentations(2, 64, 2, 25);
        var fives = new AllPairs.Side(List.of("ok", "five"), "untrained-h", id -> id.equals("ok") ? a.get(1)
                : new Representation(64, 5, five(narrow)));
        var r2 = new AllPairs(picky, OPS, 1).cross(a.side(), fives, dir, "y");
        assertEquals(1, r2.cols());
        assertEquals("five", r2.skippedCols().get(0).id());
        assertEquals("metric 'picky' refuses it: five units are not allowed", r2.skippedCols().get(0).reason());
    }

    /** 64 × 5 varying states. */
    private static double[] five(SyntheticRepresentations p) {
        Representation r = p.get(0);
        double[] x = new double[64 * 5];
        for (int i = 0; i < 64; i++) {
            for (int j = 0; j < 5; j++) {
                x[i * 5 + j] = r.data()[i * r.units() + j % r.units()] + 0.1 * j * i;
            }
        }
        return x;
    }

    @Test
    void defaultTileSizeDependsOnlyOnN() {
        assertEquals(1, AllPairs.defaultTileSize(1));
        assertEquals(20, AllPairs.defaultTileSize(20));
        assertEquals(32, AllPairs.defaultTileSize(100));
        assertEquals(125, AllPairs.defaultTileSize(1000));
        assertEquals(256, AllPairs.defaultTileSize(2880));
    }

    @Test
    void progressListenerCountsEveryPairOnce() throws Exception {
        var pop = population(13, 12);
        AtomicInteger pairs = new AtomicInteger();
        long[] plan = new long[2];
        var l = new AllPairs.Listener() {
            @Override
            public void planned(long p, long resumed, int tiles, int resumedTiles) {
                plan[0] = p;
                plan[1] = tiles;
            }

            @Override
            public void tileDone(long p) {
                pairs.addAndGet((int) p);
            }
        };
        new AllPairs(new ChunkEnergyMetric(), OPS, 2).withTileSize(4).withListener(l).square(pop.side(), dir, "p");
        assertEquals(13 * 12 / 2, plan[0]);
        assertEquals(13 * 12 / 2, pairs.get());
        assertEquals(10, plan[1]);
    }

    @Test
    void progressBarReportsTiles() throws Exception {
        var pop = population(13, 13);
        var bytes = new java.io.ByteArrayOutputStream();
        var out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        new AllPairs(new ChunkEnergyMetric(), OPS, 1).withTileSize(4)
                .withListener(AllPairs.Listener.progressBar(out, false, "chunk")).square(pop.side(), dir, "p");
        String text = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(text.contains("chunk: tile 10 of 10 done (0 pairs)"), text); // the last tile is 1 × 1
    }

    private static long countTiles(Path tiles) throws IOException {
        try (var s = Files.list(tiles)) {
            return s.filter(p -> p.getFileName().toString().startsWith("tile-")).count();
        }
    }
}
