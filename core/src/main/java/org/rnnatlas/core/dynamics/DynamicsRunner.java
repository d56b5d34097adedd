package org.rnnatlas.core.dynamics;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.rnnatlas.core.BuildInfo;
import org.rnnatlas.core.exec.LocalExecutor;
import org.rnnatlas.core.geometry.AllPairs;
import org.rnnatlas.core.geometry.Mds;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.io.Npy;
import org.rnnatlas.core.population.Manifest;
import org.rnnatlas.core.population.NetworkRecord;
import org.rnnatlas.core.population.Progress;
import org.rnnatlas.core.population.Store;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.spi.ExecutionListener;
import org.rnnatlas.spi.Executor;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.SpiVersion;
import org.rnnatlas.spi.Task;
import org.rnnatlas.spi.TopologyMetric;
import org.rnnatlas.spi.WorkUnit;

/**
 * Runs {@link NetworkAnalysis} over a store's population in parallel, resumably, then the population-level topology
 * distances ({@link DynamicsStore} has the layout). Each network's analysis (trained or untrained) is one
 * {@link WorkUnit} run by {@link DynamicsUnitRunner} on an {@link Executor} (the local thread pool by default, or a
 * Spark cluster); the summaries, topology matrices and MDS are computed here, on the driver, once every unit ended.
 *
 * <p><b>Resuming.</b> A network whose {@code analysis.json} exists with the same key (options, seed, metrics,
 * kernel) is skipped; one computed with other settings is an error unless {@link Options#recompute} is set. Every
 * file is written atomically and analysis.json last, so a killed run leaves only whole results.
 *
 * <p><b>Determinism.</b> Each network's results depend only on its parameters, states, the options and the kernel,
 * never on the thread count or order; population matrices are built in manifest order after all networks finish.
 */
public final class DynamicsRunner {

    /**
     * @param networks         network ids to analyse (null: every finished network)
     * @param includeUntrained also analyse each network's untrained (initial) weights
     * @param threads          worker threads
     * @param recompute        discard results computed with other settings instead of refusing
     */
    public record Options(NetworkAnalysis.Options analysis, List<String> networks, boolean includeUntrained,
                          int threads, boolean recompute) {
        public Options {
            Objects.requireNonNull(analysis, "analysis");
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            networks = networks == null ? null : List.copyOf(networks);
        }
    }

    /** What a run did. */
    public record Summary(int analysed, int resumed, List<String> failed, List<Path> matrices) {
    }

    private final Store store;
    private final DynamicsStore out;
    private final Plugins plugins;
    private final Ops ops;
    private final PrintStream log;
    private final boolean terminal;

    private final Executor executor;
    private final String unitRunner;

    /** A runner on the {@code local} executor ({@link Options#threads} threads). */
    public DynamicsRunner(Store store, Plugins plugins, Ops ops, PrintStream log, boolean terminal) {
        this(store, plugins, ops, new LocalExecutor(), log, terminal);
    }

    /**
     * A runner whose per-network analyses run on {@code executor} as {@link DynamicsUnitRunner} units
     * ({@link Options#threads}: its parallelism, for executors that use it). The caller owns the executor.
     */
    public DynamicsRunner(Store store, Plugins plugins, Ops ops, Executor executor, PrintStream log,
                          boolean terminal) {
        this(store, plugins, ops, executor, log, terminal, DynamicsUnitRunner.class.getName());
    }

    private DynamicsRunner(Store store, Plugins plugins, Ops ops, Executor executor, PrintStream log,
                           boolean terminal, String unitRunner) {
        this.store = store;
        this.out = new DynamicsStore(store);
        this.plugins = plugins;
        this.ops = ops;
        this.executor = Objects.requireNonNull(executor, "executor");
        this.log = log;
        this.terminal = terminal;
        this.unitRunner = unitRunner;
    }

    /**
     * A copy whose units are run by another {@link org.rnnatlas.spi.UnitRunner} class (one that wraps
     * {@link DynamicsUnitRunner}, to instrument or to inject faults in tests).
     */
    public DynamicsRunner withUnitRunner(String className) {
        return new DynamicsRunner(store, plugins, ops, executor, log, terminal, className);
    }

    private record Unit(String id, String task, String cell, String activation, boolean untrained) {
    }

