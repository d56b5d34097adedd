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
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.rnnatlas.core.BuildInfo;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.io.Npy;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.core.registry.Registry;
import org.rnnatlas.core.train.Hyperparameters;
import org.rnnatlas.core.train.Model;
import org.rnnatlas.core.train.Optimizer;
import org.rnnatlas.core.train.TrainResult;
import org.rnnatlas.core.train.Trainer;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Condition;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.ParamBlock;
import org.rnnatlas.spi.Task;
import org.rnnatlas.spi.TaskShape;
import org.rnnatlas.spi.Trials;

/**
 * Trains a population into a store: expands the spec, runs the hyperparameter search per configuration, then trains
 * every network, in parallel on {@code threads} threads with one network per thread at a time. Finished work found
 * in the store is skipped, so rerunning the same command resumes. Each network's files depend only on the spec and
 * its seed, never on the thread count or the order in which work finishes.
 */
public final class PopulationRunner {
    /** Seed of every task's validation set: a stream no training batch uses (training seeds are mixed differently). */
    static final long VALIDATION_SEED = 0x7a11da7e5eedL;

    private final Plugins plugins;
    private final Ops ops;
    private final int threads;
    private final PrintStream log;
    private final boolean terminal;
    private final Map<String, Trials> validationSets = new ConcurrentHashMap<>();

    public PopulationRunner(Plugins plugins, Ops ops, int threads, PrintStream log, boolean terminal) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.plugins = plugins;
        this.ops = ops;
        this.threads = threads;
        this.log = log;
        this.terminal = terminal;
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
        List<int[]> searchTodo = new ArrayList<>();
        List<String> configKeys = new ArrayList<>(configs.keySet());
        for (int c = 0; c < configKeys.size(); c++) {
            for (int t = 0; t < spec.search().trials(); t++) {
                if (store.searchTrial(configKeys.get(c), t).isEmpty()) {
                    searchTodo.add(new int[] {c, t});
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
        log.printf(Locale.ROOT, "rnnatlas train: %d networks (%d finished already, %d to train), %d search trials to"
                        + " run, %d threads, kernel %s%n  store: %s%n", networks.size(), skipped, todo.size(),
                searchTodo.size(), threads, ops.name(), store.root());

        List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
        int[] counts = new int[2];
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread th = new Thread(r);
            th.setName("rnnatlas-worker-" + th.threadId());
            return th;
        });
        try (Progress progress = new Progress(log, terminal, "training", totalWork,
                searchTodo.size() + todo.size())) {
            // phase 1: hyperparameter search
            List<Future<?>> futures = new ArrayList<>();
            for (int[] st : searchTodo) {
                NetworkConfig cfg = configs.get(configKeys.get(st[0]));
                int trial = st[1];
                futures.add(pool.submit(() -> {
                    try {
                        runSearchTrial(store, spec, tasks.get(cfg.task()), cfg, trial, progress);
                    } catch (Exception e) {
                        failed.add("search " + cfg.configKey() + " trial " + trial + ": " + e);
                        progress.unitDone("FAILED search " + cfg.configKey() + " trial " + trial + ": " + e);
                    }
                }));
            }
            waitAll(futures);
            Map<String, Manifest.SearchOutcome> outcomes = new TreeMap<>();
            for (String key : configKeys) {
                bestTrial(store, spec, key).ifPresent(o -> outcomes.put(key, o));
            }
            // phase 2: the population
            futures.clear();
            for (NetworkConfig n : todo) {
                futures.add(pool.submit(() -> {
                    try {
                        boolean ok = runNetwork(store, spec, tasks.get(n.task()), n, outcomes.get(n.configKey()),
                                progress);
                        synchronized (counts) {
                            counts[ok ? 0 : 1]++;
                        }
                    } catch (Exception e) {
                        failed.add(n.id() + ": " + e);
                        progress.unitDone("FAILED " + n.id() + ": " + e);
                    }
                }));
            }
            waitAll(futures);
        } finally {
            pool.shutdownNow();
        }
        writeManifest(store, spec);
        return new Summary(counts[0], counts[1], skipped, List.copyOf(failed), store.root());
    }

