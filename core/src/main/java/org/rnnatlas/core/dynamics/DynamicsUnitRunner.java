package org.rnnatlas.core.dynamics;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.rnnatlas.core.exec.WorkerContext;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.population.Manifest;
import org.rnnatlas.core.population.Provenance;
import org.rnnatlas.core.population.Seeds;
import org.rnnatlas.core.population.Store;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.core.registry.Registry;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.Condition;
import org.rnnatlas.spi.FixedPoint;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.Task;
import org.rnnatlas.spi.TopologyMetric;
import org.rnnatlas.spi.UnitRunner;
import org.rnnatlas.spi.WorkUnit;

/**
 * Runs the dynamics units {@link DynamicsRunner} plans ({@value #KIND}): the {@link NetworkAnalysis} of one network,
 * trained or untrained, written to {@link DynamicsStore} atomically with {@code analysis.json} last. Everything comes
 * from the unit's args and the store: the task's options from the store's {@code manifest.json}, the plugins from
 * the class path plus the unit's plugin folders, the kernel named by the unit. A unit whose {@code analysis.json}
 * already holds the unit's key is a no-op; one with another key is replaced (the driver plans such a unit only with
 * {@code --recompute}).
 *
 * <p>Args: {@value #STORE}, {@value WorkerContext#KERNEL}, {@value WorkerContext#PLUGIN_PATH}, {@value #NETWORK},
 * {@value #TASK}, {@value #CELL}, {@value #ACTIVATION}, {@value #UNTRAINED} ({@code true|false}), {@value #SEED},
 * {@value #FINDER} (JSON object of finder overrides), {@value #TOPOLOGY} (JSON list of {@code {name, options}}),
 * {@value #CDI_NEAR_PROBE} ({@link NetworkAnalysis.Options#cdiNearProbe}) and
 * {@value #KEY}, the driver's key of these settings, which the worker recomputes and must match (else its plugins
 * differ from the driver's).
 */
public final class DynamicsUnitRunner implements UnitRunner {
    /** Unit kind: analyse one network's dynamics. */
    public static final String KIND = "network-dynamics";
    public static final String STORE = "store";
    public static final String NETWORK = "network";
    public static final String TASK = "task";
    public static final String CELL = "cell";
    public static final String ACTIVATION = "activation";
    public static final String UNTRAINED = "untrained";
    public static final String SEED = "seed";
    public static final String FINDER = "finder";
    public static final String TOPOLOGY = "topology";
    public static final String CDI_NEAR_PROBE = "cdi_near_probe";
    public static final String KEY = "key";

    public DynamicsUnitRunner() {
    }

    /** The unit that analyses network {@code id} ({@code untrained}: its initial weights) with {@code options}. */
    static WorkUnit unit(Store store, String id, String task, String cell, String activation, boolean untrained,
                         NetworkAnalysis.Options options, Ops ops, Plugins plugins) {
        List<Map<String, Object>> topology = new ArrayList<>();
        for (TopologyMetric m : options.topology()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", m.name());
            t.put("options", new TreeMap<>(m.options()));
            topology.add(t);
        }
        Map<String, String> args = new TreeMap<>();
        args.put(STORE, WorkerContext.pathArg(store.root()));
        args.put(WorkerContext.KERNEL, ops.name());
        args.put(WorkerContext.PLUGIN_PATH, WorkerContext.pluginPath(plugins));
        args.put(NETWORK, id);
        args.put(TASK, task);
        args.put(CELL, cell);
        args.put(ACTIVATION, activation);
        args.put(UNTRAINED, Boolean.toString(untrained));
        args.put(SEED, Long.toString(options.seed()));
        args.put(FINDER, Json.write(new TreeMap<>(options.finder())));
        args.put(TOPOLOGY, Json.write(topology));
        args.put(CDI_NEAR_PROBE, Double.toString(options.cdiNearProbe()));
        args.put(KEY, key(options, activation, task, ops));
        return new WorkUnit(KIND, id + (untrained ? " (untrained)" : ""), args);
    }

