package org.rnnatlas.core.geometry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;
import org.rnnatlas.core.BuildInfo;
import org.rnnatlas.core.io.AtomicFiles;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.population.Progress;
import org.rnnatlas.core.population.Store;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.spi.ExecutionListener;
import org.rnnatlas.spi.Executor;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.Representation;
import org.rnnatlas.spi.SimilarityMetric;
import org.rnnatlas.spi.SpiVersion;
import org.rnnatlas.spi.WorkUnit;

/**
 * The all-pairs distance engine: the matrix of {@link SimilarityMetric} distances between every pair of a set of
 * networks ({@link #square}), or between every network of one set and every network of another ({@link #cross},
 * e.g. trained × untrained).
 *
 * <p><b>Work.</b> Every network is loaded and prepared once ({@link SimilarityMetric#prepare(Ops, Representation)}
 * with the engine's kernels), in parallel; only the prepared objects are kept. The matrix is then cut into square tiles of {@link #tileSize} networks a side (the
 * upper triangle of tiles for a square matrix, all tiles for a cross matrix), which the threads take in a fixed
 * order and hand to {@link SimilarityMetric#distances} (a diagonal tile is split recursively so that the metric
 * computes little more than its upper triangle). Memory: the prepared networks plus one tile buffer per
 * thread; the final matrix is assembled band by band (one row of tiles at a time) and streamed to disk.
 *
 * <p><b>Networks without a defined distance are skipped.</b> A network whose states are constant (every unit
 * the same on every sample, e.g. a dead relu network), or hold NaN or infinity, has no principal subspace, Gram
 * matrix or shape, so SVCCA, CKA and Procrustes distances to it are undefined; a metric that refuses a
 * representation in {@code prepare} ({@link IllegalArgumentException}) says the same. Such networks are left out of
 * the matrix (its rows and columns are the remaining networks, in input order, as the sidecar's {@code row_ids} and
 * {@code col_ids} list them), reported to the {@link Listener#skipped listener}, and recorded with the reason in the
 * sidecar's {@code skipped_rows} and {@code skipped_cols}. Every side must keep at least one network. Which networks
 * are skipped depends only on their states and the metric, so it is decided once: the first run prepares every
 * network and writes the decision to {@code <name>.tiles/skipped.json}; a resumed run reads it and prepares only the
 * networks its remaining tiles need.
 *
 * <p><b>Crash safety and resume.</b> Each finished tile is written at once, atomically, to
 * {@code <out>/<name>.tiles/tile-<i>-<j>.bin}. A tile file is self-describing: it carries a SHA-256 key of
 * everything its values depend on (metric name, version, class, jar and options, kernel, rnnatlas build, tile size,
 * row and column ids and states) and a CRC. A rerun removes temporaries, keeps every tile whose key, position and
 * CRC match, and computes only the rest; a tile from another metric, option set or population is recomputed. Once
 * {@code <name>.npy} and its sidecar {@code <name>.json} (written last) exist, the tiles are deleted, and a rerun
 * with the same key does nothing.
 *
 * <p><b>Determinism.</b> Tiles depend only on the inputs and the tile size, and the tile size depends only on the
 * matrix size, so the output is bit-identical for any thread count and any pattern of interruptions. The square
 * matrix is exactly symmetric with a zero diagonal: entry (i, j), i &lt; j, is taken from the tile that holds it
 * above the diagonal and mirrored.
 *
 * <p><b>As work units.</b> {@link #withExecutor} computes the same matrix on an {@link Executor} (e.g. Spark): check
 * units decide the skipped networks a block at a time, tile units compute the missing tiles (each with the networks
 * of its own rows and columns, prepared on its worker), and this JVM assembles them as above. Tile files, their key
 * and the assembly are shared with the in-process path, so the bytes are the same and either path resumes the
 * other's tiles ({@link DistanceUnitRunner} has the details).
 *
 * <p>Instances are immutable; configure with {@link #withTileSize}, {@link #withListener} and {@link #withExecutor}.
 */
public final class AllPairs {
    /** Format of the JSON sidecar of a distance matrix. */
    public static final String FORMAT = "rnnatlas.distances/1";
    static final byte[] TILE_MAGIC = "RNNTILE1".getBytes(StandardCharsets.US_ASCII);
    static final int TILE_HEADER = 8 + 32 + 16;
    /** The largest automatic tile side: 256² = 65,536 pairs per tile, a few hundred MB of metric scratch at most. */
    public static final int MAX_AUTO_TILE = 256;
    /**
     * Diagonal tiles are split recursively down to blocks of at most this many networks, so that the metric computes
     * little more than the upper triangle (a whole diagonal tile would compute every pair twice).
     */
    static final int DIAGONAL_LEAF = 16;

    /** Loads one network's representation; called from several threads at once with different ids. */
    @FunctionalInterface
    public interface Loader {
        Representation load(String id) throws IOException;
    }

    /**
     * One side of a matrix: the networks in row (or column) order, a label of which states they are (recorded in
     * the sidecar, e.g. {@code trained-h}), and how to load each one.
     */
    public record Side(List<String> ids, String states, Loader loader) {
        public Side {
            ids = List.copyOf(ids);
            Objects.requireNonNull(states, "states");
            Objects.requireNonNull(loader, "loader");
            if (ids.isEmpty()) {
                throw new GeometryException("A distance matrix needs at least one network per side, got none");
            }
            if (new HashSet<>(ids).size() != ids.size()) {
                throw new GeometryException("Network ids on one side of a distance matrix must be unique");
            }
        }

        public int size() {
            return ids.size();
        }
    }

    /** Progress callbacks, from worker threads; implementations must be thread-safe. Work is counted in pairs. */
    public interface Listener {
        /** Preparing {@code total} networks starts. */
        default void preparing(int total) {
        }

        /** One network was prepared. */
        default void prepared(String id) {
        }

        /**
         * A network is left out of the matrix because its distances are undefined ({@code reason} says why, e.g.
         * constant states); {@code states} is its side's label. Also counted as {@link #prepared}.
         */
        default void skipped(String id, String states, String reason) {
        }

