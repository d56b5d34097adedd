package org.rnnatlas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.rnnatlas.core.dynamics.DynamicsRunner;
import org.rnnatlas.core.dynamics.NetworkAnalysis;
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.core.population.SpecException;
import org.rnnatlas.core.population.Store;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.spi.Executor;
import org.rnnatlas.spi.TopologyMetric;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnnatlas dynamics}: fixed points, linearisations and fixed-point topology of a trained population. */
@Command(name = "dynamics", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Analyse the dynamics of every finished network in a store (SPEC §5-§7): for each of its task's condition"
                + " inputs, the fixed points and slow points (Adam on q = 1/2 |F(s) - s|^2 over 1,024 candidates,"
                + " then Newton), each with its Jacobian's eigenvalues, stability and number of unstable dimensions;"
                + " the topology metrics' matrices (the flip-flop transition graph, the nearest-neighbour graph of"
                + " input-dependent fixed points, the matched-point topology); and the task's linearised analysis"
                + " (sine: linear frequency vs command frequency; CDI: spectra and mode ablation).",
            "",
            "Per network, results go to STORE/dynamics/<task>/<trained|untrained>/<id>/ (fixed_points.npy + .json,"
                + " topology_<metric>.npy, linear.json, analysis.json); per task, the topology distance matrices"
                + " between networks and their MDS to STORE/dynamics/<task>/. Networks run in parallel; a rerun skips"
                + " finished networks and resumes after a crash or kill. docs/store.md documents every file. With"
                + " --executor spark each network's analysis is one Spark task (docs/spark.md).",
            "",
            "Finder defaults are SPEC §5's with two task defaults: CDI accepts q <= 1e-5 (its line attractor is made"
                + " of slowly drifting points), and elsewhere a point counts as fixed only when Newton verifies it"
                + " (criterion=verified; criterion=tolerance is SPEC's bare q <= 1e-8 rule).",
            "",
            "Examples:",
            "  rnnatlas dynamics demo-store/flipflop",
            "  rnnatlas dynamics runs/pop --include-untrained --threads 8",
            "  rnnatlas dynamics /shared/pop --master 'local[2]'",
            "  rnnatlas dynamics runs/pop --networks ID --finder candidates=2048",
            "  rnnatlas dynamics runs/pop --topology transition \\",
            "      --option transition.perturbations=200",
            ""})
final class DynamicsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "STORE", description = "A store written by rnnatlas train.")
    Path storePath;

    @Option(names = "--networks", split = ",", paramLabel = "ID",
            description = "Analyse only these networks (ids as in STORE/networks/). Default: all finished ones.")
    List<String> networks;

    @Option(names = "--include-untrained",
            description = "Also analyse each network's untrained (initial) weights, for the trained-vs-untrained"
                    + " comparison.")
    boolean includeUntrained;

    @Option(names = "--topology", split = ",", paramLabel = "NAME",
            description = "Topology metrics (default: every installed one; each runs on the tasks it applies to)."
                    + " Installed: ${COMPLETION-CANDIDATES}.",
            completionCandidates = Candidates.TopologyMetrics.class)
    List<String> topology;

    @Option(names = "--option", paramLabel = "METRIC.KEY=VALUE",
            description = "A topology metric option, e.g. transition.perturbations=200. Repeatable; see"
                    + " 'rnnatlas plugins' and docs/store.md.")
    List<String> options = new ArrayList<>();

    @Option(names = "--finder", paramLabel = "KEY=VALUE", split = ",",
            description = "Fixed-point finder settings overriding SPEC §5's defaults: " + NetworkAnalysis.FINDER_KEYS
                    + ". E.g. --finder candidates=2048,tolerance=1e-10.")
    List<String> finder = new ArrayList<>();

    @Option(names = "--cdi-near-probe", paramLabel = "K", defaultValue = "3",
            description = "CDI only: the fixed points the linear analysis and the topology metrics use are those within"
                    + " K times the spread of a context's probe states of one of them (default: ${DEFAULT-VALUE};"
                    + " 'Infinity' uses every point). All points stay in fixed_points.npy; linear.json records K"
                    + " as near_probe_factor.")
    double cdiNearProbe;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Base seed of the candidate sampling and perturbations (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all cores).")
    Integer threads;

    @Option(names = "--recompute",
            description = "Replace results computed earlier with other settings (otherwise such a store is refused).")
    boolean recompute;

    @Mixin
    ExecutorOptions executorOptions;

    @Mixin
    PluginOptions pluginOptions;

    @Spec
    CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Plugins plugins = pluginOptions.load();
        Map<String, Map<String, String>> perMetric = PluginOptionValues.parse(options, commandSpec.commandLine(),
                "transition.perturbations=200");
        List<String> names = topology == null ? new ArrayList<>(plugins.topologyMetrics().names()) : topology;
        List<TopologyMetric> metrics = new ArrayList<>();
        for (String name : names) {
            if (!plugins.topologyMetrics().contains(name)) {
                throw new CommandLine.ParameterException(commandSpec.commandLine(), "Unknown topology metric '"
                        + name + "'. Installed: " + plugins.topologyMetrics().names()
                        + ". Is its jar on the class path or in --plugin-dir?");
            }
            try {
                metrics.add(plugins.topologyMetrics().get(name).configure(perMetric.getOrDefault(name, Map.of())));
            } catch (IllegalArgumentException e) {
                throw new SpecException("--option for " + name + ": " + e.getMessage());
            }
        }
        for (String m : perMetric.keySet()) {
            if (!names.contains(m)) {
                throw new SpecException("--option names topology metric '" + m + "', which is not in --topology "
                        + names);
            }
        }
        if (!(cdiNearProbe > 0)) {
            throw new CommandLine.ParameterException(commandSpec.commandLine(), "--cdi-near-probe must be > 0"
                    + " ('Infinity' keeps every fixed point), got " + cdiNearProbe);
        }
        Map<String, String> finderOverrides = new TreeMap<>();
        for (String f : finder) {
            int eq = f.indexOf('=');
            if (eq < 1 || eq == f.length() - 1) {
                throw new CommandLine.ParameterException(commandSpec.commandLine(), "--finder '" + f
                        + "' is not KEY=VALUE; keys: " + NetworkAnalysis.FINDER_KEYS);
            }
            finderOverrides.put(f.substring(0, eq), f.substring(eq + 1));
        }
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new SpecException("--threads must be >= 1, got " + n);
        }
        NetworkAnalysis.Options analysis = new NetworkAnalysis.Options(finderOverrides, seed, metrics, cdiNearProbe);
        boolean terminal = System.console() != null && System.getenv("CI") == null;
        DynamicsRunner.Summary s;
        try (Executor executor = executorOptions.open(plugins, commandSpec.commandLine())) {
            DynamicsRunner runner = new DynamicsRunner(new Store(storePath), plugins, Kernels.ops(), executor,
                    System.err, terminal);
            s = runner.run(new DynamicsRunner.Options(analysis, networks, includeUntrained, n, recompute));
        }
        PrintWriter out = commandSpec.commandLine().getOut();
        out.printf("Analysed %d networks (%d already done) into %s%n", s.analysed(), s.resumed(),
                storePath.resolve("dynamics"));
        for (Path p : s.matrices()) {
            out.println("  " + p);
        }
        out.flush();
        if (!s.failed().isEmpty()) {
            PrintWriter err = commandSpec.commandLine().getErr();
            err.println("rnnatlas dynamics: " + s.failed().size() + " analyses failed:");
            for (String f : s.failed()) {
                err.println("  " + f);
            }
            err.flush();
            return Main.FAILURE;
        }
        return Main.OK;
    }
}