    @Override
    public String run(WorkUnit unit) throws IOException {
        if (!unit.kind().equals(KIND)) {
            throw new IllegalArgumentException("Unknown unit kind '" + unit.kind() + "' for "
                    + DynamicsUnitRunner.class.getSimpleName() + "; it runs " + KIND);
        }
        Store store = new Store(WorkerContext.path(unit.arg(STORE)));
        Ops ops = WorkerContext.kernel(unit.arg(WorkerContext.KERNEL));
        Plugins plugins = WorkerContext.plugins(unit.arg(WorkerContext.PLUGIN_PATH));
        String id = unit.arg(NETWORK);
        String taskName = unit.arg(TASK);
        boolean untrained = Boolean.parseBoolean(unit.arg(UNTRAINED));
        NetworkAnalysis.Options options = options(unit, plugins);
        String key = unit.arg(KEY);
        String mine = key(options, unit.arg(ACTIVATION), taskName, ops);
        if (!mine.equals(key)) {
            throw new IllegalStateException("The settings of unit " + unit.id() + " give key " + mine + " on this"
                    + " worker but " + key + " on the driver: the worker's topology metrics differ from the driver's"
                    + " (other versions or options); give workers the driver's plugin jars");
        }
        DynamicsStore out = new DynamicsStore(store);
        var rec = out.record(taskName, id, untrained);
        if (rec.isPresent() && key.equals(rec.get().get("key"))) {
            return unit.id() + " finished already";
        }
        Manifest manifest = store.readManifest().orElseThrow(() -> new DynamicsException(store.root()
                + " is not an rnnatlas store (no manifest.json)"));
        Task task = plugins.tasks().get(taskName).configure(manifest.spec().taskOptions(taskName));
        long t0 = System.nanoTime();
        NetworkAnalysis.Result r = analyse(store, plugins, ops, id, taskName, task, unit.arg(CELL), untrained,
                options, key);
        double sec = (System.nanoTime() - t0) / 1e9;
        return String.format(Locale.ROOT, "%s: %d fixed points (%d stable), %d slow, %.1f s", unit.id(),
                r.fixedPoints().size(), r.fixedPoints().stream().filter(FixedPoint::stable).count(),
                r.slowPoints().size(), sec);
    }

    private static NetworkAnalysis.Options options(WorkUnit unit, Plugins plugins) throws IOException {
        Map<String, String> finder = Json.LENIENT.readValue(unit.arg(FINDER),
                new TypeReference<TreeMap<String, String>>() {
                });
        List<Map<String, Object>> topology = Json.LENIENT.readValue(unit.arg(TOPOLOGY),
                new TypeReference<List<Map<String, Object>>>() {
                });
        List<TopologyMetric> metrics = new ArrayList<>();
        for (Map<String, Object> t : topology) {
            String name = (String) t.get("name");
            Map<String, String> opts = new TreeMap<>();
            if (t.get("options") instanceof Map<?, ?> m) {
                for (var e : m.entrySet()) {
                    opts.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
                }
            }
            if (!plugins.topologyMetrics().contains(name)) {
                throw new IllegalStateException("Unit " + unit.id() + " names topology metric '" + name + "', which"
                        + " this worker does not have (it has " + plugins.topologyMetrics().names() + ")");
            }
            metrics.add(plugins.topologyMetrics().get(name).configure(opts));
        }
        return new NetworkAnalysis.Options(finder, Long.parseLong(unit.arg(SEED)), metrics,
                Double.parseDouble(unit.arg(CDI_NEAR_PROBE)));
    }