        /**
         * The tile plan, once the networks are prepared and before the first tile: {@code pairs} distances in
         * {@code tiles} tiles, of which {@code resumed…} were found done.
         */
        default void planned(long pairs, long resumedPairs, int tiles, int resumedTiles) {
        }

        /** A tile holding {@code pairs} distances was computed and written. */
        default void tileDone(long pairs) {
        }

        /** The matrix is written (or was up to date). */
        default void finished(Result result) {
        }

        /** Nothing. */
        static Listener none() {
            return new Listener() {
            };
        }

        /**
         * Progress bars with ETA ({@link Progress}) on {@code out}: one over the networks being prepared, one over
         * the pairs being computed.
         */
        static Listener progressBar(PrintStream out, boolean terminal, String label) {
            return new Listener() {
                private final AtomicReference<Progress> bar = new AtomicReference<>();

                private void replace(Progress p) {
                    Progress old = bar.getAndSet(p);
                    if (old != null) {
                        old.close();
                    }
                }

                private final AtomicInteger tilesDone = new AtomicInteger();
                private volatile int tilesTotal;

                @Override
                public void preparing(int total) {
                    // work = networks; no per-network lines (thousands), so no unit count either
                    replace(new Progress(out, terminal, label + ": preparing " + total + " networks", total, 0));
                }

                @Override
                public void prepared(String id) {
                    Progress p = bar.get();
                    if (p != null) {
                        p.advance(1);
                    }
                }

                @Override
                public void skipped(String id, String states, String reason) {
                    out.printf(java.util.Locale.ROOT, "%s: skipped network %s (%s): %s%n", label, id, states, reason);
                }

                @Override
                public void planned(long pairs, long resumedPairs, int tiles, int resumedTiles) {
                    if (resumedTiles > 0) {
                        out.printf(java.util.Locale.ROOT, "%s: %d of %d tiles (%d pairs) found finished%n", label,
                                resumedTiles, tiles, resumedPairs);
                    }
                    tilesTotal = tiles - resumedTiles;
                    replace(new Progress(out, terminal, label + ": pairs", pairs - resumedPairs, tilesTotal));
                }

                @Override
                public void tileDone(long pairs) {
                    Progress p = bar.get();
                    if (p != null) {
                        p.advance(pairs);
                        p.unitDone(String.format(java.util.Locale.ROOT, "%s: tile %d of %d done (%d pairs)", label,
                                tilesDone.incrementAndGet(), tilesTotal, pairs));
                    }
                }

                @Override
                public void finished(Result result) {
                    replace(null);
                }
            };
        }
    }

