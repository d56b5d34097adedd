package org.rnnatlas.core.geometry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.rnnatlas.core.exec.WorkerContext;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.population.Store;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.SimilarityMetric;
import org.rnnatlas.spi.UnitRunner;
import org.rnnatlas.spi.WorkUnit;

/**
 * Runs the units of a distance matrix that {@link AllPairs#withExecutor} plans, in two kinds:
 *
 * <ul>
 *   <li>{@value #CHECK}: loads and prepares one block of {@code tile_size} networks of one side (the ids are in the
 *       tiles folder's {@code sides.json}) and writes {@code check-<side>-<block>.json}: for each network, null or
 *       why its distances are undefined. The driver merges the blocks into the skip decision.</li>
 *   <li>{@value #TILE_KIND}: loads and prepares the networks of one tile's rows and columns (the kept ids are in
 *       {@code plan.json}) and writes {@code tile-<i>-<j>.bin} atomically, computed by the same
 *       {@code AllPairs.computeTile} as this JVM's threads use, so the bytes never depend on the executor.</li>
 * </ul>
 *
 * <p><b>Preparation.</b> Units prepare the networks they need themselves (about 17 ms of CPU a network for SVCCA at
 * 128 units) rather than staging prepared forms in the store, and each worker JVM keeps the prepared forms of the
 * matrix it is working on ({@link #cache}: one matrix at a time, keyed by the matrix's input key, states and id).
 * So a worker prepares each network it meets once per matrix, as the local engine does, instead of once per tile
 * (a tile of side 256 needs up to 512 networks, about 9 s of CPU against about 1 s for its 65,536 SVCCA pairs).
 * Preparation is deterministic, so the memo changes no result. A unit whose file is already there with its key is
 * a no-op.
 *
 * <p>Args: {@value #STORE}, {@value WorkerContext#KERNEL}, {@value WorkerContext#PLUGIN_PATH}, {@value #METRIC},
 * {@value #METRIC_OPTIONS} (JSON object), {@value #DIR} (the matrix's folder), {@value #NAME} (the matrix),
 * {@value #KEY} (hex key the tiles folder's files must carry), and {@value #SIDE} + {@value #BLOCK} for a check or
 * {@value #TILE} ({@code i,j}) for a tile. The sides' states are {@link Representations.States#label()}s.
 */
public final class DistanceUnitRunner implements UnitRunner {
    /** Unit kind: check (prepare) one block of networks of one side. */
    public static final String CHECK = "distance-check";
    /** Unit kind: compute one tile. */
    public static final String TILE_KIND = "distance-tile";
    public static final String STORE = "store";
    public static final String METRIC = "metric";
    public static final String METRIC_OPTIONS = "metric_options";
    public static final String DIR = "dir";
    public static final String NAME = "name";
    public static final String KEY = "key";
    public static final String SIDE = "side";
    public static final String BLOCK = "block";
    public static final String TILE = "tile";

    public DistanceUnitRunner() {
    }

    /** One network's preparation: its prepared form, or why its distances are undefined. */
    private record Outcome(SimilarityMetric.Prepared prepared, String reason) {
    }

    /** The prepared forms of one matrix's networks in this JVM, by states and id. */
    private record Cache(String key, ConcurrentHashMap<String, CompletableFuture<Outcome>> forms) {
    }

    private static final AtomicReference<Cache> CACHE = new AtomicReference<>();

    /** The memo of the matrix with input key {@code key}; a unit of another matrix replaces the previous memo. */
    static Cache cache(String key) {
        while (true) {
            Cache c = CACHE.get();
            if (c != null && c.key().equals(key)) {
                return c;
            }
            Cache fresh = new Cache(key, new ConcurrentHashMap<>());
            if (CACHE.compareAndSet(c, fresh)) {
                return fresh;
            }
        }
    }

