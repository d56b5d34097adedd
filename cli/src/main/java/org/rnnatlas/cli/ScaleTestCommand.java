package org.rnnatlas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.rnnatlas.core.geometry.AllPairs;
import org.rnnatlas.core.geometry.DistanceMatrix;
import org.rnnatlas.core.geometry.SyntheticRepresentations;
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.core.population.SpecException;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.spi.Representation;
import org.rnnatlas.spi.SimilarityMetric;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rnnatlas scale-test}: times the all-pairs engine on a seeded synthetic population (the scale target).
 *
 * <p>Networks are generated on demand by {@link SyntheticRepresentations} inside the engine's preparation (the whole
 * population would not fit in memory: 2,880 × 6,400 × 160 doubles ≈ 24 GB). Generation is timed inside the loader,
 * summed over threads, and subtracted from the preparation phase's wall time in proportion to the thread count, so
 * generation is reported apart from the metric's own work.
 */
@Command(name = "scale-test", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Time the all-pairs distance engine on a synthetic population shaped like trained RNNs on the flip-flop"
                + " probe set: --samples samples per network, 64-256 units, a 95%%-variance dimension of 5-20 and"
                + " isotropic noise carrying 1%% of the variance (see SyntheticRepresentations). The population is"
                + " generated in memory from --seed, network by network as the engine prepares it; nothing is read"
                + " from a store.",
            "",
            "Prints a timing breakdown: generation (reported apart), preparation, tiles, assembly and total (without"
                + " generation), each as wall time and as CPU time of the whole process (on a shared machine wall"
                + " time depends on the other load), pairs per second, the cost per pair, and the metric's recorded"
                + " error bound. With"
                + " --check N it also recomputes N random pairs with the metric's plain per-pair path and reports the"
                + " largest deviation of the matrix from it.",
            "",
            "Examples:",
            "  rnnatlas scale-test --metric svcca --threads 2     (2,880 networks: the scale target)",
            "  rnnatlas scale-test --metric cka --threads 2 --check 200",
            "  rnnatlas scale-test --metric svcca --networks 480 --option threshold=0.99 --out /tmp/st --keep",
            ""})
final class ScaleTestCommand implements Callable<Integer> {

    @Option(names = "--metric", paramLabel = "NAME", defaultValue = "svcca",
            description = "Similarity metric (default: ${DEFAULT-VALUE}). Installed: ${COMPLETION-CANDIDATES}.",
            completionCandidates = Candidates.SimilarityMetrics.class)
    String metricName;

    @Option(names = "--networks", paramLabel = "N", defaultValue = "2880",
            description = "Networks in the synthetic population (default: ${DEFAULT-VALUE}, one task of the paper).")
    int networks;

    @Option(names = "--samples", paramLabel = "S", defaultValue = "6400",
            description = "Samples (probe time points) per network (default: ${DEFAULT-VALUE}, the flip-flop probe"
                    + " set); at least 40.")
    int samples;