    /** Analyses one network and writes its results, analysis.json last. */
    private static NetworkAnalysis.Result analyse(Store store, Plugins plugins, Ops ops, String id,
                                                  String taskName, Task task, String cell, boolean untrained,
                                                  NetworkAnalysis.Options options, String key) throws IOException {
        Registry.Entry<Cell> cellEntry = plugins.cells().entry(cell);
        StoredNetwork net = StoredNetwork.load(store, id, cellEntry.plugin(), untrained);
        long t0 = System.nanoTime();
        NetworkAnalysis.Result r = NetworkAnalysis.analyse(net, task, options, ops);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> linear = LinearAnalyses.of(net, task, r);
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("format", DynamicsStore.FORMAT);
        rec.put("id", id);
        rec.put("task", taskName);
        rec.put("cell", cell);
        rec.put("activation", net.spec().activation().id());
        rec.put("units", net.spec().hidden());
        rec.put("state_size", net.model().stateSize());
        rec.put("state", NetworkAnalysis.stateLabel(untrained));
        rec.put("key", key);
        rec.put("seed", options.seed());
        rec.put("finder_options", finderOptions(r.finderOptions()));
        rec.put("mean_state_norm", r.meanStateNorm());
        rec.put("fixed_points", r.fixedPoints().size());
        rec.put("stable_fixed_points", r.fixedPoints().stream().filter(FixedPoint::stable).count());
        rec.put("unstable_dims_histogram", histogram(r.fixedPoints()));
        rec.put("slow_points", r.slowPoints().size());
        List<Map<String, Object>> conds = new ArrayList<>();
        List<Condition> cs = task.conditions();
        for (NetworkAnalysis.ConditionSummary c : r.conditions()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", c.condition());
            m.put("label", c.label());
            m.put("input", cs.get(c.condition()).input());
            m.put("fixed_points", c.fixedPoints());
            m.put("slow_points", c.slowPoints());
            m.put("finder", c.diagnostics());
            conds.add(m);
        }
        rec.put("conditions", conds);
        Map<String, Object> topo = new LinkedHashMap<>();
        for (TopologyMetric metric : options.topology()) {
            TopologyMetric.Topology t = r.topologies().get(metric.name());
            if (t == null) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", DynamicsStore.topologyFile(metric.name()));
            m.put("shape", List.of(t.rows(), t.cols()));
            m.put("row_labels", t.rowLabels());
            m.put("col_labels", t.colLabels());
            m.put("plugin", pluginInfo(metric));
            topo.put(metric.name(), m);
        }
        rec.put("topology", topo);
        rec.put("linear", linear == null ? null : "linear.json");
        var cellRef = Provenance.PluginRef.of(cellEntry);
        var taskRef = Provenance.PluginRef.of(plugins.tasks().entry(taskName));
        rec.put("provenance", Provenance.of(ops.name(), cellRef, taskRef));
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("seconds", seconds);
        run.put("cpu_seconds_finder", r.timing().finderSeconds());
        run.put("cpu_seconds_linearisation", r.timing().linearisationSeconds());
        run.put("cpu_seconds_topology", r.timing().topologySeconds());
        run.put("thread", Thread.currentThread().getName());
        run.put("finished", Instant.now().toString());
        run.put("kernel", ops.name());
        new DynamicsStore(store).write(r, net.model().stateSize(), rec, linear, run);
        return r;
    }

    private static Map<String, Integer> histogram(List<FixedPoint> points) {
        Map<String, Integer> h = new TreeMap<>();
        for (FixedPoint p : points) {
            h.merge(Integer.toString(p.unstableDims()), 1, Integer::sum);
        }
        return h;
    }

    private static Map<String, Object> finderOptions(FixedPointFinder.Options o) {
        return Json.MAPPER.convertValue(o, new TypeReference<Map<String, Object>>() {
        });
    }

    static Map<String, Object> pluginInfo(TopologyMetric m) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", m.name());
        info.put("version", m.version());
        info.put("class", m.getClass().getName());
        info.put("options", new TreeMap<>(m.options()));
        return info;
    }

    /** Everything a network's stored results depend on besides its own files: the settings in force for it. */
    static String key(NetworkAnalysis.Options o, String activation, String task, Ops ops) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("seed", o.seed());
        k.put("finder", finderOptions(NetworkAnalysis.finderOptions(Activation.of(activation), task, o.finder())));
        List<Object> metrics = new ArrayList<>();
        for (TopologyMetric m : o.topology()) {
            metrics.add(List.of(m.name(), m.version(), new TreeMap<>(m.options())));
        }
        k.put("topology", metrics);
        if (o.cdiNearProbe() != LinearAnalyses.DEFAULT_CDI_NEAR_PROBE) {
            // only when set: keys of stores analysed before the option existed (the default) stay valid
            k.put("cdi_near_probe", o.cdiNearProbe());
        }
        k.put("kernel", ops.name());
        return Integer.toHexString(Json.write(k).hashCode()) + "-" + Long.toHexString(Seeds.mix(0, Json.write(k)));
    }
}