    /** A network left out of a matrix, and why. */
    public record Skipped(String id, String reason) {
        public Skipped {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * What a run did and where the matrix is.
     *
     * @param rows        the matrix's rows: the row networks less the skipped ones (likewise {@code cols})
     * @param upToDate    true when a matrix with the same key was already there and nothing was computed
     * @param skippedRows row networks left out of the matrix, in input order (likewise {@code skippedCols}; for a
     *                    square matrix both lists are the same)
     */
    public record Result(Path matrix, Path sidecar, int rows, int cols, int tileSize, int tiles, int tilesResumed,
                         int tilesComputed, int networksPrepared, long nonFinite, boolean upToDate,
                         double prepareSeconds, double computeSeconds, double assembleSeconds,
                         List<Skipped> skippedRows, List<Skipped> skippedCols) {
        public Result {
            skippedRows = List.copyOf(skippedRows);
            skippedCols = List.copyOf(skippedCols);
        }
    }

    /**
     * How the matrix is computed as {@link WorkUnit}s on an {@link Executor} instead of this JVM's threads: the
     * store the sides' representations come from (each side's {@link Side#states()} must be a
     * {@link Representations.States#label()}), the plugins (their folders go to the workers) and the runner class.
     */
    private record UnitMode(Executor executor, Store store, Plugins plugins, String runnerClass) {
    }

    private final SimilarityMetric metric;
    private final Ops ops;
    private final int threads;
    private final int tileSize;
    private final Listener listener;
    private final UnitMode units;

    public AllPairs(SimilarityMetric metric, Ops ops, int threads) {
        this(metric, ops, threads, 0, Listener.none(), null);
    }

    private AllPairs(SimilarityMetric metric, Ops ops, int threads, int tileSize, Listener listener, UnitMode units) {
        this.metric = Objects.requireNonNull(metric, "metric");
        this.ops = Objects.requireNonNull(ops, "ops");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (tileSize < 0) {
            throw new IllegalArgumentException("tile size must be >= 1 (or 0 for automatic), got " + tileSize);
        }
        this.threads = threads;
        this.tileSize = tileSize;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.units = units;
    }

    /** A copy with a fixed tile side; 0 restores the automatic choice {@link #defaultTileSize}. */
    public AllPairs withTileSize(int side) {
        return new AllPairs(metric, ops, threads, side, listener, units);
    }

    public AllPairs withListener(Listener l) {
        return new AllPairs(metric, ops, threads, tileSize, l, units);
    }

    /**
     * A copy that computes as {@link WorkUnit}s on {@code executor} (threads become its parallelism):
     * {@link DistanceUnitRunner} units that check the networks, a block of {@code tileSize} at a time, then one unit
     * per tile, each loading and preparing the networks of its rows and columns itself from {@code store}. Sides
     * must be a store's {@link Representations#side sides}. The driver assembles the matrix as in this JVM, and the
     * files are the same bytes either way.
     */
    public AllPairs withExecutor(Executor executor, Store store, Plugins plugins) {
        return new AllPairs(metric, ops, threads, tileSize, listener, new UnitMode(Objects.requireNonNull(executor),
                Objects.requireNonNull(store), Objects.requireNonNull(plugins), DistanceUnitRunner.class.getName()));
    }

    /**
     * A copy whose units are run by another {@link org.rnnatlas.spi.UnitRunner} class (one that wraps
     * {@link DistanceUnitRunner}, to inject faults in tests); only after {@link #withExecutor}.
     */
    public AllPairs withUnitRunner(String className) {
        if (units == null) {
            throw new IllegalStateException("withUnitRunner needs withExecutor first");
        }
        return new AllPairs(metric, ops, threads, tileSize, listener, new UnitMode(units.executor(), units.store(),
                units.plugins(), className));
    }

    /**
     * The automatic tile side for a matrix whose larger side is {@code n}: about an eighth of n (so that two to a few
     * threads get many tiles to balance), at least 32 and at most {@value #MAX_AUTO_TILE}. A function of n alone,
     * never of the thread count, so results do not depend on threads.
     */
    public static int defaultTileSize(int n) {
        return Math.max(1, Math.min(n, Math.min(MAX_AUTO_TILE, Math.max(32, (n + 7) / 8))));
    }

    /** The symmetric {@code n × n} matrix of distances between the networks of {@code set}, diagonal 0. */
    public Result square(Side set, Path outDir, String name) throws IOException, InterruptedException {
        return run(set, null, outDir, name);
    }

    /** The {@code rows × cols} matrix of distances from every network of {@code rows} to every one of {@code cols}. */
    public Result cross(Side rows, Side cols, Path outDir, String name) throws IOException, InterruptedException {
        return run(rows, Objects.requireNonNull(cols, "cols"), outDir, name);
    }

    // ---------------------------------------------------------------- the run

    /** One tile: block row/column and the network ranges it covers. */
    record Tile(int bi, int bj, int r0, int r1, int c0, int c1, boolean diagonal) {
        int rows() {
            return r1 - r0;
        }

        int cols() {
            return c1 - c0;
        }

        long pairs() {
            return diagonal ? (long) rows() * (rows() - 1) / 2 : (long) rows() * cols();
        }

        String file() {
            return "tile-" + bi + "-" + bj + ".bin";
        }
    }

    private Result run(Side rows, Side colsOrNull, Path outDir, String name) throws IOException, InterruptedException {
        Objects.requireNonNull(rows, "rows");
        if (!MatrixName.valid(name)) {
            throw new GeometryException("Matrix name '" + name + "' is not allowed: use letters, digits, '.', '_'"
                    + " and '-', starting with a letter or digit");
        }
        boolean square = colsOrNull == null;
        Side cols = square ? rows : colsOrNull;
        int nr = rows.size();
        int nc = cols.size();
        int t = tileSize > 0 ? tileSize : defaultTileSize(Math.max(nr, nc));
        Map<String, Object> keyed = keyContent(rows, cols, square, t);
        String keyHex = hex(sha256(Json.write(keyed)));
        Path matrix = outDir.resolve(name + ".npy");
        Path sidecar = outDir.resolve(name + ".json");
        Path tilesDir = outDir.resolve(name + ".tiles");
        Path skipFile = tilesDir.resolve(SKIP_FILE);
        Files.createDirectories(outDir);
        AtomicFiles.removeTemporaries(tilesDir);
        removeOwnTemporaries(outDir, name);

        if (Files.exists(matrix) && Files.exists(sidecar) && keyHex.equals(sidecarKey(sidecar))) {
            deleteTiles(tilesDir);
            var node = Json.LENIENT.readTree(Files.readAllBytes(sidecar));
            int kr = node.path("shape").path(0).asInt(nr);
            int kc = node.path("shape").path(1).asInt(nc);
            int tiles = tilePlan(kr, kc, t, square).size();
            Result r = new Result(matrix, sidecar, kr, kc, t, tiles, tiles, 0, 0, node.path("non_finite").asLong(0),
                    true, 0, 0, 0, skippedFrom(node.path("skipped_rows")), skippedFrom(node.path("skipped_cols")));
            listener.finished(r);
            return r;
        }

        if (units != null) {
            return runUnits(rows, cols, square, t, keyHex, matrix, sidecar, tilesDir, skipFile, outDir, name);
        }
        long t0 = System.nanoTime();
        int prepared = 0;
        double prepareSeconds;
        double computeSeconds;
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread th = new Thread(r);
            th.setName("rnnatlas-allpairs-" + th.threadId());
            th.setDaemon(true);
            return th;
        });
        List<Tile> plan;
        List<Tile> todo;
        byte[] key;
        List<Skipped> skippedRows;
        List<Skipped> skippedCols;
        int[] keptRows;
        int[] keptCols;
        try {
            // which networks are skipped: decided by a previous run of the same key, or by preparing every network
            SimilarityMetric.Prepared[] allRows = new SimilarityMetric.Prepared[nr];
            SimilarityMetric.Prepared[] allCols = square ? allRows : new SimilarityMetric.Prepared[nc];
            Map<String, List<Skipped>> decided = readSkipRecord(skipFile, keyHex);
            if (decided != null) {
                skippedRows = decided.get("rows");
                skippedCols = decided.get("cols");
            } else {
                String[] whyRows = new String[nr];
                String[] whyCols = square ? whyRows : new String[nc];
                boolean[] everyRow = new boolean[nr];
                Arrays.fill(everyRow, true);
                boolean[] everyCol = new boolean[nc];
                Arrays.fill(everyCol, true);
                listener.preparing(nr + (square ? 0 : nc));
                prepareAll(pool, rows, everyRow, allRows, whyRows);
                if (!square) {
                    prepareAll(pool, cols, everyCol, allCols, whyCols);
                }
                prepared = nr + (square ? 0 : nc);
                skippedRows = skipList(rows, whyRows);
                skippedCols = square ? skippedRows : skipList(cols, whyCols);
                Files.createDirectories(tilesDir);
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("key", keyHex);
                record.put("rows", skippedRows);
                record.put("cols", skippedCols);
                Json.write(skipFile, record);
            }
            keptRows = kept(rows, skippedRows);
            keptCols = square ? keptRows : kept(cols, skippedCols);
            requireSome(rows, keptRows, skippedRows, square ? "" : "row ");
            if (!square) {
                requireSome(cols, keptCols, skippedCols, "column ");
            }
            // the tiles' key: the inputs' key and which networks were left out, so that tile positions always
            // refer to the same networks
            key = sha256(keyHex + "\n" + Json.write(List.of(skippedRows, skippedCols)));
            int kr = keptRows.length;
            int kc = keptCols.length;

            // plan and resume
            plan = tilePlan(kr, kc, t, square);
            todo = new ArrayList<>();
            long pairs = 0;
            long resumedPairs = 0;
            for (Tile tile : plan) {
                pairs += tile.pairs();
                if (validTile(tilesDir.resolve(tile.file()), tile, key)) {
                    resumedPairs += tile.pairs();
                } else {
                    todo.add(tile);
                }
            }

            // prepare only the networks the remaining tiles need (all of them are ready after a fresh decision)
            boolean[] needRows = new boolean[nr];
            boolean[] needCols = new boolean[nc];
            for (Tile tile : todo) {
                for (int i = tile.r0(); i < tile.r1(); i++) {
                    needRows[keptRows[i]] = allRows[keptRows[i]] == null;
                }
                boolean[] needC = square ? needRows : needCols;
                SimilarityMetric.Prepared[] haveC = square ? allRows : allCols;
                for (int j = tile.c0(); j < tile.c1(); j++) {
                    needC[keptCols[j]] = haveC[keptCols[j]] == null;
                }
            }
            int total = count(needRows) + (square ? 0 : count(needCols));
            if (total > 0) {
                listener.preparing(total);
                prepareAll(pool, rows, needRows, allRows, null);
                if (!square) {
                    prepareAll(pool, cols, needCols, allCols, null);
                }
                prepared += total;
            }
            SimilarityMetric.Prepared[] pr = new SimilarityMetric.Prepared[kr];
            for (int i = 0; i < kr; i++) {
                pr[i] = allRows[keptRows[i]];
            }
            SimilarityMetric.Prepared[] pc = pr;
            if (!square) {
                pc = new SimilarityMetric.Prepared[kc];
                for (int j = 0; j < kc; j++) {
                    pc[j] = allCols[keptCols[j]];
                }
            }
            long t1 = System.nanoTime();
            prepareSeconds = (t1 - t0) / 1e9;
            // after preparation, so that a progress bar over the pairs replaces the one over the networks
            listener.planned(pairs, resumedPairs, plan.size(), plan.size() - todo.size());
            computeTiles(pool, todo, pr, pc, tilesDir, key, t);
            computeSeconds = (System.nanoTime() - t1) / 1e9;
        } finally {
            pool.shutdownNow();
        }