    public Summary run(Options options) throws IOException, InterruptedException {
        Manifest manifest = store.readManifest().orElseThrow(() -> new DynamicsException(store.root()
                + " is not an rnnatlas store (no manifest.json); make one with rnnatlas train"));
        Map<String, Task> tasks = new TreeMap<>();
        List<Unit> units = new ArrayList<>();
        Map<String, List<String>> trainedByTask = new LinkedHashMap<>();
        Map<String, List<String>> untrainedByTask = new LinkedHashMap<>();
        List<String> known = new ArrayList<>();
        for (Manifest.Entry e : manifest.networks()) {
            known.add(e.id());
        }
        if (options.networks() != null) {
            for (String id : options.networks()) {
                if (!known.contains(id)) {
                    throw new DynamicsException("Network '" + id + "' is not in store " + store.root()
                            + " (it has " + known.size() + " networks, e.g. " + known.subList(0,
                            Math.min(3, known.size())) + ")");
                }
            }
        }
        int unfinished = 0;
        for (Manifest.Entry e : manifest.networks()) {
            if (options.networks() != null && !options.networks().contains(e.id())) {
                continue;
            }
            var rec = store.finishedNetwork(e.id());
            if (rec.isEmpty()) {
                unfinished++;
                continue;
            }
            tasks.computeIfAbsent(e.task(), t -> plugins.tasks().get(t).configure(manifest.spec().taskOptions(t)));
            if (NetworkRecord.TRAINED.equals(rec.get().status())) {
                units.add(new Unit(e.id(), e.task(), e.cell(), e.activation(), false));
                trainedByTask.computeIfAbsent(e.task(), k -> new ArrayList<>()).add(e.id());
            }
            if (options.includeUntrained()) {
                units.add(new Unit(e.id(), e.task(), e.cell(), e.activation(), true));
                untrainedByTask.computeIfAbsent(e.task(), k -> new ArrayList<>()).add(e.id());
            }
        }
        if (units.isEmpty()) {
            throw new DynamicsException("Store " + store.root() + " has no finished networks to analyse"
                    + (unfinished > 0 ? " (" + unfinished + " unfinished; rerun the train command)" : "")
                    + (options.includeUntrained() ? "" : "; diverged networks can only be analysed untrained"
                    + " (--include-untrained)"));
        }
        List<Unit> todo = new ArrayList<>();
        Map<Unit, String> keys = new HashMap<>();
        int resumed = 0;
        for (Unit u : units) {
            String key = DynamicsUnitRunner.key(options.analysis(), u.activation(), u.task(), ops);
            keys.put(u, key);
            var rec = out.record(u.task(), u.id(), u.untrained());
            if (rec.isPresent() && key.equals(rec.get().get("key"))) {
                resumed++;
                continue;
            }
            if (rec.isPresent() && !options.recompute()) {
                throw new DynamicsException("Dynamics of " + u.id() + " in " + out.networkDir(u.task(), u.id(),
                        u.untrained()) + " were computed with other settings (" + rec.get().get("key") + "); rerun"
                        + " with the same options, or with --recompute to replace them");
            }
            todo.add(u);
        }
        String where = executor.name().equals(LocalExecutor.NAME) ? options.threads() + " threads"
                : "executor " + executor.name() + " " + new TreeMap<>(executor.options());
        log.printf(Locale.ROOT, "rnnatlas dynamics: %d analyses (%d done already, %d to run), %s, kernel %s%n"
                + "  store: %s%n", units.size(), resumed, todo.size(), where, ops.name(), store.root());
        List<WorkUnit> planned = new ArrayList<>();
        for (Unit u : todo) {
            planned.add(DynamicsUnitRunner.unit(store, u.id(), u.task(), u.cell(), u.activation(), u.untrained(),
                    options.analysis(), ops, plugins));
        }
        List<String> failed = Collections.synchronizedList(new ArrayList<>());
        try (Progress progress = new Progress(log, terminal, "dynamics", todo.size(), todo.size())) {
            Executor.Result result = executor.execute(planned, unitRunner, options.threads(),
                    new ExecutionListener() {
                        @Override
                        public void finished(WorkUnit unit, boolean ok, String message) {
                            progress.advance(1);
                            progress.unitDone(ok ? "  " + message : "FAILED " + unit.id() + ": " + message);
                        }
                    });
            for (Executor.Failure f : result.failures()) {
                failed.add(f.unit().id() + ": " + f.message());
            }
        }
        List<Path> matrices = new ArrayList<>();
        for (String task : tasks.keySet()) {
            for (boolean untrained : new boolean[] {false, true}) {
                List<String> ids = (untrained ? untrainedByTask : trainedByTask).getOrDefault(task, List.of());
                if (ids.isEmpty()) {
                    continue;
                }
                writeSummary(task, ids, untrained);
                for (TopologyMetric metric : options.analysis().topology()) {
                    if (metric.appliesTo(task)) {
                        Path p = populationMatrix(task, ids, untrained, metric);
                        if (p != null) {
                            matrices.add(p);
                        }
                    }
                }
            }
        }
        return new Summary(todo.size() - failed.size(), resumed, List.copyOf(failed), matrices);
    }

