package org.rnnatlas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.rnnatlas.core.geometry.AllPairs;
import org.rnnatlas.core.geometry.DistanceMatrix;
import org.rnnatlas.core.geometry.GeometryException;
import org.rnnatlas.core.geometry.Mds;
import org.rnnatlas.core.geometry.Representations;
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.core.population.Manifest;
import org.rnnatlas.core.population.NetworkRecord;
import org.rnnatlas.core.population.SpecException;
import org.rnnatlas.core.population.Store;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.spi.Executor;
import org.rnnatlas.spi.SimilarityMetric;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnnatlas compare}: representational geometry of a trained population. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Compare the representational geometry of every pair of trained networks in a store: for each task and"
                + " metric, the distance matrix over all networks (their hidden states on the task's probe set) and"
                + " its MDS embedding. Results go to STORE/geometry/<task>/ as .npy with JSON sidecars naming the"
                + " networks in row order, the metric, its options and error bound, and provenance.",
            "",
            "Work is done in tiles across all cores and written as it finishes: a rerun resumes, and a finished"
                + " matrix is not recomputed. With --include-untrained the untrained networks (each seed's initial"
                + " weights) are compared too, among themselves and against the trained ones, with an MDS of both"
                + " sets together (the paper's Fig. 4). With --executor spark each tile is one Spark task, which"
                + " prepares the networks of its rows and columns itself (docs/spark.md).",
            "",
            "A network whose states are constant (e.g. a dead relu network) or not finite has no defined SVCCA, CKA"
                + " or Procrustes distance: it is skipped, listed with the reason on the output and in each"
                + " sidecar (skipped_rows, skipped_cols), and left out of the matrices and embeddings, whose rows"
                + " are the sidecar's row_ids.",
            "",
            "Examples:",
            "  rnnatlas compare demo-store",
            "  rnnatlas compare runs/pop --metric svcca,cka --include-untrained --threshold 0.99",
            "  rnnatlas compare runs/pop --metric cka --option cka.estimator=debiased --mds smacof",
            "  rnnatlas compare /shared/pop --master spark://head:7077",
            ""})