        return finish(rows, cols, square, t, keyHex, key, plan, todo.size(), prepared, keptRows, keptCols,
                skippedRows, skippedCols, matrix, sidecar, tilesDir, name, prepareSeconds, computeSeconds);
    }

    /** Assembles the finished tiles into the matrix, writes its sidecar (last) and removes the tiles. */
    private Result finish(Side rows, Side cols, boolean square, int t, String keyHex, byte[] key, List<Tile> plan,
                          int computed, int prepared, int[] keptRows, int[] keptCols, List<Skipped> skippedRows,
                          List<Skipped> skippedCols, Path matrix, Path sidecar, Path tilesDir, String name,
                          double prepareSeconds, double computeSeconds) throws IOException {
        long t2 = System.nanoTime();
        int kr = keptRows.length;
        int kc = keptCols.length;
        long nonFinite = assemble(plan, tilesDir, key, kr, kc, t, square, matrix);
        Map<String, Object> side = sidecarContent(name, rows, cols, square, t, keyHex, nonFinite, keptRows, keptCols,
                skippedRows, skippedCols);
        Json.write(sidecar, side);
        deleteTiles(tilesDir);
        double assembleSeconds = (System.nanoTime() - t2) / 1e9;
        Result r = new Result(matrix, sidecar, kr, kc, t, plan.size(), plan.size() - computed, computed,
                prepared, nonFinite, false, prepareSeconds, computeSeconds, assembleSeconds, skippedRows,
                skippedCols);
        listener.finished(r);
        return r;
    }

    // ---------------------------------------------------------------- as work units

    /** The file in the tiles folder that tells check units which networks each side has (ids, states, key). */
    static final String SIDES_FILE = "sides.json";
    /** The file in the tiles folder that tells tile units the kept networks and the tiles' key. */
    static final String PLAN_FILE = "plan.json";

