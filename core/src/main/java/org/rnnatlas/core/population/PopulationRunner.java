package org.rnnatlas.core.population;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.rnnatlas.core.BuildInfo;
import org.rnnatlas.core.exec.LocalExecutor;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.io.Npy;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.spi.Condition;
import org.rnnatlas.spi.ExecutionListener;
import org.rnnatlas.spi.Executor;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.Task;
import org.rnnatlas.spi.Trials;
import org.rnnatlas.spi.WorkUnit;

/**
 * Trains a population into a store. The driver plans: it normalises the spec, checks it against the store's, writes
 * {@code manifest.json} (with the spec, so that workers read it) and the task files, then hands the work to an
 * {@link Executor} as {@link WorkUnit}s run by {@link TrainUnitRunner}: first every missing hyperparameter-search
 * trial, then every missing network (one unit each). Finished work found in the store is skipped, so rerunning the
 * same command resumes. Each network's files depend only on the spec and its seed, never on the executor, its
 * parallelism or the order in which work finishes. Progress advances per finished unit.
 */
public final class PopulationRunner {
    private final Plugins plugins;
    private final Ops ops;
    private final Executor executor;
    private final int threads;
    private final PrintStream log;
    private final boolean terminal;
    private final String unitRunner;

    /** A runner on the {@code local} executor with {@code threads} threads. */
    public PopulationRunner(Plugins plugins, Ops ops, int threads, PrintStream log, boolean terminal) {
        this(plugins, ops, new LocalExecutor(), threads, log, terminal);
    }

    /**
     * A runner whose units run on {@code executor} ({@code threads}: its parallelism, for executors that use it).
     * The caller owns the executor and closes it.
     */
    public PopulationRunner(Plugins plugins, Ops ops, Executor executor, int threads, PrintStream log,
                            boolean terminal) {
        this(plugins, ops, executor, threads, log, terminal, TrainUnitRunner.class.getName());
    }

