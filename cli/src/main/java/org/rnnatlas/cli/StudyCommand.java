package org.rnnatlas.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rnnatlas.core.population.SpecException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rnnatlas study SPEC.json}: the whole study on one population - train, compare, dynamics, report - by
 * running the four subcommands in order on one store. Each step resumes on its own, so a rerun (after a kill, or to
 * finish a step that failed) redoes only what is missing.
 */
@Command(name = "study", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Run the whole study on the population of a JSON spec, in four steps on one store:",
            "  1. rnnatlas train --spec SPEC.json --out STORE   train the networks",
            "  2. rnnatlas compare STORE --include-untrained    geometry: SVCCA, CKA, MDS",
            "  3. rnnatlas dynamics STORE --include-untrained   fixed points, topology",
            "  4. rnnatlas report STORE                         STORE/report/index.html",
            "With --executor spark (or --master) steps 1-3 run as Spark tasks (docs/spark.md) and the report on this"
                + " JVM; the store is the same bytes as with the local executor.",
            "Each step resumes: rerunning the same command after a kill or a failure redoes only unfinished work, and"
                + " a finished study is only re-reported. The last line on stdout is the path of the report.",
            "",
            "The spec is the format of 'rnnatlas train --spec' (rnnatlas.population/1, documented in docs/store.md;"
                + " 'rnnatlas demo --print-spec' prints three small ones to start from). The paper-scale study is"
                + " this command with a bigger spec. For other metrics or settings of a step, run that step's"
                + " command yourself on the store, then 'rnnatlas report STORE'.",
            "",
            "Examples:",
            "  rnnatlas study population.json                 store in ./population/",
            "  rnnatlas study pop.json --out runs/pop --threads 8",
            "  rnnatlas study sine.json --finder candidates=256   faster fixed points",
            "  rnnatlas study demo-store/demo-cdi.json --out my-cdi   start from a demo spec",
            "  rnnatlas study pop.json --out /shared/pop --master 'local[2]'   on Spark",
            ""})