    private void writeSummary(String task, List<String> ids, boolean untrained) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String id : ids) {
            var rec = out.record(task, id, untrained);
            if (rec.isEmpty()) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            Map<String, Object> r = rec.get();
            for (String f : List.of("id", "cell", "activation", "units", "fixed_points", "stable_fixed_points",
                    "unstable_dims_histogram", "slow_points")) {
                m.put(f, r.get(f));
            }
            rows.add(m);
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("format", DynamicsStore.SUMMARY_FORMAT);
        s.put("task", task);
        s.put("state", NetworkAnalysis.stateLabel(untrained));
        s.put("networks", rows);
        Files.createDirectories(out.taskDir(task));
        Json.write(out.taskDir(task).resolve(untrained ? "summary_untrained.json" : "summary.json"), s);
    }

    /**
     * The distance matrix of one topology metric over {@code ids}. Where the metric is undefined for some pairs
     * (the paper's metrics when fixed-point counts differ), networks whose topology shape differs from the modal shape
     * are excluded and listed with the reason; networks without a stored topology are excluded likewise.
     */
    private Path populationMatrix(String task, List<String> ids, boolean untrained, TopologyMetric metric)
            throws IOException {
        List<String> have = new ArrayList<>();
        List<TopologyMetric.Topology> tops = new ArrayList<>();
        Map<String, String> excluded = new LinkedHashMap<>();
        for (String id : ids) {
            var t = out.topology(task, id, untrained, metric.name());
            if (t.isEmpty()) {
                excluded.put(id, "no topology (analysis failed or not run)");
            } else {
                have.add(id);
                tops.add(t.get());
            }
        }
        if (have.isEmpty()) {
            return null;
        }
        double[] d = distances(metric, tops);
        boolean undefined = Arrays.stream(d).anyMatch(Double::isNaN);
        String modal = null;
        if (undefined) {
            Map<String, Integer> counts = new HashMap<>();
            for (var t : tops) {
                counts.merge(t.rows() + "x" + t.cols(), 1, Integer::sum);
            }
            // modal shape; ties go to the larger count of rows (more fixed points), then lexicographic, so the choice
            // does not depend on order
            modal = counts.entrySet().stream().max((a, b) -> {
                int c = Integer.compare(a.getValue(), b.getValue());
                if (c != 0) {
                    return c;
                }
                int ra = Integer.parseInt(a.getKey().split("x")[0]);
                int rb = Integer.parseInt(b.getKey().split("x")[0]);
                return ra != rb ? Integer.compare(ra, rb) : b.getKey().compareTo(a.getKey());
            }).orElseThrow().getKey();
            List<String> keep = new ArrayList<>();
            List<TopologyMetric.Topology> keepT = new ArrayList<>();
            for (int i = 0; i < have.size(); i++) {
                var t = tops.get(i);
                String shape = t.rows() + "x" + t.cols();
                if (shape.equals(modal)) {
                    keep.add(have.get(i));
                    keepT.add(t);
                } else {
                    excluded.put(have.get(i), "topology shape " + shape + " differs from the modal " + modal
                            + " (fixed-point count not modal)");
                }
            }
            have = keep;
            tops = keepT;
            d = distances(metric, tops);
        }
        int n = have.size();
        String name = "topology_" + metric.name() + (untrained ? "_untrained" : "");
        Path dir = out.taskDir(task);
        Files.createDirectories(dir);
        Npy.write(dir.resolve(name + ".npy"), d, n, n);
        long nonFinite = Arrays.stream(d).filter(v -> !Double.isFinite(v)).count();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("format", AllPairs.FORMAT);
        s.put("name", name);
        s.put("mode", "square");
        s.put("shape", List.of(n, n));
        s.put("dtype", "float64");
        s.put("metric", DynamicsUnitRunner.pluginInfo(metric));
        s.put("kind", "topology");
        s.put("row_states", NetworkAnalysis.stateLabel(untrained));
        s.put("row_ids", have);
        s.put("col_states", NetworkAnalysis.stateLabel(untrained));
        s.put("col_ids", have);
        s.put("modal_shape", modal);
        s.put("excluded", excluded);
        s.put("excluded_count", excluded.size());
        s.put("non_finite", nonFinite);
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("rnnatlas_version", BuildInfo.version());
        prov.put("rnnatlas_commit", BuildInfo.commit());
        prov.put("spi_version", SpiVersion.string());
        prov.put("kernel", ops.name());
        prov.put("jdk", BuildInfo.jdk());
        s.put("provenance", prov);
        Json.write(dir.resolve(name + ".json"), s);
        if (n >= 2 && nonFinite == 0) {
            Mds.Embedding e = Mds.classical(d, n);
            Mds.write(e, have, dir, name + "_mds", Map.of("matrix", name + ".npy"));
        } else {
            Files.deleteIfExists(dir.resolve(name + "_mds.npy"));
            Files.deleteIfExists(dir.resolve(name + "_mds.json"));
        }
        log.printf(Locale.ROOT, "  %s/%s: %d networks%s%n", task, name, n,
                excluded.isEmpty() ? "" : ", " + excluded.size() + " excluded (see " + name + ".json)");
        return dir.resolve(name + ".npy");
    }

    private static double[] distances(TopologyMetric metric, List<TopologyMetric.Topology> tops) {
        int n = tops.size();
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double v = metric.distance(tops.get(i), tops.get(j));
                d[i * n + j] = v;
                d[j * n + i] = v;
            }
        }
        return d;
    }
}