    /**
     * The network prepared for {@code metric}, from the memo or computed here; a thread that asks for a network
     * another thread is preparing waits for it, so each is prepared once per worker JVM and matrix.
     */
    private static Outcome prepare(Cache cache, SimilarityMetric metric, Ops ops, Representations reps, String id)
            throws IOException {
        String k = reps.states().label() + "/" + id;
        CompletableFuture<Outcome> mine = new CompletableFuture<>();
        CompletableFuture<Outcome> theirs = cache.forms().putIfAbsent(k, mine);
        if (theirs != null) {
            try {
                return theirs.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        }
        try {
            SimilarityMetric.Prepared[] one = new SimilarityMetric.Prepared[1];
            String why = AllPairs.prepare(metric, ops, reps.load(id), one, 0);
            Outcome o = new Outcome(one[0], why);
            mine.complete(o);
            return o;
        } catch (IOException | RuntimeException | Error e) {
            // not memoised: a later unit (Spark's retry) tries again
            cache.forms().remove(k, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    @Override
    public String run(WorkUnit unit) throws IOException {
        Path tiles = WorkerContext.path(unit.arg(DIR)).resolve(unit.arg(NAME) + ".tiles");
        return switch (unit.kind()) {
            case CHECK -> check(unit, tiles);
            case TILE_KIND -> tile(unit, tiles);
            default -> throw new IllegalArgumentException("Unknown unit kind '" + unit.kind() + "' for "
                    + DistanceUnitRunner.class.getSimpleName() + "; it runs " + CHECK + " and " + TILE_KIND);
        };
    }

    private static String check(WorkUnit unit, Path tiles) throws IOException {
        String key = unit.arg(KEY);
        JsonNode sides = plan(tiles.resolve(AllPairs.SIDES_FILE), key, unit);
        String which = unit.arg(SIDE);
        if (!which.equals("rows") && !which.equals("cols")) {
            throw new IllegalArgumentException("Unit " + unit.id() + ": side must be rows or cols, got " + which);
        }
        int block = Integer.parseInt(unit.arg(BLOCK));
        Path out = tiles.resolve(checkFile(which, block));
        if (Files.isRegularFile(out) && key.equals(Json.LENIENT.readTree(Files.readAllBytes(out)).path("key").asText(null))) {
            return unit.id() + " finished already";
        }
        Ops ops = WorkerContext.kernel(unit.arg(WorkerContext.KERNEL));
        SimilarityMetric metric = metric(unit, sides);
        String prefix = which.equals("rows") ? "row" : "col";
        Representations reps = new Representations(new Store(WorkerContext.path(unit.arg(STORE))),
                states(sides.path(prefix + "_states").asText()));
        List<String> ids = strings(sides.path(prefix + "_ids"));
        int t = sides.path("tile_size").asInt();
        int lo = block * t;
        int hi = Math.min(ids.size(), lo + t);
        if (block < 0 || lo >= ids.size()) {
            throw new IllegalArgumentException("Unit " + unit.id() + ": block " + block + " is outside the "
                    + ids.size() + " networks of its side");
        }
        Cache cache = cache(key);
        List<String> reasons = new ArrayList<>();
        int skipped = 0;
        for (int i = lo; i < hi; i++) {
            String why = prepare(cache, metric, ops, reps, ids.get(i)).reason();
            reasons.add(why);
            skipped += why == null ? 0 : 1;
        }
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("key", key);
        rec.put("reasons", reasons);
        Json.write(out, rec);
        return String.format(Locale.ROOT, "%s: %d networks prepared, %d without a defined distance", unit.id(),
                hi - lo, skipped);
    }

    private static String tile(WorkUnit unit, Path tiles) throws IOException {
        String key = unit.arg(KEY);
        JsonNode plan = plan(tiles.resolve(AllPairs.PLAN_FILE), key, unit);
        byte[] keyBytes = unhex(key);
        String[] ij = unit.arg(TILE).split(",");
        int bi = Integer.parseInt(ij[0]);
        int bj = Integer.parseInt(ij[1]);
        int t = plan.path("tile_size").asInt();
        boolean square = plan.path("square").asBoolean();
        List<String> rowIds = strings(plan.path("row_ids"));
        List<String> colIds = strings(plan.path("col_ids"));
        AllPairs.Tile tile = null;
        for (AllPairs.Tile c : AllPairs.tilePlan(rowIds.size(), colIds.size(), t, square)) {
            if (c.bi() == bi && c.bj() == bj) {
                tile = c;
            }
        }
        if (tile == null) {
            throw new IllegalArgumentException("Unit " + unit.id() + ": tile " + bi + "," + bj + " is not in the plan"
                    + " of matrix " + unit.arg(NAME));
        }
        Path file = tiles.resolve(tile.file());
        if (AllPairs.readTile(file, tile, keyBytes) != null) {
            return unit.id() + " finished already";
        }
        Ops ops = WorkerContext.kernel(unit.arg(WorkerContext.KERNEL));
        SimilarityMetric metric = metric(unit, plan);
        Store store = new Store(WorkerContext.path(unit.arg(STORE)));
        Cache cache = cache(plan.path("inputs_key").asText());
        List<SimilarityMetric.Prepared> rows = prepared(cache, metric, ops, store, plan.path("row_states").asText(),
                rowIds.subList(tile.r0(), tile.r1()));
        List<SimilarityMetric.Prepared> cols = tile.diagonal() ? rows : prepared(cache, metric, ops, store,
                plan.path("col_states").asText(), colIds.subList(tile.c0(), tile.c1()));
        double[] buf = new double[tile.rows() * tile.cols()];
        AllPairs.computeTile(metric, ops, tile, rows, cols, buf, AllPairs.tileScratch(t));
        ByteBuffer bytes = ByteBuffer.allocate(AllPairs.TILE_HEADER + 8 * buf.length + 8)
                .order(ByteOrder.LITTLE_ENDIAN);
        AllPairs.writeTile(file, tile, keyBytes, buf, bytes);
        return String.format(Locale.ROOT, "%s: %d pairs", unit.id(), tile.pairs());
    }

    private static List<SimilarityMetric.Prepared> prepared(Cache cache, SimilarityMetric metric, Ops ops,
                                                            Store store, String states, List<String> ids)
            throws IOException {
        Representations reps = new Representations(store, states(states));
        SimilarityMetric.Prepared[] out = new SimilarityMetric.Prepared[ids.size()];
        for (int i = 0; i < out.length; i++) {
            Outcome o = prepare(cache, metric, ops, reps, ids.get(i));
            out[i] = o.prepared();
            String why = o.reason();
            if (why != null) {
                throw new GeometryException("Network " + ids.get(i) + " (" + states + ") cannot be prepared ("
                        + why + ") although the check of this matrix kept it; its states changed: delete "
                        + AllPairs.SKIP_FILE + " in the tiles folder and rerun");
            }
        }
        return List.of(out);
    }

    /** The driver's plan file, which must carry the unit's key (else the driver planned another computation). */
    private static JsonNode plan(Path file, String key, WorkUnit unit) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new GeometryException("Unit " + unit.id() + " finds no " + file + "; the driver writes it before"
                    + " running units (is the store on a filesystem every worker reaches under the same path?)");
        }
        JsonNode plan = Json.LENIENT.readTree(Files.readAllBytes(file));
        if (!key.equals(plan.path("key").asText(null))) {
            throw new GeometryException("Unit " + unit.id() + " belongs to another computation than " + file
                    + " describes (key " + key + " vs " + plan.path("key").asText() + "); rerun the command");
        }
        return plan;
    }

    /** The unit's metric on this worker, which must be the driver's (name, version, class, jar, options). */
    private static SimilarityMetric metric(WorkUnit unit, JsonNode plan) throws IOException {
        Plugins plugins = WorkerContext.plugins(unit.arg(WorkerContext.PLUGIN_PATH));
        String name = unit.arg(METRIC);
        if (!plugins.similarityMetrics().contains(name)) {
            throw new IllegalStateException("Unit " + unit.id() + " needs metric '" + name + "', which this worker"
                    + " does not have (it has " + plugins.similarityMetrics().names() + ")");
        }
        Map<String, String> opts = Json.LENIENT.readValue(unit.arg(METRIC_OPTIONS),
                new com.fasterxml.jackson.core.type.TypeReference<TreeMap<String, String>>() {
                });
        SimilarityMetric metric = plugins.similarityMetrics().get(name).configure(opts);
        JsonNode mine = Json.LENIENT.readTree(Json.write(AllPairs.metricInfo(metric)));
        if (!mine.equals(plan.path("metric"))) {
            throw new IllegalStateException("Metric " + name + " on this worker is " + mine + " but the driver's is "
                    + plan.path("metric") + "; give workers the driver's plugin jars");
        }
        return metric;
    }

    /** The states whose {@link Representations.States#label()} is {@code label}. */
    static Representations.States states(String label) {
        for (boolean untrained : new boolean[] {false, true}) {
            for (boolean full : new boolean[] {false, true}) {
                Representations.States s = new Representations.States(untrained, full);
                if (s.label().equals(label)) {
                    return s;
                }
            }
        }
        throw new GeometryException("A distance matrix computed as work units needs sides loaded from a store"
                + " (states trained-h, trained-full, untrained-h or untrained-full), got states '" + label + "'");
    }

    static String checkFile(String side, int block) {
        return "check-" + side + "-" + block + ".json";
    }

    /** The reasons of every network of one side from its check files (null: kept). */
    static String[] readChecks(Path tiles, String side, int n, int t, String key) throws IOException {
        String[] why = new String[n];
        for (int b = 0; b * t < n; b++) {
            Path f = tiles.resolve(checkFile(side, b));
            JsonNode node = Files.isRegularFile(f) ? Json.LENIENT.readTree(Files.readAllBytes(f)) : null;
            if (node == null || !key.equals(node.path("key").asText(null))
                    || node.path("reasons").size() != Math.min(n, (b + 1) * t) - b * t) {
                throw new GeometryException(f + " is missing or from another computation although its unit ended;"
                        + " rerun the command");
            }
            for (int i = 0; i < node.path("reasons").size(); i++) {
                JsonNode r = node.path("reasons").get(i);
                why[b * t + i] = r.isNull() ? null : r.asText();
            }
        }
        return why;
    }

    private static List<String> strings(JsonNode array) {
        List<String> l = new ArrayList<>();
        for (JsonNode n : array) {
            l.add(n.asText());
        }
        return l;
    }

    private static byte[] unhex(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