final class StudyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SPEC.json",
            description = "Population spec (rnnatlas.population/1), as for 'rnnatlas train --spec'.")
    Path specFile;

    @Option(names = "--out", paramLabel = "STORE",
            description = "Store folder (default: the spec's path without .json, e.g. runs/pop.json -> runs/pop)."
                    + " An existing store of the same spec is resumed.")
    Path out;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for every step (default: all cores). Results do not depend on it.")
    Integer threads;

    @Option(names = "--no-untrained",
            description = "Leave out the untrained networks (each seed's initial weights) from compare and dynamics;"
                    + " the report then has no trained-vs-untrained figures (the paper's Fig. 4).")
    boolean noUntrained;

    @Option(names = "--metric", paramLabel = "NAME", split = ",",
            description = "Similarity metrics for the compare step, as 'rnnatlas compare --metric' (default:"
                    + " compare's, svcca,cka).")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--finder", paramLabel = "KEY=VALUE", split = ",",
            description = "Fixed-point finder settings for the dynamics step, as 'rnnatlas dynamics --finder', e.g."
                    + " candidates=256 (default: SPEC §5's).")
    List<String> finder = new ArrayList<>();

    @Option(names = "--cdi-near-probe", paramLabel = "K",
            description = "For the dynamics step, as 'rnnatlas dynamics --cdi-near-probe' (default: dynamics', 3).")
    Double cdiNearProbe;

    @Mixin
    ExecutorOptions executorOptions;

    @Spec
    CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(specFile)) {
            throw new SpecException("Spec file " + specFile + " does not exist (write one as described in"
                    + " docs/store.md, or start from 'rnnatlas demo --print-spec')");
        }
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new CommandLine.ParameterException(commandSpec.commandLine(), "--threads must be >= 1, got " + n);
        }
        Path store = out != null ? out : defaultStore(specFile);
        List<String> dynamicsArgs = cdiNearProbe == null ? List.of()
                : List.of("--cdi-near-probe", Double.toString(cdiNearProbe));
        Pipeline p = new Pipeline(commandSpec.root().commandLine(), n, !noUntrained, metrics, finder,
                executorOptions.args(), dynamicsArgs);
        int rc = p.run(specFile, store, "study");
        if (rc == Main.OK) {
            PrintWriter o = commandSpec.commandLine().getOut();
            o.println("Report: " + p.index(store));
            o.flush();
        }
        return rc;
    }

    /** runs/pop.json -> runs/pop; a name without .json gets "-store" appended so the store never is the spec. */
    static Path defaultStore(Path spec) {
        String name = spec.getFileName().toString();
        String base = name.toLowerCase(java.util.Locale.ROOT).endsWith(".json")
                ? name.substring(0, name.length() - 5) : name + "-store";
        if (base.isEmpty()) {
            base = "study-store";
        }
        Path parent = spec.getParent();
        return parent == null ? Path.of(base) : parent.resolve(base);
    }

    /**
     * The four steps through the registered subcommands (so a step behaves exactly as its own command, and resumes
     * as it does). Progress headers go to stderr; each step's own output to the usual writers. A failed train stops
     * the study; a failed compare or dynamics does not hide the other steps' results: the later steps still run, the
     * report states what is missing, and the exit code is the first failure's.
     */
    record Pipeline(CommandLine root, int threads, boolean untrained, List<String> metrics, List<String> finder,
                    List<String> executor, List<String> dynamicsArgs) {

        /** On the local executor, with dynamics' defaults besides the finder settings. */
        Pipeline(CommandLine root, int threads, boolean untrained, List<String> metrics, List<String> finder) {
            this(root, threads, untrained, metrics, finder, List.of(), List.of());
        }

        int run(Path spec, Path store, String who) {
            PrintWriter err = root.getErr();
            String t = Integer.toString(threads);
            List<String[]> steps = new ArrayList<>();
            // train, compare and dynamics run their units on the study's executor; report runs here
            List<String> train = new ArrayList<>(List.of("train", "--spec", spec.toString(), "--out",
                    store.toString(), "--threads", t));
            List<String> compare = new ArrayList<>(List.of("compare", store.toString(), "--threads", t));
            List<String> dynamics = new ArrayList<>(List.of("dynamics", store.toString(), "--threads", t));
            train.addAll(executor);
            compare.addAll(executor);
            dynamics.addAll(executor);
            steps.add(train.toArray(String[]::new));
            if (!metrics.isEmpty()) {
                compare.add("--metric");
                compare.add(String.join(",", metrics));
            }
            if (untrained) {
                compare.add("--include-untrained");
                dynamics.add("--include-untrained");
            }
            if (!finder.isEmpty()) {
                dynamics.add("--finder");
                dynamics.add(String.join(",", finder));
            }
            dynamics.addAll(dynamicsArgs);
            steps.add(compare.toArray(String[]::new));
            steps.add(dynamics.toArray(String[]::new));
            steps.add(new String[] {"report", store.toString()});
            int failure = Main.OK;
            List<String> failed = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                String[] args = steps.get(i);
                err.println(who + ": step " + (i + 1) + "/" + steps.size() + ": rnnatlas " + String.join(" ", args));
                err.flush();
                long t0 = System.nanoTime();
                CommandLine sub = root.getSubcommands().get(args[0]);
                int rc = sub.execute(java.util.Arrays.copyOfRange(args, 1, args.length));
                root.getOut().flush();
                if (rc != Main.OK) {
                    boolean fatal = i == 0 || i == steps.size() - 1;
                    err.println(who + ": step " + (i + 1) + " (" + args[0] + ") failed with exit code " + rc
                            + (fatal ? "" : "; going on, so the report shows what the other steps produced")
                            + ". Fix what it names and rerun the same command: finished work is reused.");
                    err.flush();
                    if (fatal) {
                        return rc;
                    }
                    failure = failure == Main.OK ? rc : failure;
                    failed.add(args[0]);
                    continue;
                }
                err.printf(java.util.Locale.ROOT, "%s: step %d/%d (%s) done in %.1f s%n", who, i + 1, steps.size(),
                        args[0], (System.nanoTime() - t0) / 1e9);
                err.flush();
            }
            if (!failed.isEmpty()) {
                err.println(who + ": the report was written, but step(s) " + String.join(", ", failed) + " failed"
                        + " (see above); their results are partial or missing.");
                err.flush();
            }
            return failure;
        }

        Path index(Path store) {
            return store.resolve("report").resolve("index.html").toAbsolutePath().normalize();
        }
    }
}
