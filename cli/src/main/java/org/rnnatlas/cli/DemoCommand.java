package org.rnnatlas.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.population.PopulationSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rnnatlas demo}: the whole study (as {@code rnnatlas study}) on a laptop-sized population of each of the
 * three tasks, one store per task because a population spec has one iteration count and seed list for all its tasks
 * and the tasks need different ones (a sine trial is five times longer than a flip-flop trial).
 *
 * <p>Why the sine spec's Adam rate is 3e-4 (decay 0.69) and not the other tasks' 3e-3 (decay 0.2): at 3e-3 the
 * vanilla tanh network's loss stays on the plateau of a near-zero output (validation MSE 0.48, zero output 0.50) for
 * all 1,500 iterations, and at 1e-3 and 1e-2 for 4,000; at 3e-4 it leaves the plateau after about 300 iterations
 * and reaches 0.04, while the tanh gated cells still reach 0.009-0.028 (0.008-0.029 at 3e-3; README, "Report").
 * A spec has one set of hyperparameters for all its cells, so the rate that suits the slowest learner is used.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Run the demo study: all four cells with tanh and relu (64 units) on the three tasks, one store per task"
                + " under --out: flipflop (2 seeds, 3,000 iterations), sine (1 seed, 1,500 iterations) and cdi (2"
                + " seeds, 2,000 iterations), Adam; sine at a learning rate of 3e-4 (decaying to 2e-4) instead of the"
                + " others' 3e-3, at which its vanilla networks stay on the plateau of a near-zero output."
                + " For each store it runs 'rnnatlas study' (train, compare"
                + " --include-untrained with SVCCA and CKA, dynamics --include-untrained, report); the sine and cdi"
                + " stores' dynamics use"
                + " --finder candidates=256 (the finder is their slowest step: sine has 21 condition inputs, CDI"
                + " continua of fixed points). It ends by"
                + " writing --out/index.html, which links the three reports, and prints its path.",
            "",
            "About 10 minutes on an idle 2-core machine, build included (README.md gives the measured times)."
                + " Rerunning resumes and reuses"
                + " finished work. The specs are printed by --print-spec and written as DIR/demo-<task>.json; pass"
                + " one, edited, to 'rnnatlas study' to run your own population.",
            "",
            "Examples:",
            "  rnnatlas demo                         everything, into ./demo-store",
            "  rnnatlas demo --task flipflop         one task only (about 4 minutes)",
            "  rnnatlas demo --print-spec            the three specs",
            ""})
final class DemoCommand implements Callable<Integer> {
    /** Task -> spec resource, in run order. */
    static final Map<String, String> SPECS = new LinkedHashMap<>();

    static {
        for (String t : List.of("flipflop", "sine", "cdi")) {
            SPECS.put(t, "/org/rnnatlas/cli/demo-" + t + ".json");
        }
    }

    /**
     * Compare metrics per task's store (empty: compare's default, svcca and cka, for every task). The sine store's
     * untrained relu LSTM reaches states of about 1e38 over its 500-step trials; CKA rescales such representations
     * exactly before its single-precision tiles, so it is compared like the others.
     */
    static List<String> metrics(String task) {
        return List.of();
    }

