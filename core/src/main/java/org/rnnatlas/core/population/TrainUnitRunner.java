package org.rnnatlas.core.population;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.rnnatlas.core.exec.WorkerContext;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.core.train.Hyperparameters;
import org.rnnatlas.core.train.Model;
import org.rnnatlas.core.train.TrainResult;
import org.rnnatlas.core.train.Trainer;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.io.Npy;
import org.rnnatlas.core.io.StorePaths;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.ParamBlock;
import org.rnnatlas.spi.Task;
import org.rnnatlas.spi.TaskShape;
import org.rnnatlas.spi.Trials;
import org.rnnatlas.spi.UnitRunner;
import org.rnnatlas.spi.WorkUnit;

/**
 * Runs the training units {@link PopulationRunner} plans: one hyperparameter-search trial ({@value #SEARCH}) or one
 * network ({@value #NETWORK}). Everything comes from the unit's args and the store: the population spec from the
 * store's {@code manifest.json} (the driver writes it before any unit runs), the plugins from the class path plus
 * the unit's plugin folders, the kernel named by the unit (a worker whose JVM selects another kernel refuses the
 * unit, since results would differ in the last bits). A unit whose result is already in the store is a no-op.
 *
 * <p>Args: {@value #STORE} (the store folder, absolute: a path or a URI, see {@link StorePaths}), {@value #KERNEL}
 * ({@link Ops#name()}), {@value #PLUGIN_PATH} (plugin folders joined by the path separator, may be empty), and
 * {@value #NETWORK_ID} for a network or {@value #CONFIG} and {@value #TRIAL} for a search trial.
 */
public final class TrainUnitRunner implements UnitRunner {
    /** Unit kind: train one network of the spec. */
    public static final String NETWORK = "train-network";
    /** Unit kind: run one hyperparameter-search trial. */
    public static final String SEARCH = "search-trial";
    public static final String STORE = "store";
    public static final String KERNEL = WorkerContext.KERNEL;
    public static final String PLUGIN_PATH = WorkerContext.PLUGIN_PATH;
    public static final String NETWORK_ID = "network";
    public static final String CONFIG = "config";
    public static final String TRIAL = "trial";

    /** Seed of every task's validation set: a stream no training batch uses (training seeds are mixed differently). */
    static final long VALIDATION_SEED = 0x7a11da7e5eedL;

    public TrainUnitRunner() {
    }

    /** The unit that trains network {@code n} of the store's spec. */
    public static WorkUnit networkUnit(Store store, NetworkConfig n, Ops ops, Plugins plugins) {
        return new WorkUnit(NETWORK, n.id(), Map.of(STORE, StorePaths.toArg(store.root()), KERNEL,
                ops.name(), PLUGIN_PATH, WorkerContext.pluginPath(plugins), NETWORK_ID, n.id()));
    }

    /** The unit that runs search trial {@code trial} of configuration {@code configKey}. */
    public static WorkUnit searchUnit(Store store, String configKey, int trial, Ops ops, Plugins plugins) {
        return new WorkUnit(SEARCH, "search " + configKey + " trial " + trial, Map.of(STORE,
                StorePaths.toArg(store.root()), KERNEL, ops.name(), PLUGIN_PATH, WorkerContext.pluginPath(plugins), CONFIG, configKey,
                TRIAL, Integer.toString(trial)));
    }

    @Override
    public String run(WorkUnit unit) throws IOException {
        // a plain path or a URI (hdfs://, s3a://, ...) of an installed java.nio provider
        Store store = new Store(StorePaths.of(unit.arg(STORE)));
        PopulationSpec spec = store.readManifest().orElseThrow(() -> new SpecException("Store " + store.root()
                + " has no manifest.json; the driver writes it before running units")).spec().normalized();
        Ops ops = kernel(unit.arg(KERNEL));
        Plugins plugins = WorkerContext.plugins(unit.arg(PLUGIN_PATH));
        return switch (unit.kind()) {
            case NETWORK -> {
                String id = unit.arg(NETWORK_ID);
                NetworkConfig n = spec.networks().stream().filter(c -> c.id().equals(id)).findFirst()
                        .orElseThrow(() -> new SpecException("Network " + id + " is not in the spec of store "
                                + store.root()));
                if (store.finishedNetwork(id).isPresent()) {
                    yield id + " finished already";
                }
                SearchState search = searchState(store, spec, n.configKey());
                if (!search.complete()) {
                    throw new IllegalStateException("the hyperparameter search of " + n.configKey()
                            + " is not complete in the store; its trials run first");
                }
                yield runNetwork(store, spec, plugins, ops, task(plugins, spec, n.task()), n,
                        search.outcome().orElse(null));
            }
            case SEARCH -> {
                String key = unit.arg(CONFIG);
                int trial = Integer.parseInt(unit.arg(TRIAL));
                NetworkConfig cfg = spec.networks().stream().filter(c -> c.configKey().equals(key)).findFirst()
                        .orElseThrow(() -> new SpecException("Configuration " + key + " is not in the spec of store "
                                + store.root()));
                if (trial < 0 || trial >= spec.search().trials()) {
                    throw new SpecException("Search trial " + trial + " is outside 0.." + (spec.search().trials() - 1));
                }
                if (store.searchTrial(key, trial).isPresent()) {
                    yield unit.id() + " finished already";
                }
                yield runSearchTrial(store, spec, plugins, ops, task(plugins, spec, cfg.task()), cfg, trial);
            }
            default -> throw new IllegalArgumentException("Unknown unit kind '" + unit.kind() + "' for "
                    + TrainUnitRunner.class.getSimpleName() + "; it runs " + NETWORK + " and " + SEARCH);
        };
    }