    private static void waitAll(List<Future<?>> futures) throws InterruptedException {
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    private Map<String, Task> resolveTasks(PopulationSpec spec) {
        Map<String, Task> tasks = new LinkedHashMap<>();
        for (String t : spec.tasks()) {
            Task task = plugins.tasks().get(t);
            try {
                tasks.put(t, task.configure(spec.taskOptions(t)));
            } catch (IllegalArgumentException e) {
                throw new SpecException("task_options for " + t + ": " + e.getMessage());
            }
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

    // ---------------------------------------------------------------- units of work

    private Model model(Task task, NetworkConfig n) {
        Cell cell = plugins.cells().get(n.cell());
        TaskShape shape = task.shape();
        return new Model(cell, new CellSpec(shape.inputs(), n.units(), Activation.of(n.activation())), shape.outputs());
    }

    /** Seed of a network's initial weights: shared by its activations and L2 values, so sweeps start alike. */
    static long initSeed(NetworkConfig n) {
        return Seeds.mix(n.seed(), "init", n.task(), n.cell(), Integer.toString(n.units()));
    }

    /** Seed of a network's training batches: shared by every cell of a task and seed, so all see the same data. */
    static long dataSeed(NetworkConfig n) {
        return Seeds.mix(n.seed(), "data", n.task());
    }

    Trials validationSet(Task task, PopulationSpec spec) {
        return validationSets.computeIfAbsent(task.name(), k -> {
            TaskShape sh = task.shape();
            int count = spec.validationTrials();
            int b = spec.batch();
            int t = sh.steps();
            float[] x = new float[t * count * sh.inputs()];
            float[] y = new float[t * count * sh.outputs()];
            float[] bx = new float[t * b * sh.inputs()];
            float[] by = new float[t * b * sh.outputs()];
            SplittableRandom rng = new SplittableRandom(Seeds.mix(VALIDATION_SEED, "validation", task.name()));
            for (int first = 0; first < count; first += b) {
                int rows = Math.min(b, count - first);
                task.sample(rng, b, bx, by);
                for (int s = 0; s < t; s++) {
                    System.arraycopy(bx, s * b * sh.inputs(), x, (s * count + first) * sh.inputs(), rows * sh.inputs());
                    System.arraycopy(by, s * b * sh.outputs(), y, (s * count + first) * sh.outputs(), rows * sh.outputs());
                }
            }
            return new Trials(count, t, sh.inputs(), sh.outputs(), x, y, Map.of());
        });
    }

    private void runSearchTrial(Store store, PopulationSpec spec, Task task, NetworkConfig cfg, int trial,
                                Progress progress) throws IOException {
        String key = cfg.configKey();
        SplittableRandom draw = new SplittableRandom(Seeds.mix(spec.search().seed(), "search", key,
                Integer.toString(trial)));
        int iters = spec.searchIterations();
        // SPEC §3: clip ~ log-uniform[0.1, 10], lr ~ log-uniform[1e-5, 0.1], decay ~ U[0.1, 0.9], momentum ~ U[0, 1)
        double clip = Math.exp(draw.nextDouble(Math.log(0.1), Math.log(10)));
        double lr = Math.exp(draw.nextDouble(Math.log(1e-5), Math.log(0.1)));
        double decay = draw.nextDouble(0.1, 0.9);
        double momentum = draw.nextDouble(0.0, 1.0);
        var base = spec.hyperparameters();
        int decaySteps = base.decaySteps() == 0 ? iters : base.decaySteps();
        Hyperparameters hp = new Hyperparameters(spec.optimizerEnum(), lr, decay, decaySteps, momentum, clip,
                spec.batch(), iters);
        long initSeed = Seeds.mix(spec.search().seed(), "search-init", key, Integer.toString(trial));
        long dataSeed = Seeds.mix(spec.search().seed(), "search-data", key, Integer.toString(trial));
        Model model = model(task, cfg);
        Trainer trainer = new Trainer(model, task, ops, spec.batch());
        float[] params = model.initialize(new SplittableRandom(initSeed));
        TrainResult r = trainer.train(params, hp, cfg.l2(), new SplittableRandom(dataSeed), i -> progress.advance(1));
        progress.advance(iters - r.iterationsRun());
        double val = r.diverged() ? Double.NaN : trainer.evaluate(params, validationSet(task, spec), null);
        boolean diverged = r.diverged() || !Double.isFinite(val);
        Json.write(store.searchFile(key, trial), new SearchTrialRecord(SearchTrialRecord.FORMAT, key, trial, hp,
                initSeed, dataSeed, diverged, val));
        progress.unitDone(String.format(Locale.ROOT, "search %s trial %d: %s", key, trial,
                diverged ? "diverged" : String.format(Locale.ROOT, "validation MSE %.4g", val)));
    }

    private java.util.Optional<Manifest.SearchOutcome> bestTrial(Store store, PopulationSpec spec, String key)
            throws IOException {
        int trials = spec.search().trials();
        if (trials == 0) {
            return java.util.Optional.empty();
        }
        SearchTrialRecord best = null;
        int diverged = 0;
        for (int t = 0; t < trials; t++) {
            var r = store.searchTrial(key, t);
            if (r.isEmpty()) {
                return java.util.Optional.empty();
            }
            if (r.get().diverged()) {
                diverged++;
            } else if (best == null || r.get().validationMse() < best.validationMse()) {
                best = r.get();
            }
        }
        if (best == null) {
            log.println("warning: every search trial of " + key + " diverged; its networks use the spec's"
                    + " hyperparameters");
            return java.util.Optional.empty();
        }
        Hyperparameters chosen = best.hyperparameters().withIterations(spec.iterations(),
                spec.hyperparameters().decaySteps() == 0 ? spec.iterations() : spec.hyperparameters().decaySteps());
        return java.util.Optional.of(new Manifest.SearchOutcome(best.trial(), best.validationMse(), chosen, trials,
                diverged));
    }

    /** Trains one network and writes its files; returns false when it diverged. */
    private boolean runNetwork(Store store, PopulationSpec spec, Task task, NetworkConfig n,
                               Manifest.SearchOutcome outcome, Progress progress) throws IOException {
        long t0 = System.nanoTime();
        Model model = model(task, n);
        Hyperparameters hp = outcome != null ? outcome.chosen()
                : spec.hyperparameters(spec.optimizerEnum(), spec.iterations());
        String source = outcome != null ? "search:" + n.configKey() + "#" + outcome.bestTrial() : "spec";
        long initSeed = initSeed(n);
        long dataSeed = dataSeed(n);
        Trainer trainer = new Trainer(model, task, ops, spec.batch());
        float[] init = model.initialize(new SplittableRandom(initSeed));
        float[] params = init.clone();
        TrainResult r = trainer.train(params, hp, n.l2(), new SplittableRandom(dataSeed), i -> progress.advance(1));
        progress.advance(hp.iterations() - r.iterationsRun());

        Path dir = store.networkDir(n.id());
        Trials probe = task.probe();
        int s = model.stateSize();
        List<Integer> stateShape = List.of(probe.count(), probe.steps(), s);
        float[] initStates = new float[probe.count() * probe.steps() * s];
        double initVal = trainer.evaluate(init, validationSet(task, spec), null);
        trainer.evaluate(init, probe, initStates);
        Npy.write(dir.resolve("init_probe_states.npy"), initStates, probe.count(), probe.steps(), s);
        List<NetworkRecord.StoredArray> arrays = new ArrayList<>();
        writeParams(dir, "init", model, init, arrays);
        Npy.write(dir.resolve("loss.npy"), r.mse(), r.mse().length);
        boolean diverged = r.diverged();
        double val = Double.NaN;
        NetworkRecord.StoredArray probeStates = null;
        if (!diverged) {
            val = trainer.evaluate(params, validationSet(task, spec), null);
            diverged = !Double.isFinite(val);
        }
        if (!diverged) {
            writeParams(dir, "params", model, params, arrays);
            float[] states = new float[probe.count() * probe.steps() * s];
            trainer.evaluate(params, probe, states);
            Npy.write(dir.resolve("probe_states.npy"), states, probe.count(), probe.steps(), s);
            probeStates = new NetworkRecord.StoredArray("probe_states", "probe_states.npy", stateShape,
                    "hidden states on the probe set after training: trials x time x state (h first)");
        }
        int tail = Math.max(1, r.iterationsRun() / 100);
        double finalMse = 0;
        for (int i = r.iterationsRun() - tail; i < r.iterationsRun(); i++) {
            finalMse += r.mse()[i];
        }
        finalMse = r.iterationsRun() == 0 ? Double.NaN : finalMse / tail;
        Provenance prov = Provenance.of(ops.name(),
                Provenance.PluginRef.of(plugins.cells().entry(n.cell())),
                Provenance.PluginRef.of(plugins.tasks().entry(n.task())));
        NetworkRecord rec = new NetworkRecord(NetworkRecord.FORMAT, n.id(), n.task(), n.cell(), n.activation(),
                n.units(), model.inputs(), model.outputs(), s, n.l2(), n.seed(),
                diverged ? NetworkRecord.DIVERGED : NetworkRecord.TRAINED, hp, source, initSeed, dataSeed,
                r.iterationsRun(), finalMse, r.lastFiniteLoss(), val, initVal, arrays, probeStates,
                new NetworkRecord.StoredArray("init_probe_states", "init_probe_states.npy", stateShape,
                        "hidden states on the probe set before training"),
                new NetworkRecord.StoredArray("loss", "loss.npy", List.of(r.mse().length),
                        "training MSE per iteration (without the L2 term)"),
                prov);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Json.write(dir.resolve("run.json"), Map.of("seconds", seconds, "thread", Thread.currentThread().getName(),
                "finished", Instant.now().toString(), "kernel", ops.name()));
        Json.write(dir.resolve("network.json"), rec);
        progress.unitDone(String.format(Locale.ROOT, "%-44s %s  validation MSE %.4g  (%d it, %.1f s)", n.id(),
                diverged ? "DIVERGED" : "trained ", val, r.iterationsRun(), seconds));
        return !diverged;
    }

    private static void writeParams(Path dir, String sub, Model model, float[] params,
                                    List<NetworkRecord.StoredArray> arrays) throws IOException {
        for (int i = 0; i < model.blocks().size(); i++) {
            ParamBlock b = model.blocks().get(i);
            float[] v = java.util.Arrays.copyOfRange(params, model.offset(i), model.offset(i) + b.size());
            String file = sub + "/" + b.name() + ".npy";
            if (b.rows() == 1 && b.role() == ParamBlock.Role.BIAS) {
                Npy.write(dir.resolve(file), v, b.cols());
                arrays.add(new NetworkRecord.StoredArray(sub + ":" + b.name(), file, List.of(b.cols()),
                        b.role().name().toLowerCase(Locale.ROOT)));
            } else {
                Npy.write(dir.resolve(file), v, b.rows(), b.cols());
                arrays.add(new NetworkRecord.StoredArray(sub + ":" + b.name(), file, List.of(b.rows(), b.cols()),
                        b.role().name().toLowerCase(Locale.ROOT)));
            }
        }
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
        Trials val = validationSet(task, spec);
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
                bestTrial(store, spec, n.configKey()).ifPresent(o -> search.put(n.configKey(), o));
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