    /** Finder settings per task's store (none: SPEC §5's). */
    static List<String> finder(String task) {
        // sine has 21 condition inputs and CDI's trained line attractors make Newton run on continua of points: with
        // SPEC's 1,024 candidates their dynamics took about 3x the CPU time of 256 for the same verdicts (README)
        return task.equals("flipflop") ? List.of() : List.of("candidates=256");
    }

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-store",
            description = "Demo folder; each task's store is DIR/<task> (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--task", split = ",", paramLabel = "NAME",
            description = "Run only these tasks' stores: flipflop, sine, cdi (default: all three).")
    List<String> tasks;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for every step (default: all cores).")
    Integer threads;

    @Option(names = "--print-spec", description = "Print the demo's three population specs (JSON) and exit.")
    boolean printSpec;

    @Spec
    CommandLine.Model.CommandSpec commandSpec;

    static String specText(String task) throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream(SPECS.get(task))) {
            if (in == null) {
                throw new IOException("demo spec resource " + SPECS.get(task) + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static PopulationSpec spec(String task) throws IOException {
        return Json.MAPPER.readValue(specText(task), PopulationSpec.class).normalized();
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter o = commandSpec.commandLine().getOut();
        List<String> run = tasks == null ? new ArrayList<>(SPECS.keySet()) : tasks;
        for (String t : run) {
            if (!SPECS.containsKey(t)) {
                throw new CommandLine.ParameterException(commandSpec.commandLine(), "--task '" + t
                        + "' is not a demo task; allowed: " + String.join(", ", SPECS.keySet()));
            }
        }
        if (printSpec) {
            for (String t : run) {
                o.println("# " + t + " (store DIR/" + t + (metrics(t).isEmpty() ? "" : "; compare --metric "
                        + String.join(",", metrics(t))) + (finder(t).isEmpty() ? "" : "; dynamics --finder "
                        + String.join(",", finder(t))) + ")");
                o.print(Json.write(spec(t)));
            }
            o.flush();
            return Main.OK;
        }
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new CommandLine.ParameterException(commandSpec.commandLine(), "--threads must be >= 1, got " + n);
        }
        Files.createDirectories(out);
        PrintWriter err = commandSpec.commandLine().getErr();
        Map<String, Double> seconds = new LinkedHashMap<>();
        int failure = Main.OK;
        List<String> failedTasks = new ArrayList<>();
        for (String t : run) {
            // the spec file next to the stores: what the store was trained from, and a start for 'rnnatlas study'
            Path specFile = out.resolve("demo-" + t + ".json");
            String text = specText(t);
            if (!Files.exists(specFile) || !Files.readString(specFile).equals(text)) {
                Files.writeString(specFile, text);
            }
            err.println("demo: " + t + " -> " + out.resolve(t));
            err.flush();
            long t0 = System.nanoTime();
            var p = new StudyCommand.Pipeline(commandSpec.root().commandLine(), n, true, metrics(t), finder(t));
            int rc = p.run(specFile, out.resolve(t), "demo " + t);
            if (rc != Main.OK && !Files.exists(out.resolve(t).resolve("report").resolve("index.html"))) {
                return rc; // nothing to link: training itself failed
            }
            if (rc != Main.OK) {
                failure = failure == Main.OK ? rc : failure;
                failedTasks.add(t);
            }
            seconds.put(t, (System.nanoTime() - t0) / 1e9);
        }
        Path index = writeIndex(out);
        for (var e : seconds.entrySet()) {
            err.printf(Locale.ROOT, "demo: %s done in %.0f s%n", e.getKey(), e.getValue());
        }
        err.flush();
        o.println("Report: " + index.toAbsolutePath().normalize());
        o.println("Open it in a browser; the stores' arrays load in Python with numpy.load (layout: docs/store.md).");
        o.flush();
        if (!failedTasks.isEmpty()) {
            err.println("demo: a step failed for " + String.join(", ", failedTasks) + " (see above); their reports"
                    + " state what is missing. Rerun to retry: finished work is reused.");
            err.flush();
        }
        return failure;
    }

    /** DIR/index.html: a link to each task's report that exists (a partial run links what it has). */
    static Path writeIndex(Path dir) throws IOException {
        StringBuilder items = new StringBuilder();
        for (String t : SPECS.keySet()) {
            Path r = dir.resolve(t).resolve("report").resolve("index.html");
            String title = switch (t) {
                case "flipflop" -> "3-bit flip-flop (the paper's Fig. 1 and Fig. 4)";
                case "sine" -> "Sine wave generation (Fig. 2)";
                default -> "Context-dependent integration (Fig. 3)";
            };
            if (Files.exists(r)) {
                items.append("<li><a href=\"").append(t).append("/report/index.html\">").append(title)
                        .append("</a> &mdash; store <code>").append(t).append("/</code>, spec <a href=\"demo-")
                        .append(t).append(".json\">demo-").append(t).append(".json</a></li>\n");
            } else {
                items.append("<li>").append(title).append(": not run yet (rnnatlas demo --task ").append(t)
                        .append(")</li>\n");
            }
        }
        String page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<title>rnnatlas demo</title>\n<style>body{font-family:system-ui,sans-serif;max-width:800px;"
                + "margin:2em auto;padding:0 1em;line-height:1.5;color:#222}</style>\n</head>\n<body>\n"
                + "<h1>rnnatlas demo</h1>\n<p>The paper's study (Maheswaranathan et al., NeurIPS 2019) on a small"
                + " population: vanilla, UGRNN, GRU and LSTM cells with tanh and relu, 64 units, short training. One"
                + " store and one report per task; each report ends with a table of the paper's claims and what"
                + " this store says about each.</p>\n<ul>\n" + items + "</ul>\n</body>\n</html>\n";
        Path index = dir.resolve("index.html");
        Path tmp = dir.resolve(".index.html.tmp");
        Files.writeString(tmp, page, StandardCharsets.UTF_8);
        Files.move(tmp, index, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return index;
    }
}