final class CompareCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "STORE", description = "A store written by rnnatlas train.")
    Path storePath;

    @Option(names = "--metric", split = ",", paramLabel = "NAME", defaultValue = "svcca,cka",
            description = "Similarity metrics (default: ${DEFAULT-VALUE}). Installed: ${COMPLETION-CANDIDATES}.",
            completionCandidates = Candidates.SimilarityMetrics.class)
    List<String> metrics;

    @Option(names = "--include-untrained", description = "Also compare the untrained networks (see above).")
    boolean includeUntrained;

    @Option(names = "--threshold", paramLabel = "X",
            description = "SVCCA's retained-variance threshold (default: the metric's, 0.95); shortcut for"
                    + " --option svcca.threshold=X.")
    Double threshold;

    @Option(names = "--option", paramLabel = "METRIC.KEY=VALUE",
            description = "A metric option, e.g. cka.estimator=debiased, cka.tolerance=0. Repeatable; see"
                    + " 'rnnatlas plugins' and docs/store.md for each metric's options.")
    List<String> options = new ArrayList<>();

    @Option(names = "--states", paramLabel = "WHICH", defaultValue = "h",
            description = "Which part of the state forms the representation: h (default; the LSTM's hidden"
                    + " vector) or full (the whole state, e.g. the LSTM's [h; c]).")
    String states;

    @Option(names = "--mds", paramLabel = "METHOD", defaultValue = "classical",
            description = "MDS method: classical (Torgerson, default) or smacof (metric SMACOF from the classical"
                    + " solution; Kruskal stress reported).")
    String mds;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all cores).")
    Integer threads;

    @Mixin
    ExecutorOptions executorOptions;

    @Mixin
    PluginOptions pluginOptions;

    @Spec
    CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Plugins plugins = pluginOptions.load();
        Map<String, Map<String, String>> perMetric = parseOptions();
        List<SimilarityMetric> configured = new ArrayList<>();
        for (String name : metrics) {
            if (!plugins.similarityMetrics().contains(name)) {
                throw new CommandLine.ParameterException(commandSpec.commandLine(), "Unknown metric '" + name
                        + "'. Installed: " + plugins.similarityMetrics().names()
                        + ". Is its jar on the class path or in --plugin-dir?");
            }
            try {
                configured.add(plugins.similarityMetrics().get(name).configure(perMetric.getOrDefault(name, Map.of())));
            } catch (IllegalArgumentException e) {
                throw new SpecException("--option for " + name + ": " + e.getMessage());
            }
        }
        for (String m : perMetric.keySet()) {
            if (!metrics.contains(m)) {
                throw new SpecException("--option names metric '" + m + "', which is not in --metric " + metrics);
            }
        }
        if (!states.equals("h") && !states.equals("full")) {
            throw new SpecException("--states must be h or full, got '" + states + "'");
        }
        if (!mds.equals("classical") && !mds.equals("smacof")) {
            throw new SpecException("--mds must be classical or smacof, got '" + mds + "'");
        }
        Store store = new Store(storePath);
        Manifest manifest = store.readManifest().orElseThrow(() -> new SpecException(storePath
                + " is not an rnnatlas store (no manifest.json); make one with rnnatlas train"));
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new SpecException("--threads must be >= 1, got " + n);
        }
        try (Executor executor = executorOptions.open(plugins, commandSpec.commandLine())) {
            // the local executor keeps the in-process engine (each network prepared once, tiles on this JVM's
            // threads); any other runs checks and tiles as units, with the same bytes
            return compare(store, manifest, plugins, configured, n, executorOptions.local() ? null : executor);
        }
    }

    private Integer compare(Store store, Manifest manifest, Plugins plugins, List<SimilarityMetric> configured,
                            int n, Executor executor) throws IOException, InterruptedException {
        boolean full = states.equals("full");
        var trainedStates = new Representations.States(false, full);
        var untrainedStates = new Representations.States(true, full);

        // networks by task, in manifest order: each task has its own probe set
        Map<String, List<String>> trained = new LinkedHashMap<>();
        Map<String, List<String>> untrained = new LinkedHashMap<>();
        for (Manifest.Entry e : manifest.networks()) {
            var rec = store.finishedNetwork(e.id());
            if (rec.isEmpty()) {
                continue;
            }
            untrained.computeIfAbsent(e.task(), k -> new ArrayList<>()).add(e.id());
            if (NetworkRecord.TRAINED.equals(rec.get().status())) {
                trained.computeIfAbsent(e.task(), k -> new ArrayList<>()).add(e.id());
            }
        }
        if (trained.isEmpty()) {
            throw new SpecException("Store " + store.root() + " has no trained networks yet ("
                    + manifest.counts() + "); run rnnatlas train first");
        }
        PrintWriter out = commandSpec.commandLine().getOut();
        boolean terminal = System.console() != null && System.getenv("CI") == null;
        List<String> written = new ArrayList<>();
        // networks left out, per task: id -> reason, in the order first met
        Map<String, Map<String, String>> skipped = new LinkedHashMap<>();
        for (var task : trained.entrySet()) {
            Path dir = store.root().resolve("geometry").resolve(task.getKey());
            Representations reps = new Representations(store, trainedStates);
            reps.check(task.getValue());
            List<String> initIds = untrained.get(task.getKey());
            Representations initReps = new Representations(store, untrainedStates);
            if (includeUntrained) {
                initReps.check(initIds);
            }
            for (SimilarityMetric metric : configured) {
                String base = metric.name() + (full ? "_full" : "");
                String label = task.getKey() + " " + metric.name();
                AllPairs engine = engine(metric, n, executor, store, plugins)
                        .withListener(AllPairs.Listener.progressBar(System.err, terminal, label));
                var r = engine.square(reps.side(task.getValue()), dir, base);
                note(skipped, task.getKey() + " " + metric.name(), trainedStates.label(), r.skippedRows());
                written.add(describe(r));
                DistanceMatrix d = DistanceMatrix.read(r.matrix());
                written.add(embed(d.data(), d.rows(), d.rowIds(), dir, base + "_mds", r.matrix()));
                if (includeUntrained) {
                    var u = engine(metric, n, executor, store, plugins).withListener(
                            AllPairs.Listener.progressBar(System.err, terminal, label + " untrained"))
                            .square(initReps.side(initIds), dir, base + "_untrained");
                    note(skipped, task.getKey() + " " + metric.name(), untrainedStates.label(), u.skippedRows());
                    written.add(describe(u));
                    var x = engine(metric, n, executor, store, plugins).withListener(
                            AllPairs.Listener.progressBar(System.err, terminal, label + " trained x untrained"))
                            .cross(reps.side(task.getValue()), initReps.side(initIds), dir,
                                    base + "_trained_x_untrained");
                    written.add(describe(x));
                    written.add(combined(d, DistanceMatrix.read(u.matrix()), DistanceMatrix.read(x.matrix()), dir,
                            base + "_combined_mds", r.matrix()));
                }
            }
        }
        out.println("Wrote:");
        for (String w : written) {
            out.println("  " + w);
        }
        if (!skipped.isEmpty()) {
            out.println("Skipped (no defined distance; left out of the matrices above and listed in their sidecars):");
            for (var e : skipped.entrySet()) {
                for (var net : e.getValue().entrySet()) {
                    out.println("  " + e.getKey() + ": " + net.getKey() + ": " + net.getValue());
                }
            }
        }
        out.flush();
        return Main.OK;
    }

    /** The all-pairs engine: this JVM's threads, or units on {@code executor} when not null. */
    private static AllPairs engine(SimilarityMetric metric, int threads, Executor executor, Store store,
                                   Plugins plugins) {
        AllPairs a = new AllPairs(metric, Kernels.ops(), threads);
        return executor == null ? a : a.withExecutor(executor, store, plugins);
    }

    private Map<String, Map<String, String>> parseOptions() {
        Map<String, Map<String, String>> per = PluginOptionValues.parse(options, commandSpec.commandLine(),
                "cka.estimator=debiased");
        if (threshold != null) {
            per.computeIfAbsent("svcca", k -> new TreeMap<>()).put("threshold", Double.toString(threshold));
        }
        return per;
    }

    private String embed(double[] d, int n, List<String> ids, Path dir, String name, Path source) throws IOException {
        long nonFinite = java.util.Arrays.stream(d).filter(v -> !Double.isFinite(v)).count();
        if (nonFinite > 0) {
            // MDS needs every distance; the matrix and its sidecar (non_finite) are kept, the embedding is not made
            java.nio.file.Files.deleteIfExists(dir.resolve(name + ".npy"));
            java.nio.file.Files.deleteIfExists(dir.resolve(name + ".json"));
            return String.format(Locale.ROOT, "%s  (no MDS: %d of the %d distances are not finite; see %s)",
                    dir.resolve(name + ".npy"), nonFinite, d.length, dir.relativize(source));
        }
        Mds.Embedding e = mds.equals("smacof") ? Mds.smacof(d, n) : Mds.classical(d, n);
        Mds.write(e, ids, dir, name, Map.of("distances", dir.relativize(source).toString()));
        return String.format(Locale.ROOT, "%s  (%s MDS of %d networks, Kruskal stress %.3f)",
                dir.resolve(name + ".npy"), e.method(), n, e.stress());
    }

    /** MDS of trained and untrained networks together, from the three blocks of their joint distance matrix. */
    private String combined(DistanceMatrix tt, DistanceMatrix uu, DistanceMatrix tu, Path dir, String name,
                            Path source) throws IOException {
        // the blocks must name the same networks in the same order; skipping depends only on a network's states,
        // so they do unless the store changed between the three matrices
        if (!tt.rowIds().equals(tu.rowIds()) || !uu.rowIds().equals(tu.colIds())) {
            throw new GeometryException("The trained, untrained and trained x untrained matrices in " + dir
                    + " do not list the same networks (" + tt.rows() + ", " + uu.rows() + ", " + tu.rows() + " x "
                    + tu.cols() + "); delete them and rerun compare");
        }
        int a = tt.rows();
        int b = uu.rows();
        int n = a + b;
        double[] d = new double[n * n];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < a; j++) {
                d[i * n + j] = tt.get(i, j);
            }
            for (int j = 0; j < b; j++) {
                d[i * n + a + j] = tu.get(i, j);
                d[(a + j) * n + i] = tu.get(i, j);
            }
        }
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                d[(a + i) * n + a + j] = uu.get(i, j);
            }
        }
        List<String> ids = new ArrayList<>();
        for (String id : tt.rowIds()) {
            ids.add("trained:" + id);
        }
        for (String id : uu.rowIds()) {
            ids.add("untrained:" + id);
        }
        return embed(d, n, ids, dir, name, source);
    }

    private static String describe(AllPairs.Result r) {
        int left = r.skippedRows().size() + (r.skippedCols().equals(r.skippedRows()) ? 0 : r.skippedCols().size());
        return r.matrix() + "  (" + r.rows() + " x " + r.cols() + (left > 0 ? ", " + left + " skipped" : "")
                + (r.upToDate() ? ", already up to date)" : ")");
    }

    /** Records skipped networks under "task metric", with their states label (trained-h, untrained-h, …). */
    private static void note(Map<String, Map<String, String>> skipped, String where, String states,
                             List<AllPairs.Skipped> list) {
        for (AllPairs.Skipped s : list) {
            skipped.computeIfAbsent(where, k -> new LinkedHashMap<>()).putIfAbsent(s.id() + " (" + states + ")",
                    s.reason());
        }
    }
}
