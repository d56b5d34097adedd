package org.rnnatlas.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.core.population.PopulationRunner;
import org.rnnatlas.core.population.PopulationSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnnatlas demo}: the demo study on a laptop-sized population. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Run the demo study: train all four cells with tanh and relu on the 3-bit flip-flop task (64 units, two"
                + " seeds each) into a store, then compare their representational geometry (SVCCA and CKA distance"
                + " matrices and MDS, trained and untrained networks; as 'rnnatlas compare STORE"
                + " --include-untrained'), analyse their dynamics (fixed points, linearisations, topology; as"
                + " 'rnnatlas dynamics STORE --include-untrained') and write the figures and the HTML report (as"
                + " 'rnnatlas report STORE'). The spec it uses is printed by --print-spec; pass it to 'rnnatlas train"
                + " --spec' to change it. Rerunning resumes and reuses finished work.",
            ""})
final class DemoCommand implements Callable<Integer> {
    static final String SPEC_RESOURCE = "/org/rnnatlas/cli/demo.json";

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-store",
            description = "Store folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--threads", paramLabel = "N", description = "Networks trained at once (default: all cores).")
    Integer threads;

    @Option(names = "--print-spec", description = "Print the demo's population spec (JSON) and exit.")
    boolean printSpec;

    @Spec
    CommandLine.Model.CommandSpec commandSpec;

    static PopulationSpec spec() throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream(SPEC_RESOURCE)) {
            return Json.MAPPER.readValue(in, PopulationSpec.class).normalized();
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PopulationSpec spec = spec();
        var o = commandSpec.commandLine().getOut();
        if (printSpec) {
            o.print(Json.write(spec));
            o.flush();
            return Main.OK;
        }
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        var runner = new PopulationRunner(new PluginOptions().load(), Kernels.ops(), n, System.err,
                System.console() != null && System.getenv("CI") == null);
        var summary = runner.run(spec, out);
        TrainCommand.printSummary(o, summary, false);
        if (!summary.failed().isEmpty()) {
            return Main.FAILURE;
        }
        o.flush();
        CommandLine compare = commandSpec.root().commandLine().getSubcommands().get("compare");
        int rc = compare.execute(summary.store().toString(), "--include-untrained", "--threads", Integer.toString(n));
        if (rc != Main.OK) {
            return rc;
        }
        CommandLine dynamics = commandSpec.root().commandLine().getSubcommands().get("dynamics");
        rc = dynamics.execute(summary.store().toString(), "--include-untrained", "--threads", Integer.toString(n));
        if (rc != Main.OK) {
            return rc;
        }
        CommandLine report = commandSpec.root().commandLine().getSubcommands().get("report");
        rc = report.execute(summary.store().toString());
        if (rc != Main.OK) {
            return rc;
        }
        o.println("Next: open " + summary.store().resolve("report").resolve("index.html") + " in a browser, or load"
                + " arrays in Python with numpy.load (layout: docs/store.md).");
        o.flush();
        return Main.OK;
    }
}