    /** The kernel a unit names ({@link WorkerContext#kernel}). */
    static Ops kernel(String name) {
        return WorkerContext.kernel(name);
    }

    static Task task(Plugins plugins, PopulationSpec spec, String name) {
        try {
            return plugins.tasks().get(name).configure(spec.taskOptions(name));
        } catch (IllegalArgumentException e) {
            throw new SpecException("task_options for " + name + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- the search

    /** Where a configuration's search stands: complete or not, and the chosen hyperparameters if any. */
    record SearchState(boolean complete, Optional<Manifest.SearchOutcome> outcome, int trials) {
        /** Every trial ran and every one diverged: the networks use the spec's hyperparameters. */
        boolean allDiverged() {
            return complete && trials > 0 && outcome.isEmpty();
        }
    }

    static SearchState searchState(Store store, PopulationSpec spec, String key) throws IOException {
        int trials = spec.search().trials();
        if (trials == 0) {
            return new SearchState(true, Optional.empty(), 0);
        }
        SearchTrialRecord best = null;
        int diverged = 0;
        for (int t = 0; t < trials; t++) {
            var r = store.searchTrial(key, t);
            if (r.isEmpty()) {
                return new SearchState(false, Optional.empty(), trials);
            }
            if (r.get().diverged()) {
                diverged++;
            } else if (best == null || r.get().validationMse() < best.validationMse()) {
                best = r.get();
            }
        }
        if (best == null) {
            return new SearchState(true, Optional.empty(), trials);
        }
        Hyperparameters chosen = best.hyperparameters().withIterations(spec.iterations(),
                spec.hyperparameters().decaySteps() == 0 ? spec.iterations() : spec.hyperparameters().decaySteps());
        return new SearchState(true, Optional.of(new Manifest.SearchOutcome(best.trial(), best.validationMse(), chosen,
                trials, diverged)), trials);
    }

    private static String runSearchTrial(Store store, PopulationSpec spec, Plugins plugins, Ops ops, Task task,
                                         NetworkConfig cfg, int trial) throws IOException {
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
        Model model = model(plugins, task, cfg);
        Trainer trainer = new Trainer(model, task, ops, spec.batch());
        float[] params = model.initialize(new SplittableRandom(initSeed));
        TrainResult r = trainer.train(params, hp, cfg.l2(), new SplittableRandom(dataSeed), i -> { });
        double val = r.diverged() ? Double.NaN : trainer.evaluate(params, validationSet(task, spec), null);
        boolean diverged = r.diverged() || !Double.isFinite(val);
        Json.write(store.searchFile(key, trial), new SearchTrialRecord(SearchTrialRecord.FORMAT, key, trial, hp,
                initSeed, dataSeed, diverged, val));
        return String.format(Locale.ROOT, "search %s trial %d: %s", key, trial,
                diverged ? "diverged" : String.format(Locale.ROOT, "validation MSE %.4g", val));
    }

    // ---------------------------------------------------------------- one network

    private static Model model(Plugins plugins, Task task, NetworkConfig n) {
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

    /** The task's validation set: {@code spec.validationTrials()} trials from a fixed stream, drawn in batches. */
    static Trials validationSet(Task task, PopulationSpec spec) {
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
    }

    /** Trains one network and writes its files, network.json last; returns its log line. */
    private static String runNetwork(Store store, PopulationSpec spec, Plugins plugins, Ops ops, Task task,
                                     NetworkConfig n, Manifest.SearchOutcome outcome) throws IOException {
        long t0 = System.nanoTime();
        Model model = model(plugins, task, n);
        Hyperparameters hp = outcome != null ? outcome.chosen()
                : spec.hyperparameters(spec.optimizerEnum(), spec.iterations());
        String source = outcome != null ? "search:" + n.configKey() + "#" + outcome.bestTrial() : "spec";
        long initSeed = initSeed(n);
        long dataSeed = dataSeed(n);
        Trainer trainer = new Trainer(model, task, ops, spec.batch());
        float[] init = model.initialize(new SplittableRandom(initSeed));
        float[] params = init.clone();
        TrainResult r = trainer.train(params, hp, n.l2(), new SplittableRandom(dataSeed), i -> { });
        Trials validation = validationSet(task, spec);

        Path dir = store.networkDir(n.id());
        Trials probe = task.probe();
        int s = model.stateSize();
        List<Integer> stateShape = List.of(probe.count(), probe.steps(), s);
        float[] initStates = new float[probe.count() * probe.steps() * s];
        double initVal = trainer.evaluate(init, validation, null);
        trainer.evaluate(init, probe, initStates);
        Npy.write(dir.resolve("init_probe_states.npy"), initStates, probe.count(), probe.steps(), s);
        List<NetworkRecord.StoredArray> arrays = new ArrayList<>();
        writeParams(dir, "init", model, init, arrays);
        Npy.write(dir.resolve("loss.npy"), r.mse(), r.mse().length);
        boolean diverged = r.diverged();
        double val = Double.NaN;
        NetworkRecord.StoredArray probeStates = null;
        if (!diverged) {
            val = trainer.evaluate(params, validation, null);
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
        return String.format(Locale.ROOT, "%-44s %s  validation MSE %.4g  (%d it, %.1f s)", n.id(),
                diverged ? "DIVERGED" : "trained ", val, r.iterationsRun(), seconds);
    }

    private static void writeParams(Path dir, String sub, Model model, float[] params,
                                    List<NetworkRecord.StoredArray> arrays) throws IOException {
        for (int i = 0; i < model.blocks().size(); i++) {
            ParamBlock b = model.blocks().get(i);
            float[] v = Arrays.copyOfRange(params, model.offset(i), model.offset(i) + b.size());
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
}