    private PopulationRunner(Plugins plugins, Ops ops, Executor executor, int threads, PrintStream log,
                             boolean terminal, String unitRunner) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.plugins = plugins;
        this.ops = ops;
        this.executor = executor;
        this.threads = threads;
        this.log = log;
        this.terminal = terminal;
        this.unitRunner = unitRunner;
    }

    /**
     * A copy whose units are run by another {@link org.rnnatlas.spi.UnitRunner} class (one that wraps
     * {@link TrainUnitRunner}, to instrument or to inject faults in tests).
     */
    public PopulationRunner withUnitRunner(String className) {
        return new PopulationRunner(plugins, ops, executor, threads, log, terminal, className);
    }

    /** What a run did. */
    public record Summary(int trained, int diverged, int skipped, List<String> failed, Path store) {
    }

    public Summary run(PopulationSpec rawSpec, Path out) throws IOException, InterruptedException {
        PopulationSpec spec = rawSpec.normalized();
        Map<String, Task> tasks = resolveTasks(spec);
        for (String c : spec.cells()) {
            plugins.cells().get(c);
        }
        Store store = new Store(out);
        store.prepare();
        var existing = store.readManifest();
        if (existing.isPresent() && !existing.get().spec().normalized().equals(spec)) {
            throw new SpecException("Store " + store.root() + " was made from a different spec ("
                    + describeDifference(existing.get().spec().normalized(), spec) + "). Use another --out, or"
                    + " rerun with the store's own spec (manifest.json, field \"spec\").");
        }
        appendRunLog(store, spec);
        // the workers read the spec from here, so it is written before any unit runs
        writeManifest(store, spec);
        for (var e : tasks.entrySet()) {
            writeTask(store, e.getValue(), spec);
        }

        List<NetworkConfig> networks = spec.networks();
        Map<String, NetworkConfig> configs = new TreeMap<>();
        for (NetworkConfig n : networks) {
            configs.putIfAbsent(n.configKey(), n);
        }
        // work still to do
        List<WorkUnit> searchTodo = new ArrayList<>();
        for (String key : configs.keySet()) {
            for (int t = 0; t < spec.search().trials(); t++) {
                if (store.searchTrial(key, t).isEmpty()) {
                    searchTodo.add(TrainUnitRunner.searchUnit(store, key, t, ops, plugins));
                }
            }
        }
        List<NetworkConfig> todo = new ArrayList<>();
        int skipped = 0;
        for (NetworkConfig n : networks) {
            if (store.finishedNetwork(n.id()).isPresent()) {
                skipped++;
            } else {
                todo.add(n);
            }
        }
        long totalWork = (long) searchTodo.size() * spec.searchIterations() + (long) todo.size() * spec.iterations();
        String where = executor.name().equals(LocalExecutor.NAME) ? threads + " threads"
                : "executor " + executor.name() + " " + new TreeMap<>(executor.options());
        log.printf(Locale.ROOT, "rnnatlas train: %d networks (%d finished already, %d to train), %d search trials to"
                        + " run, %s, kernel %s%n  store: %s%n", networks.size(), skipped, todo.size(),
                searchTodo.size(), where, ops.name(), store.root());

        List<String> failed = new ArrayList<>();
        List<WorkUnit> trainedUnits = new ArrayList<>();
        try (Progress progress = new Progress(log, terminal, "training", totalWork,
                searchTodo.size() + todo.size())) {
            ExecutionListener listener = new ExecutionListener() {
                @Override
                public void finished(WorkUnit unit, boolean ok, String message) {
                    progress.advance(unit.kind().equals(TrainUnitRunner.SEARCH) ? spec.searchIterations()
                            : spec.iterations());
                    progress.unitDone(ok ? message : "FAILED " + unit.id() + ": " + message);
                }
            };
            // phase 1: hyperparameter search
            for (Executor.Failure f : executor.execute(searchTodo, unitRunner, threads, listener).failures()) {
                failed.add(f.unit().id() + ": " + f.message());
            }
            // phase 2: the population; a network whose search is incomplete waits for a rerun
            List<WorkUnit> networkUnits = new ArrayList<>();
            Map<String, TrainUnitRunner.SearchState> searches = new TreeMap<>();
            for (String key : configs.keySet()) {
                TrainUnitRunner.SearchState st = TrainUnitRunner.searchState(store, spec, key);
                searches.put(key, st);
                if (st.allDiverged()) {
                    log.println("warning: every search trial of " + key + " diverged; its networks use the spec's"
                            + " hyperparameters");
                }
            }
            for (NetworkConfig n : todo) {
                if (searches.get(n.configKey()).complete()) {
                    networkUnits.add(TrainUnitRunner.networkUnit(store, n, ops, plugins));
                } else {
                    String why = "not trained: the hyperparameter search of " + n.configKey() + " is incomplete";
                    failed.add(n.id() + ": " + why);
                    progress.advance(spec.iterations());
                    progress.unitDone("FAILED " + n.id() + ": " + why);
                }
            }
            Executor.Result result = executor.execute(networkUnits, unitRunner, threads, listener);
            java.util.Set<WorkUnit> failedUnits = new java.util.HashSet<>();
            for (Executor.Failure f : result.failures()) {
                failed.add(f.unit().id() + ": " + f.message());
                failedUnits.add(f.unit());
            }
            for (WorkUnit u : networkUnits) {
                if (!failedUnits.contains(u)) {
                    trainedUnits.add(u);
                }
            }
        }
        int trained = 0;
        int diverged = 0;
        for (WorkUnit u : trainedUnits) {
            var rec = store.finishedNetwork(u.arg(TrainUnitRunner.NETWORK_ID));
            if (rec.isPresent()) {
                if (NetworkRecord.DIVERGED.equals(rec.get().status())) {
                    diverged++;
                } else {
                    trained++;
                }
            }
        }
        writeManifest(store, spec);
        return new Summary(trained, diverged, skipped, List.copyOf(failed), store.root());
    }

    private Map<String, Task> resolveTasks(PopulationSpec spec) {
        Map<String, Task> tasks = new LinkedHashMap<>();
        for (String t : spec.tasks()) {
            tasks.put(t, TrainUnitRunner.task(plugins, spec, t));
        }
        return tasks;
    }

    private static String describeDifference(PopulationSpec a, PopulationSpec b) {
        List<String> diff = new ArrayList<>();
        var ta = Json.MAPPER.valueToTree(a);
        var tb = Json.MAPPER.valueToTree(b);
        ta.fieldNames().forEachRemaining(f -> {
            if (!ta.get(f).equals(tb.get(f))) {
                diff.add(f + ": store has " + ta.get(f) + ", this run asks " + tb.get(f));
            }
        });
        return String.join("; ", diff);
    }

    // ---------------------------------------------------------------- store-level files

    private void writeTask(Store store, Task task, PopulationSpec spec) throws IOException {
        Path dir = store.taskDir(task.name());
        Trials p = task.probe();
        Npy.write(dir.resolve("probe_inputs.npy"), timeMajorToTrialMajor(p.x(), p.steps(), p.count(), p.inputs()),
                p.count(), p.steps(), p.inputs());
        Npy.write(dir.resolve("probe_targets.npy"), timeMajorToTrialMajor(p.y(), p.steps(), p.count(), p.outputs()),
                p.count(), p.steps(), p.outputs());
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", task.name());
        info.put("version", task.version());
        info.put("options", new TreeMap<>(task.options()));
        info.put("inputs", task.shape().inputs());
        info.put("outputs", task.shape().outputs());
        info.put("steps", task.shape().steps());
        info.put("probe_trials", p.count());
        Trials val = TrainUnitRunner.validationSet(task, spec);
        double zero = 0;
        for (float v : val.y()) {
            zero += (double) v * v;
        }
        // the MSE of a network that always outputs 0: the scale against which validation MSEs are read
        info.put("validation_trials", val.count());
        info.put("validation_zero_output_mse", zero / val.y().length);
        info.put("probe_attributes", new TreeMap<>(p.attributes()));
        List<Map<String, Object>> conds = new ArrayList<>();
        for (Condition c : task.conditions()) {
            conds.add(Map.of("label", c.label(), "input", c.input()));
        }
        info.put("conditions", conds);
        Json.write(dir.resolve("task.json"), info);
    }

    static float[] timeMajorToTrialMajor(float[] a, int steps, int count, int width) {
        float[] out = new float[a.length];
        for (int t = 0; t < steps; t++) {
            for (int c = 0; c < count; c++) {
                System.arraycopy(a, (t * count + c) * width, out, (c * steps + t) * width, width);
            }
        }
        return out;
    }

    private void writeManifest(Store store, PopulationSpec spec) throws IOException {
        List<Manifest.Entry> entries = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (NetworkConfig n : spec.networks()) {
            var r = store.finishedNetwork(n.id());
            String status = r.map(NetworkRecord::status).orElse("pending");
            counts.merge(status, 1, Integer::sum);
            entries.add(new Manifest.Entry(n.id(), n.task(), n.cell(), n.activation(), n.units(), n.l2(), n.seed(),
                    status, r.map(NetworkRecord::validationMse).filter(Double::isFinite).orElse(null)));
        }
        Map<String, Manifest.SearchOutcome> search = new TreeMap<>();
        for (NetworkConfig n : spec.networks()) {
            if (!search.containsKey(n.configKey())) {
                TrainUnitRunner.searchState(store, spec, n.configKey()).outcome()
                        .ifPresent(o -> search.put(n.configKey(), o));
            }
        }
        Map<String, String> created = new TreeMap<>();
        created.put("rnnatlas", BuildInfo.version());
        Json.write(store.manifestFile(), new Manifest(Manifest.FORMAT, spec, created, entries, search, counts));
    }

    private void appendRunLog(Store store, PopulationSpec spec) throws IOException {
        Map<String, Object> line = new TreeMap<>();
        line.put("started", Instant.now().toString());
        line.put("threads", threads);
        line.put("executor", executor.name());
        if (!executor.options().isEmpty()) {
            line.put("executor_options", new TreeMap<>(executor.options()));
        }
        line.put("kernel", ops.name());
        line.put("jdk", BuildInfo.jdk());
        line.put("rnnatlas", BuildInfo.version() + " (" + BuildInfo.commit() + ")");
        line.put("command", "train");
        String json = Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(line);
        try {
            Files.writeString(store.runsLog(), json + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
