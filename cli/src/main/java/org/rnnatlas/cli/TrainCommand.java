package org.rnnatlas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.core.population.Manifest;
import org.rnnatlas.core.population.PopulationRunner;
import org.rnnatlas.core.population.PopulationSpec;
import org.rnnatlas.core.population.SpecException;
import org.rnnatlas.core.population.Store;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.spi.Executor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnnatlas train}: train a population into a store. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Train a population: every combination of the listed tasks, cells, activations, unit counts, L2 values"
                + " and seeds. Networks train in parallel, one per thread; results go to a store folder (--out) that"
                + " Python reads directly (.npy and JSON; layout in docs/store.md).",
            "",
            "Rerunning the same command resumes: finished networks are kept and skipped. A store remembers its"
                + " spec; running a different population into it is refused. Lists are comma-separated.",
            "",
            "Examples:",
            "  rnnatlas train --task flipflop --cell vanilla,gru --activation tanh,relu --units 64 --seeds 0,1"
                + " --iterations 2000 --optimizer adam --lr 0.01 --out runs/ff",
            "  rnnatlas train --spec population.json --out runs/study --threads 2",
            "  rnnatlas train --spec population.json --out /shared/study --executor spark --master spark://head:7077",
            ""})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--spec", paramLabel = "FILE", order = 1,
            description = "Population spec as JSON (format rnnatlas.population/1; see docs/store.md). Excludes the"
                    + " population flags below.")
    Path specFile;

    @Option(names = "--out", paramLabel = "DIR", required = true, order = 2,
            description = "Store folder: created if missing; an existing store of the same spec is resumed.")
    Path out;

    @Option(names = "--task", split = ",", paramLabel = "NAME", order = 3,
            description = "Tasks. Installed: ${COMPLETION-CANDIDATES}.", completionCandidates = Candidates.Tasks.class)
    List<String> tasks;

    @Option(names = "--cell", split = ",", paramLabel = "NAME", order = 4,
            description = "Cells. Installed: ${COMPLETION-CANDIDATES}.", completionCandidates = Candidates.Cells.class)
    List<String> cells;

    @Option(names = "--activation", split = ",", paramLabel = "NAME", order = 5,
            description = "Non-gate nonlinearities: tanh, relu (default: tanh).")
    List<String> activations;

    @Option(names = "--units", split = ",", paramLabel = "N", order = 6, description = "Hidden units (default: 64).")
    List<Integer> units;

    @Option(names = "--l2", split = ",", paramLabel = "X", order = 7,
            description = "L2 penalties on all weight matrices (default: 1e-4).")
    List<Double> l2;

    @Option(names = "--seeds", paramLabel = "LIST", order = 8,
            description = "Seeds: a list (0,1,2) or a range (0..29) (default: 0).")
    String seeds;

    @Option(names = "--iterations", paramLabel = "N", order = 9,
            description = "Training iterations per network (default: 3000; the paper: 20000).")
    Integer iterations;

    @Option(names = "--batch", paramLabel = "B", order = 10, description = "Trials per batch (default: 64).")
    Integer batch;

    @Option(names = "--optimizer", paramLabel = "NAME", order = 11,
            description = "sgd (with momentum, the paper's) or adam (default: sgd).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "X", order = 12,
            description = "Initial learning rate when no search runs (default: 1e-3).")
    Double lr;

    @Option(names = "--decay", paramLabel = "X", order = 13,
            description = "Final/initial learning-rate ratio, lr(t) = lr·decay^(t/iterations) (default: 0.5).")
    Double decay;

    @Option(names = "--momentum", paramLabel = "X", order = 14,
            description = "SGD momentum, or Adam's beta1 (default: 0.9).")
    Double momentum;

    @Option(names = "--clip", paramLabel = "X", order = 15, description = "Global gradient-norm clip (default: 1).")
    Double clip;

    @Option(names = "--search-trials", paramLabel = "N", order = 16,
            description = "Random hyperparameter search: draws per configuration, scored on a validation set;"
                    + " 0 uses --lr/--decay/--momentum/--clip (default: 0).")
    Integer searchTrials;

    @Option(names = "--search-iterations", paramLabel = "N", order = 17,
            description = "Iterations of each search trial (default: --iterations).")
    Integer searchIterations;

    @Option(names = "--search-seed", paramLabel = "N", order = 18, description = "Seed of the search (default: 0).")
    Long searchSeed;

    @Option(names = "--name", paramLabel = "TEXT", order = 19, description = "A name for the population.")
    String name;

    @Option(names = "--threads", paramLabel = "N", order = 20,
            description = "Networks trained at once (default: all cores). Results do not depend on it.")
    Integer threads;

    @Option(names = "--task-option", paramLabel = "TASK.KEY=VALUE", order = 22,
            description = "A task option, e.g. flipflop.start=pulse or cdi.scale=0.1. Repeatable; 'rnnatlas plugins'"
                    + " lists each task's options (stored in the spec's task_options).")
    List<String> taskOptions = new ArrayList<>();

    @Option(names = "--json", order = 21, description = "Print the summary as JSON.")
    boolean json;

    @Mixin
    ExecutorOptions executorOptions;

    @Mixin
    PluginOptions pluginOptions;

    @Spec
    CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Plugins plugins = pluginOptions.load();
        PopulationSpec spec = specFile != null ? fromFile() : fromFlags();
        spec = spec.normalized();
        for (String t : spec.tasks()) {
            if (!plugins.tasks().contains(t)) {
                throw new CommandLine.ParameterException(commandSpec.commandLine(), "Unknown task '" + t
                        + "'. Installed: " + plugins.tasks().names() + ". Is its jar on the class path or in --plugin-dir?");
            }
        }
        for (String c : spec.cells()) {
            if (!plugins.cells().contains(c)) {
                throw new CommandLine.ParameterException(commandSpec.commandLine(), "Unknown cell '" + c
                        + "'. Installed: " + plugins.cells().names() + ". Is its jar on the class path or in --plugin-dir?");
            }
        }
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new CommandLine.ParameterException(commandSpec.commandLine(), "--threads must be >= 1, got " + n);
        }
        PopulationRunner.Summary s;
        try (Executor executor = executorOptions.open(plugins, commandSpec.commandLine())) {
            PopulationRunner runner = new PopulationRunner(plugins, Kernels.ops(), executor, n, System.err,
                    System.console() != null && System.getenv("CI") == null);
            s = runner.run(spec, out);
        }
        report(s);
        if (!s.failed().isEmpty()) {
            commandSpec.commandLine().getErr().println("rnnatlas train: error: " + s.failed().size()
                    + " unit(s) failed: " + s.failed() + ". Rerun the same command to retry them.");
            return Main.FAILURE;
        }
        return Main.OK;
    }

    private PopulationSpec fromFile() throws IOException {
        boolean flags = tasks != null || cells != null || activations != null || units != null || l2 != null
                || seeds != null || iterations != null || batch != null || optimizer != null || lr != null
                || decay != null || momentum != null || clip != null || searchTrials != null
                || searchIterations != null || searchSeed != null || name != null || !taskOptions.isEmpty();
        if (flags) {
            throw new CommandLine.ParameterException(commandSpec.commandLine(),
                    "--spec cannot be combined with population flags (--task, --cell, ...): put them in the spec,"
                            + " or drop --spec");
        }
        if (!Files.isRegularFile(specFile)) {
            throw new SpecException("Spec file " + specFile + " does not exist");
        }
        try {
            try (java.io.InputStream in = Files.newInputStream(specFile)) {
                return Json.MAPPER.readValue(in, PopulationSpec.class);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SpecException("Spec file " + specFile + " is not a valid population spec: "
                    + e.getOriginalMessage() + locate(e));
        }
    }

    private static String locate(com.fasterxml.jackson.core.JsonProcessingException e) {
        var loc = e.getLocation();
        return loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    private PopulationSpec fromFlags() {
        if (tasks == null || cells == null) {
            throw new CommandLine.ParameterException(commandSpec.commandLine(),
                    "Give --task and --cell (or a --spec file). Tasks installed: "
                            + String.join(", ", new Candidates.Tasks()) + "; cells: "
                            + String.join(", ", new Candidates.Cells()));
        }
        var hp = new PopulationSpec.HyperparameterDefaults(lr == null ? 1e-3 : lr, decay == null ? 0.5 : decay, 0,
                momentum == null ? 0.9 : momentum, clip == null ? 1.0 : clip);
        var search = new PopulationSpec.Search(searchTrials == null ? 0 : searchTrials,
                searchIterations == null ? 0 : searchIterations, searchSeed == null ? 0 : searchSeed);
        Map<String, Map<String, String>> perTask = PluginOptionValues.parse(taskOptions, commandSpec.commandLine(),
                "flipflop.start=pulse");
        return new PopulationSpec(PopulationSpec.FORMAT, name, tasks, perTask.isEmpty() ? null : perTask, cells, activations, units, l2,
                parseSeeds(seeds), iterations == null ? 0 : iterations, batch == null ? 0 : batch, optimizer, hp,
                search, 0);
    }

    List<Long> parseSeeds(String text) {
        if (text == null) {
            return null;
        }
        List<Long> out = new ArrayList<>();
        try {
            for (String part : text.split(",")) {
                String p = part.trim();
                int dots = p.indexOf("..");
                if (dots >= 0) {
                    long a = Long.parseLong(p.substring(0, dots).trim());
                    long b = Long.parseLong(p.substring(dots + 2).trim());
                    if (b < a || b - a > 100_000) {
                        throw new NumberFormatException("range " + p);
                    }
                    for (long s = a; s <= b; s++) {
                        out.add(s);
                    }
                } else {
                    out.add(Long.parseLong(p));
                }
            }
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(commandSpec.commandLine(), "--seeds '" + text
                    + "' is not a list of integers (0,1,2) or a range (0..29)");
        }
        return out;
    }

    private void report(PopulationRunner.Summary s) throws IOException {
        printSummary(commandSpec.commandLine().getOut(), s, json);
    }

    static void printSummary(PrintWriter o, PopulationRunner.Summary s, boolean json) throws IOException {
        Manifest m = new Store(s.store()).readManifest().orElseThrow();
        if (json) {
            o.print(Json.write(m.networks()));
        } else {
            o.printf(Locale.ROOT, "%-48s %-9s %s%n", "NETWORK", "STATUS", "VALIDATION_MSE");
            for (Manifest.Entry e : m.networks()) {
                o.printf(Locale.ROOT, "%-48s %-9s %s%n", e.id(), e.status(),
                        e.validationMse() == null ? "-" : String.format(Locale.ROOT, "%.5f", e.validationMse()));
            }
            o.printf(Locale.ROOT, "%d trained, %d diverged, %d already finished, %d failed. Store: %s%n", s.trained(),
                    s.diverged(), s.skipped(), s.failed().size(), s.store());
        }
        o.flush();
    }
}