    /**
     * The matrix through {@link #units}: check units decide which networks are skipped (unless a previous run did),
     * tile units compute the missing tiles, and this JVM assembles them exactly as {@link #run} does. A failed unit
     * fails the matrix after the others ended (their tiles stay, so a rerun computes only what is missing).
     */
    private Result runUnits(Side rows, Side cols, boolean square, int t, String keyHex, Path matrix, Path sidecar,
                            Path tilesDir, Path skipFile, Path outDir, String name)
            throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Map<String, String> common = new LinkedHashMap<>();
        common.put(DistanceUnitRunner.STORE, org.rnnatlas.core.exec.WorkerContext.pathArg(units.store().root()));
        common.put(org.rnnatlas.core.exec.WorkerContext.KERNEL, ops.name());
        common.put(org.rnnatlas.core.exec.WorkerContext.PLUGIN_PATH,
                org.rnnatlas.core.exec.WorkerContext.pluginPath(units.plugins()));
        common.put(DistanceUnitRunner.METRIC, metric.name());
        common.put(DistanceUnitRunner.METRIC_OPTIONS, Json.write(new TreeMap<>(metric.options())));
        common.put(DistanceUnitRunner.DIR, org.rnnatlas.core.exec.WorkerContext.pathArg(outDir));
        common.put(DistanceUnitRunner.NAME, name);
        DistanceUnitRunner.states(rows.states());
        DistanceUnitRunner.states(cols.states());
        Files.createDirectories(tilesDir);
        int prepared = 0;
        List<Skipped> skippedRows;
        List<Skipped> skippedCols;
        Map<String, List<Skipped>> decided = readSkipRecord(skipFile, keyHex);
        if (decided != null) {
            skippedRows = decided.get("rows");
            skippedCols = decided.get("cols");
        } else {
            Map<String, Object> sides = new LinkedHashMap<>();
            sides.put("key", keyHex);
            sides.put("tile_size", t);
            sides.put("metric", metricInfo());
            sides.put("row_states", rows.states());
            sides.put("row_ids", rows.ids());
            sides.put("col_states", cols.states());
            sides.put("col_ids", cols.ids());
            Json.write(tilesDir.resolve(SIDES_FILE), sides);
            List<WorkUnit> checks = new ArrayList<>();
            for (String which : square ? List.of("rows") : List.of("rows", "cols")) {
                int n = which.equals("rows") ? rows.size() : cols.size();
                for (int b = 0; b * t < n; b++) {
                    Map<String, String> args = new LinkedHashMap<>(common);
                    args.put(DistanceUnitRunner.SIDE, which);
                    args.put(DistanceUnitRunner.BLOCK, Integer.toString(b));
                    args.put(DistanceUnitRunner.KEY, keyHex);
                    checks.add(new WorkUnit(DistanceUnitRunner.CHECK, name + " check " + which + " " + b, args));
                }
            }
            prepared = rows.size() + (square ? 0 : cols.size());
            listener.preparing(prepared);
            execute(checks, name, new ExecutionListener() {
                @Override
                public void finished(WorkUnit unit, boolean ok, String message) {
                    if (ok) {
                        Side side = unit.arg(DistanceUnitRunner.SIDE).equals("rows") ? rows : cols;
                        int b = Integer.parseInt(unit.arg(DistanceUnitRunner.BLOCK));
                        for (int i = b * t; i < Math.min(side.size(), (b + 1) * t); i++) {
                            listener.prepared(side.ids().get(i));
                        }
                    }
                }
            });
            String[] whyRows = DistanceUnitRunner.readChecks(tilesDir, "rows", rows.size(), t, keyHex);
            String[] whyCols = square ? whyRows : DistanceUnitRunner.readChecks(tilesDir, "cols", cols.size(), t,
                    keyHex);
            for (int i = 0; i < whyRows.length; i++) {
                if (whyRows[i] != null) {
                    listener.skipped(rows.ids().get(i), rows.states(), whyRows[i]);
                }
            }
            if (!square) {
                for (int j = 0; j < whyCols.length; j++) {
                    if (whyCols[j] != null) {
                        listener.skipped(cols.ids().get(j), cols.states(), whyCols[j]);
                    }
                }
            }
            skippedRows = skipList(rows, whyRows);
            skippedCols = square ? skippedRows : skipList(cols, whyCols);
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("key", keyHex);
            record.put("rows", skippedRows);
            record.put("cols", skippedCols);
            Json.write(skipFile, record);
        }
        int[] keptRows = kept(rows, skippedRows);
        int[] keptCols = square ? keptRows : kept(cols, skippedCols);
        requireSome(rows, keptRows, skippedRows, square ? "" : "row ");
        if (!square) {
            requireSome(cols, keptCols, skippedCols, "column ");
        }
        byte[] key = sha256(keyHex + "\n" + Json.write(List.of(skippedRows, skippedCols)));
        List<Tile> plan = tilePlan(keptRows.length, keptCols.length, t, square);
        List<WorkUnit> todo = new ArrayList<>();
        Map<String, Long> pairsOf = new java.util.HashMap<>();
        long pairs = 0;
        long resumedPairs = 0;
        for (Tile tile : plan) {
            pairs += tile.pairs();
            if (validTile(tilesDir.resolve(tile.file()), tile, key)) {
                resumedPairs += tile.pairs();
                continue;
            }
            Map<String, String> args = new LinkedHashMap<>(common);
            args.put(DistanceUnitRunner.TILE, tile.bi() + "," + tile.bj());
            args.put(DistanceUnitRunner.KEY, hex(key));
            WorkUnit u = new WorkUnit(DistanceUnitRunner.TILE_KIND, name + " tile " + tile.bi() + "," + tile.bj(),
                    args);
            todo.add(u);
            pairsOf.put(u.id(), tile.pairs());
        }
        Map<String, Object> planFile = new LinkedHashMap<>();
        planFile.put("key", hex(key));
        // the check units' key: tile units share the prepared forms those units left in their JVM
        planFile.put("inputs_key", keyHex);
        planFile.put("tile_size", t);
        planFile.put("square", square);
        planFile.put("metric", metricInfo());
        planFile.put("row_states", rows.states());
        planFile.put("row_ids", idsAt(rows, keptRows));
        planFile.put("col_states", cols.states());
        planFile.put("col_ids", idsAt(cols, keptCols));
        Json.write(tilesDir.resolve(PLAN_FILE), planFile);
        long t1 = System.nanoTime();
        listener.planned(pairs, resumedPairs, plan.size(), plan.size() - todo.size());
        execute(todo, name, new ExecutionListener() {
            @Override
            public void finished(WorkUnit unit, boolean ok, String message) {
                if (ok) {
                    listener.tileDone(pairsOf.get(unit.id()));
                }
            }
        });
        double computeSeconds = (System.nanoTime() - t1) / 1e9;
        return finish(rows, cols, square, t, keyHex, key, plan, todo.size(), prepared, keptRows, keptCols,
                skippedRows, skippedCols, matrix, sidecar, tilesDir, name, (t1 - t0) / 1e9, computeSeconds);
    }

    /** Runs units on the executor; any failure fails the matrix, naming the units, after all have ended. */
    private void execute(List<WorkUnit> list, String name, ExecutionListener progress) throws InterruptedException {
        if (list.isEmpty()) {
            return;
        }
        Executor.Result r = units.executor().execute(list, units.runnerClass(), threads, progress);
        if (!r.failures().isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (Executor.Failure f : r.failures()) {
                sb.append("\n  ").append(f.unit().id()).append(": ").append(f.message());
            }
            throw new GeometryException(r.failures().size() + " of " + list.size() + " units of distance matrix "
                    + name + " failed (finished tiles are kept; rerun the same command to compute the rest):" + sb);
        }
    }

    /**
     * Loads and prepares one network for {@code metric}: its prepared form in {@code out[index]}, or the reason its
     * distances are undefined (then nothing in {@code out}).
     */
    static String prepare(SimilarityMetric metric, Ops ops, Representation rep, SimilarityMetric.Prepared[] out,
                          int index) {
        String reason = undefinedBecause(rep);
        if (reason == null) {
            try {
                out[index] = Objects.requireNonNull(metric.prepare(ops, rep),
                        () -> "metric " + metric.name() + " prepared null");
            } catch (IllegalArgumentException e) {
                reason = "metric '" + metric.name() + "' refuses it: " + e.getMessage();
            }
        }
        return reason;
    }

    /** The file in the tiles folder that records which networks a computation skips. */
    static final String SKIP_FILE = "skipped.json";

    /** The skipped networks of a side in input order, from the reasons found while preparing (null: kept). */
    static List<Skipped> skipList(Side side, String[] why) {
        List<Skipped> l = new ArrayList<>();
        for (int i = 0; i < why.length; i++) {
            if (why[i] != null) {
                l.add(new Skipped(side.ids().get(i), why[i]));
            }
        }
        return List.copyOf(l);
    }

    /** Input positions of the networks not skipped, in input order. */
    private static int[] kept(Side side, List<Skipped> skipped) {
        HashSet<String> out = new HashSet<>();
        for (Skipped s : skipped) {
            out.add(s.id());
        }
        int[] k = new int[side.size() - out.size()];
        int at = 0;
        for (int i = 0; i < side.size(); i++) {
            if (!out.contains(side.ids().get(i))) {
                k[at++] = i;
            }
        }
        return k;
    }

    private static void requireSome(Side side, int[] kept, List<Skipped> skipped, String which) {
        if (kept.length == 0) {
            throw new GeometryException("Every " + which + "network (" + side.size() + ", " + side.states()
                    + ") was skipped, so there is no matrix to compute; first: " + skipped.get(0).id() + ": "
                    + skipped.get(0).reason());
        }
    }

    /** The skip decision of a previous run with this key, or null when there is none (or it is unreadable). */
    private static Map<String, List<Skipped>> readSkipRecord(Path file, String keyHex) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            var node = Json.LENIENT.readTree(Files.readAllBytes(file));
            if (!keyHex.equals(node.path("key").asText(null)) || !node.path("rows").isArray()
                    || !node.path("cols").isArray()) {
                return null;
            }
            return Map.of("rows", skippedFrom(node.path("rows")), "cols", skippedFrom(node.path("cols")));
        } catch (IOException | RuntimeException e) {
            return null; // decided again from the states
        }
    }

    private static List<Skipped> skippedFrom(com.fasterxml.jackson.databind.JsonNode array) {
        List<Skipped> l = new ArrayList<>();
        for (var n : array) {
            l.add(new Skipped(n.path("id").asText(), n.path("reason").asText()));
        }
        return List.copyOf(l);
    }

    /**
     * Why a representation has no defined distance under any of the shipped metrics, or null: non-finite entries,
     * or every unit constant over the samples (zero variance: no principal subspace, no Gram matrix, no shape).
     */
    static String undefinedBecause(Representation r) {
        int s = r.samples();
        int n = r.units();
        double[] x = r.data();
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return "non-finite states (NaN or infinity)";
            }
        }
        for (int i = 1; i < s; i++) {
            int row = i * n;
            for (int p = 0; p < n; p++) {
                if (x[row + p] != x[p]) {
                    return null;
                }
            }
        }
        return "constant states: each of the " + n + " units has the same value on all " + s
                + " samples (zero variance, e.g. a dead relu network), so the distance is undefined";
    }

    static List<Tile> tilePlan(int nr, int nc, int t, boolean square) {
        List<Tile> plan = new ArrayList<>();
        int br = (nr + t - 1) / t;
        int bc = (nc + t - 1) / t;
        for (int bi = 0; bi < br; bi++) {
            for (int bj = square ? bi : 0; bj < bc; bj++) {
                plan.add(new Tile(bi, bj, bi * t, Math.min(nr, (bi + 1) * t), bj * t, Math.min(nc, (bj + 1) * t),
                        square && bi == bj));
            }
        }
        return plan;
    }

    private static int count(boolean[] b) {
        int c = 0;
        for (boolean x : b) {
            c += x ? 1 : 0;
        }
        return c;
    }

    /**
     * Loads and prepares the networks marked in {@code need}, in parallel. With {@code why} non-null a network whose
     * distance is undefined ({@link #undefinedBecause}, or refused by the metric's prepare) gets its reason there and
     * no prepared form; without it such a network is an error (a resumed run's skip decision no longer holds).
     */
    private void prepareAll(ExecutorService pool, Side side, boolean[] need, SimilarityMetric.Prepared[] out,
                            String[] why) throws IOException, InterruptedException {
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            if (!need[i]) {
                continue;
            }
            int idx = i;
            futures.add(pool.submit(() -> {
                String id = side.ids().get(idx);
                Representation rep;
                try {
                    rep = side.loader().load(id);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                String reason = prepare(metric, ops, rep, out, idx);
                if (reason != null) {
                    if (why == null) {
                        throw new GeometryException("Network " + id + " (" + side.states() + ", " + rep.samples()
                                + " x " + rep.units() + ") cannot be prepared (" + reason + ") although an earlier"
                                + " run of this matrix kept it; its states changed: delete " + SKIP_FILE
                                + " in the tiles folder and rerun");
                    }
                    why[idx] = reason;
                    listener.skipped(id, side.states(), reason);
                }
                listener.prepared(id);
                return null;
            }));
        }
        await(futures);
    }

    private void computeTiles(ExecutorService pool, List<Tile> todo, SimilarityMetric.Prepared[] pr,
                              SimilarityMetric.Prepared[] pc, Path tilesDir, byte[] key, int t)
            throws IOException, InterruptedException {
        if (todo.isEmpty()) {
            return;
        }
        Files.createDirectories(tilesDir);
        List<SimilarityMetric.Prepared> rowList = Arrays.asList(pr);
        List<SimilarityMetric.Prepared> colList = Arrays.asList(pc);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < Math.min(threads, todo.size()); w++) {
            futures.add(pool.submit(() -> {
                // one result buffer and one file buffer per thread, reused for every tile
                double[] buf = new double[t * t];
                double[] scratch = tileScratch(t);
                ByteBuffer bytes = ByteBuffer.allocate(TILE_HEADER + 8 * t * t + 8).order(ByteOrder.LITTLE_ENDIAN);
                for (int k = next.getAndIncrement(); k < todo.size(); k = next.getAndIncrement()) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedIOException("all-pairs computation interrupted");
                    }
                    Tile tile = todo.get(k);
                    computeTile(metric, ops, tile, rowList.subList(tile.r0(), tile.r1()),
                            colList.subList(tile.c0(), tile.c1()), buf, scratch);
                    writeTile(tilesDir.resolve(tile.file()), tile, key, buf, bytes);
                    listener.tileDone(tile.pairs());
                }
                return null;
            }));
        }
        await(futures);
    }

    /** The scratch a tile of side {@code t} needs besides its result buffer ({@link #computeTile}). */
    static double[] tileScratch(int t) {
        int leaf = Math.min(t, DIAGONAL_LEAF);
        return new double[Math.max(((t + 1) / 2) * ((t + 1) / 2), leaf * leaf)];
    }

    /**
     * One tile's distances into {@code buf} (row-major, {@code tile.rows() × tile.cols()}), from the prepared
     * networks of its rows and its columns only. The one computation both this JVM's threads and
     * {@link DistanceUnitRunner} use, so a tile's values never depend on where it was computed.
     */
    static void computeTile(SimilarityMetric metric, Ops ops, Tile tile, List<SimilarityMetric.Prepared> rows,
                            List<SimilarityMetric.Prepared> cols, double[] buf, double[] scratch) {
        int n = tile.rows() * tile.cols();
        // NaN first, so entries a faulty metric leaves unwritten show up as non-finite, never as stale values
        Arrays.fill(buf, 0, n, Double.NaN);
        if (tile.diagonal()) {
            diagonal(metric, ops, rows, 0, 0, tile.rows(), tile.cols(), buf, scratch);
        } else {
            metric.distances(ops, rows, cols, buf);
        }
    }

    /**
     * The upper triangle of a diagonal tile without computing its lower half: split the networks [lo, hi) in two
     * halves A, B; A×A and B×B recursively, A×B as one rectangular call. Leaves of at most {@value #DIAGONAL_LEAF}
     * networks are computed whole. The lower triangle is then mirrored and the diagonal set to 0, so a tile file is
     * a symmetric block. Deterministic: the split depends only on the tile.
     */
    private static void diagonal(SimilarityMetric metric, Ops ops, List<SimilarityMetric.Prepared> list, int base,
                                 int lo, int hi, int ld, double[] buf, double[] scratch) {
        int n = hi - lo;
        if (n <= DIAGONAL_LEAF) {
            metric.distances(ops, list.subList(lo, hi), list.subList(lo, hi), scratch);
            for (int i = 0; i < n; i++) {
                System.arraycopy(scratch, i * n, buf, (lo - base + i) * ld + (lo - base), n);
            }
        } else {
            int mid = lo + n / 2;
            diagonal(metric, ops, list, base, lo, mid, ld, buf, scratch);
            diagonal(metric, ops, list, base, mid, hi, ld, buf, scratch);
            int rows = mid - lo;
            int cols = hi - mid;
            metric.distances(ops, list.subList(lo, mid), list.subList(mid, hi), scratch);
            for (int i = 0; i < rows; i++) {
                System.arraycopy(scratch, i * cols, buf, (lo - base + i) * ld + (mid - base), cols);
            }
        }
        if (lo == base && hi - lo == ld) {
            for (int i = 0; i < ld; i++) {
                buf[i * ld + i] = 0.0;
                for (int j = i + 1; j < ld; j++) {
                    buf[j * ld + i] = buf[i * ld + j];
                }
            }
        }
    }

    private static void await(List<Future<?>> futures) throws IOException, InterruptedException {
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            for (Future<?> f : futures) {
                f.cancel(true);
            }
            Throwable c = e.getCause();
            if (c instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        } catch (InterruptedException e) {
            for (Future<?> f : futures) {
                f.cancel(true);
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- tile files

    static void writeTile(Path file, Tile tile, byte[] key, double[] buf, ByteBuffer bytes)
            throws IOException {
        int n = tile.rows() * tile.cols();
        bytes.clear();
        bytes.put(TILE_MAGIC).put(key).putInt(tile.bi()).putInt(tile.bj()).putInt(tile.rows()).putInt(tile.cols());
        for (int i = 0; i < n; i++) {
            bytes.putDouble(buf[i]);
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes.array(), 0, bytes.position());
        bytes.putLong(crc.getValue());
        bytes.flip();
        AtomicFiles.write(file, bytes);
    }

    /** The tile's values, or null when the file is missing, from another computation, or damaged. */
    static double[] readTile(Path file, Tile tile, byte[] key) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        int n = tile.rows() * tile.cols();
        long expected = TILE_HEADER + 8L * n + 8;
        if (Files.size(file) != expected) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.capacity() != expected) {
            return null;
        }
        byte[] magic = new byte[TILE_MAGIC.length];
        byte[] k = new byte[key.length];
        b.get(magic).get(k);
        if (!Arrays.equals(magic, TILE_MAGIC) || !Arrays.equals(k, key) || b.getInt() != tile.bi()
                || b.getInt() != tile.bj() || b.getInt() != tile.rows() || b.getInt() != tile.cols()) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, (int) expected - 8);
        if (b.getLong((int) expected - 8) != crc.getValue()) {
            return null;
        }
        double[] v = new double[n];
        b.position(TILE_HEADER);
        b.asDoubleBuffer().get(v);
        return v;
    }

    private static boolean validTile(Path file, Tile tile, byte[] key) throws IOException {
        return readTile(file, tile, key) != null;
    }

    private static void deleteTiles(Path tilesDir) throws IOException {
        if (!Files.isDirectory(tilesDir)) {
            return;
        }
        try (var s = Files.list(tilesDir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(tilesDir);
    }

    // ---------------------------------------------------------------- assembly

    /**
     * Streams the matrix into {@code <name>.npy} one band of tile rows at a time, atomically
     * ({@link AtomicFiles#write(Path, AtomicFiles.Content)}: a temporary sibling, made durable and renamed, on any
     * java.nio provider). Returns the number of non-finite entries.
     */
    private static long assemble(List<Tile> plan, Path tilesDir, byte[] key, int nr, int nc, int t, boolean square,
                                 Path matrix) throws IOException {
        Map<Long, Tile> byBlock = new TreeMap<>();
        for (Tile tile : plan) {
            byBlock.put(((long) tile.bi() << 32) | tile.bj(), tile);
        }
        long[] nonFinite = {0};
        int blocks = (nr + t - 1) / t;
        int colBlocks = (nc + t - 1) / t;
        AtomicFiles.write(matrix, ch -> {
            write(ch, NpyStream.header(nr, nc));
            for (int bi = 0; bi < blocks; bi++) {
                int r0 = bi * t;
                int rows = Math.min(nr, r0 + t) - r0;
                double[] band = new double[rows * nc];
                for (int bj = 0; bj < colBlocks; bj++) {
                    boolean mirrored = square && bj < bi;
                    Tile tile = mirrored ? byBlock.get(((long) bj << 32) | bi) : byBlock.get(((long) bi << 32) | bj);
                    double[] v = readTile(tilesDir.resolve(tile.file()), tile, key);
                    if (v == null) {
                        throw new IOException("Tile " + tilesDir.resolve(tile.file()) + " vanished or was damaged"
                                + " while the matrix was assembled; rerun to recompute it");
                    }
                    int tc = tile.cols();
                    if (mirrored) {
                        // band rows are the tile's columns: entry (r0+i, c) = tile (c, r0+i)
                        for (int i = 0; i < rows; i++) {
                            for (int j = 0; j < tile.rows(); j++) {
                                band[i * nc + tile.r0() + j] = v[j * tc + i];
                            }
                        }
                    } else if (tile.diagonal()) {
                        for (int i = 0; i < rows; i++) {
                            band[i * nc + r0 + i] = 0.0;
                            for (int j = i + 1; j < tc; j++) {
                                double d = v[i * tc + j];
                                band[i * nc + r0 + j] = d;
                                band[j * nc + r0 + i] = d;
                            }
                        }
                    } else {
                        for (int i = 0; i < rows; i++) {
                            System.arraycopy(v, i * tc, band, i * nc + tile.c0(), tc);
                        }
                    }
                }
                for (double d : band) {
                    if (!Double.isFinite(d)) {
                        nonFinite[0]++;
                    }
                }
                ByteBuffer bytes = ByteBuffer.allocate(8 * band.length).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asDoubleBuffer().put(band);
                write(ch, bytes);
            }
        });
        return nonFinite[0];
    }

    private static void write(WritableByteChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void removeOwnTemporaries(Path outDir, String name) throws IOException {
        for (String f : new String[] {name + ".npy", name + ".json"}) {
            String prefix = "." + f + AtomicFiles.TMP_INFIX;
            try (var s = Files.list(outDir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    if (p.getFileName().toString().startsWith(prefix)) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- metadata

    private Map<String, Object> metricInfo() {
        return metricInfo(metric);
    }

    /** The metric as recorded in sidecars and keys. */
    static Map<String, Object> metricInfo(SimilarityMetric metric) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", metric.name());
        m.put("version", metric.version());
        m.put("class", metric.getClass().getName());
        m.put("jar", jarOf(metric.getClass()));
        m.put("options", new TreeMap<>(metric.options()));
        m.put("error_bound", metric.errorBound());
        m.put("range", metric.range());
        return m;
    }

    /** Everything a tile's values depend on. */
    private Map<String, Object> keyContent(Side rows, Side cols, boolean square, int t) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("format", FORMAT);
        k.put("mode", square ? "square" : "cross");
        k.put("metric", metricInfo());
        k.put("kernel", ops.name());
        k.put("rnnatlas", BuildInfo.version() + " " + BuildInfo.commit());
        k.put("tile_size", t);
        k.put("row_states", rows.states());
        k.put("row_ids", rows.ids());
        k.put("col_states", cols.states());
        k.put("col_ids", cols.ids());
        return k;
    }

    private Map<String, Object> sidecarContent(String name, Side rows, Side cols, boolean square, int t, String key,
                                               long nonFinite, int[] keptRows, int[] keptCols,
                                               List<Skipped> skippedRows, List<Skipped> skippedCols) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("format", FORMAT);
        s.put("name", name);
        s.put("mode", square ? "square" : "cross");
        s.put("shape", List.of(keptRows.length, keptCols.length));
        s.put("dtype", "float64");
        s.put("metric", metricInfo());
        s.put("row_states", rows.states());
        s.put("row_ids", idsAt(rows, keptRows));
        s.put("col_states", cols.states());
        s.put("col_ids", idsAt(cols, keptCols));
        // networks left out of the matrix and why; [] when none
        s.put("skipped_rows", skippedRows);
        s.put("skipped_cols", skippedCols);
        s.put("tile_size", t);
        s.put("non_finite", nonFinite);
        s.put("key", key);
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("rnnatlas_version", BuildInfo.version());
        prov.put("rnnatlas_commit", BuildInfo.commit());
        prov.put("spi_version", SpiVersion.string());
        prov.put("kernel", ops.name());
        prov.put("jdk", BuildInfo.jdk());
        s.put("provenance", prov);
        return s;
    }

    private static List<String> idsAt(Side side, int[] positions) {
        List<String> l = new ArrayList<>(positions.length);
        for (int p : positions) {
            l.add(side.ids().get(p));
        }
        return l;
    }

    private static String sidecarKey(Path sidecar) {
        try {
            var node = Json.LENIENT.readTree(Files.readAllBytes(sidecar));
            return node.path("key").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** The file name of the jar a class came from, or "classes" for a folder; file names only, so bytes match. */
    static String jarOf(Class<?> c) {
        try {
            var src = c.getProtectionDomain().getCodeSource();
            if (src == null || src.getLocation() == null) {
                return "unknown";
            }
            Path p = Path.of(src.getLocation().toURI());
            return Files.isDirectory(p) ? "classes" : p.getFileName().toString();
        } catch (Exception e) {
            return "unknown";
        }
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
        }
        return sb.toString();
    }

    /** File-name rules for matrix names. */
    static final class MatrixName {
        private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

        static boolean valid(String name) {
            return name != null && NAME.matcher(name).matches();
        }
    }
}