    @Option(names = "--families", paramLabel = "F", defaultValue = "8",
            description = "Clusters of related networks in the population (default: ${DEFAULT-VALUE}).")
    int families;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "0",
            description = "Seed of the synthetic population (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--option", paramLabel = "KEY=VALUE",
            description = "A metric option, e.g. threshold=0.99 (svcca) or tolerance=0.001 (cka). Repeatable.")
    List<String> options = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all cores).")
    Integer threads;

    @Option(names = "--tile", paramLabel = "SIDE", defaultValue = "0",
            description = "Tile side in networks (default: 0, the engine's automatic choice).")
    int tile;

    @Option(names = "--check", paramLabel = "PAIRS", defaultValue = "100",
            description = "Random pairs recomputed with the metric's per-pair reference path after the run"
                    + " (default: ${DEFAULT-VALUE}; 0 skips the check).")
    int check;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder for the matrix, its sidecar and the tile files (default: a new temporary folder).")
    Path out;

    @Option(names = "--keep", description = "Keep the matrix and sidecar (default: delete what the run wrote, and the temporary folder).")
    boolean keep;

    @Mixin
    PluginOptions pluginOptions;

    @Spec
    CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (networks < 2) {
            throw new SpecException("--networks must be >= 2, got " + networks);
        }
        if (samples < 2 * SyntheticRepresentations.MAX_DIMENSION) {
            throw new SpecException("--samples must be >= " + 2 * SyntheticRepresentations.MAX_DIMENSION
                    + " (twice the largest signal dimension), got " + samples);
        }
        if (families < 1) {
            throw new SpecException("--families must be >= 1, got " + families);
        }
        if (tile < 0) {
            throw new SpecException("--tile must be >= 1 (or 0 for automatic), got " + tile);
        }
        if (check < 0) {
            throw new SpecException("--check must be >= 0, got " + check);
        }
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new SpecException("--threads must be >= 1, got " + n);
        }
        Plugins plugins = pluginOptions.load();
        if (!plugins.similarityMetrics().contains(metricName)) {
            throw new CommandLine.ParameterException(commandSpec.commandLine(), "Unknown metric '" + metricName
                    + "'. Installed: " + plugins.similarityMetrics().names()
                    + ". Is its jar on the class path or in --plugin-dir?");
        }
        Map<String, String> opts = new TreeMap<>();
        for (String o : options) {
            int eq = o.indexOf('=');
            if (eq < 1 || eq == o.length() - 1) {
                throw new CommandLine.ParameterException(commandSpec.commandLine(), "--option '" + o
                        + "' is not KEY=VALUE (e.g. threshold=0.99)");
            }
            opts.put(o.substring(0, eq), o.substring(eq + 1));
        }
        SimilarityMetric metric;
        try {
            metric = plugins.similarityMetrics().get(metricName).configure(opts);
        } catch (IllegalArgumentException e) {
            throw new SpecException("--option for " + metricName + ": " + e.getMessage());
        }

        PrintWriter o = commandSpec.commandLine().getOut();
        boolean temp = out == null;
        Path dir = temp ? Files.createTempDirectory("rnnatlas-scale-test-") : out;
        try {
            run(metric, n, dir, o);
        } finally {
            if (!keep) {
                // a temporary folder goes whole; in a given --out only what this run wrote
                if (temp) {
                    deleteTree(dir);
                } else {
                    for (String f : new String[] {metric.name() + ".npy", metric.name() + ".json", metric.name() + ".tiles"}) {
                        deleteTree(dir.resolve(f));
                    }
                }
            } else {
                o.println("Kept " + dir);
            }
            o.flush();
        }
        return Main.OK;
    }

    private void run(SimilarityMetric metric, int n, Path dir, PrintWriter o) throws IOException, InterruptedException {
        SyntheticRepresentations pop = new SyntheticRepresentations(networks, samples, families, seed);
        AtomicLong genNanos = new AtomicLong();
        AtomicLong genCpu = new AtomicLong();
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        AllPairs.Side side = pop.side();
        // the loader is timed so that generation can be reported apart from the metric's preparation
        AllPairs.Side timed = new AllPairs.Side(side.ids(), side.states(), id -> {
            long c0 = threadBean.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            Representation r = pop.load(id);
            genNanos.addAndGet(System.nanoTime() - t0);
            genCpu.addAndGet(threadBean.getCurrentThreadCpuTime() - c0);
            return r;
        });
        PhaseClock clock = new PhaseClock(AllPairs.Listener.progressBar(System.err, System.console() != null,
                "scale-test"));
        o.printf(Locale.ROOT, "scale-test: %d synthetic networks (seed %d, %d samples, %d families), metric %s %s,"
                        + " %d thread%s, kernel %s%n", networks, seed, samples, families, metric.name(),
                metric.options(), n, n == 1 ? "" : "s", Kernels.describe());
        o.flush();
        long t0 = System.nanoTime();
        clock.start = processCpu();
        AllPairs engine = new AllPairs(metric, Kernels.ops(), n).withTileSize(tile).withListener(clock);
        AllPairs.Result r = engine.square(timed, dir, metric.name());
        double wall = (System.nanoTime() - t0) / 1e9;
        long end = processCpu();

        double genSum = genNanos.get() / 1e9;
        // generation ran inside the preparation phase on n threads: its share of that phase's wall time
        double genWall = Math.min(r.prepareSeconds(), genSum / n);
        double prepare = r.prepareSeconds() - genWall;
        double total = prepare + r.computeSeconds() + r.assembleSeconds();
        long pairs = (long) networks * (networks - 1) / 2;
        // CPU seconds of the whole process per phase (all threads, JIT and GC included): on a shared machine wall
        // time depends on the other load, CPU time much less
        double genCpuS = genCpu.get() / 1e9;
        double prepCpu = clock.prepared < 0 ? Double.NaN : (clock.prepared - clock.start) / 1e9 - genCpuS;
        double tileCpu = clock.tiles < 0 ? Double.NaN : (clock.tiles - Math.max(clock.prepared, clock.start)) / 1e9;
        double asmCpu = clock.tiles < 0 ? Double.NaN : (end - clock.tiles) / 1e9;
        o.printf(Locale.ROOT, "phase            wall      CPU (all threads)%n");
        o.printf(Locale.ROOT, "generation   %9.2f s %9.2f s  (%.1f ms CPU per network; summed over threads"
                + " %.2f s wall)%n", genWall, genCpuS, 1e3 * genCpuS / networks, genSum);
        o.printf(Locale.ROOT, "preparation  %9.2f s %9.2f s  (%.1f ms CPU per network)%n", prepare, prepCpu,
                1e3 * prepCpu / networks);
        o.printf(Locale.ROOT, "tiles        %9.2f s %9.2f s  (%d tiles of %d networks a side)%n", r.computeSeconds(),
                tileCpu, r.tilesComputed(), r.tileSize());
        o.printf(Locale.ROOT, "assembly     %9.2f s %9.2f s%n", r.assembleSeconds(), asmCpu);
        o.printf(Locale.ROOT, "total        %9.2f s %9.2f s  (without generation; wall clock with it %.2f s)%n",
                total, (end - clock.start) / 1e9 - genCpuS, wall);
        o.printf(Locale.ROOT, "pairs        %d, %.0f pairs/s overall, tiles alone %.0f pairs/s%n", pairs,
                pairs / total, pairs / r.computeSeconds());
        o.printf(Locale.ROOT, "per pair     %.3f us wall (%.3f us thread time); tiles alone %.3f us wall%n",
                1e6 * total / pairs, 1e6 * total * n / pairs, 1e6 * r.computeSeconds() / pairs);
        o.printf(Locale.ROOT, "error bound  %s (recorded in %s)%n", metric.errorBound(), r.sidecar().getFileName());
        if (r.nonFinite() > 0) {
            o.printf(Locale.ROOT, "WARNING      %d non-finite distances%n", r.nonFinite());
        }
        for (AllPairs.Skipped sk : r.skippedRows()) {
            o.printf(Locale.ROOT, "skipped      %s: %s%n", sk.id(), sk.reason());
        }
        if (check > 0) {
            check(metric, pop, r.matrix(), o);
        }
    }

    /** Process CPU time in ns (all threads), or -1 when the JVM cannot tell. */
    private static long processCpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Forwards to the progress bar and notes the process CPU time when preparation and the tiles finish. */
    private static final class PhaseClock implements AllPairs.Listener {
        private final AllPairs.Listener bar;
        private final AtomicLong preparedCount = new AtomicLong();
        private final AtomicLong tilesCount = new AtomicLong();
        private volatile long prepareTotal = -1;
        private volatile long tileTotal = -1;
        volatile long start = -1;
        volatile long prepared = -1;
        volatile long tiles = -1;

        PhaseClock(AllPairs.Listener bar) {
            this.bar = bar;
        }

        @Override
        public void preparing(int total) {
            prepareTotal = total;
            bar.preparing(total);
        }

        @Override
        public void prepared(String id) {
            if (preparedCount.incrementAndGet() == prepareTotal) {
                prepared = processCpu();
            }
            bar.prepared(id);
        }

        @Override
        public void planned(long pairs, long resumedPairs, int tiles, int resumedTiles) {
            tileTotal = tiles - resumedTiles;
            bar.planned(pairs, resumedPairs, tiles, resumedTiles);
        }

        @Override
        public void tileDone(long pairs) {
            if (tilesCount.incrementAndGet() == tileTotal) {
                tiles = processCpu();
            }
            bar.tileDone(pairs);
        }

        @Override
        public void finished(AllPairs.Result result) {
            bar.finished(result);
        }
    }

    /**
     * Recomputes random pairs with prepare (on the same kernels as the engine) + the per-pair
     * {@link SimilarityMetric#distance} and compares; entries are looked up by network id, so skipped networks
     * (none in a synthetic population) cannot shift them.
     */
    private void check(SimilarityMetric metric, SyntheticRepresentations pop, Path matrix, PrintWriter o)
            throws IOException {
        DistanceMatrix d = DistanceMatrix.read(matrix);
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5eedL);
        // a small pool of networks, so each is generated and prepared once
        int poolSize = Math.min(networks, Math.max(2, (int) Math.ceil(Math.sqrt(2.0 * check)) + 1));
        int[] pool = rnd.ints(0, networks).distinct().limit(poolSize).toArray();
        Map<Integer, SimilarityMetric.Prepared> prepared = new HashMap<>();
        org.rnnatlas.spi.Ops ops = Kernels.ops();
        double maxDev = 0.0;
        double sumDev = 0.0;
        int done = 0;
        String worst = "";
        outer:
        for (int a = 0; a < pool.length; a++) {
            for (int b = a + 1; b < pool.length; b++) {
                if (done == check) {
                    break outer;
                }
                int i = pool[a];
                int j = pool[b];
                int mi = d.rowIds().indexOf(pop.ids().get(i));
                int mj = d.colIds().indexOf(pop.ids().get(j));
                if (mi < 0 || mj < 0) {
                    continue; // a skipped network
                }
                var pi = prepared.computeIfAbsent(i, k -> metric.prepare(ops, pop.get(k)));
                var pj = prepared.computeIfAbsent(j, k -> metric.prepare(ops, pop.get(k)));
                double ref = metric.distance(pi, pj);
                double dev = Math.abs(ref - d.get(mi, mj));
                sumDev += dev;
                if (dev >= maxDev) {
                    maxDev = dev;
                    worst = String.format(Locale.ROOT, "(%d, %d): matrix %.9f, per-pair %.9f", i, j, d.get(mi, mj),
                            ref);
                }
                done++;
            }
        }
        o.printf(Locale.ROOT, "check        %d random pairs vs the per-pair path: max |dev| %.3g, mean %.3g; worst %s%n",
                done, maxDev, sumDev / Math.max(1, done), worst);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
