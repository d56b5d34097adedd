package org.rnnatlas.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnnatlas.core.population.SpecException;
import org.rnnatlas.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnnatlas report}: figures and an HTML page of everything a store holds. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Write a store's report: index.html and every figure as PNG (2x, for print) and SVG, in STORE/report/ or"
                + " --out. The page is self-contained (no network access needed): one section per task with the"
                + " paper's figures for what the store holds (example trial, PCA trajectories, fixed points, SVCCA"
                + " and CKA distance matrices and MDS, trained vs untrained, topology distances, linear analyses,"
                + " loss histograms), each captioned with the settings read from the store, then a table of how"
                + " strongly each distance clusters by architecture and activation and a table of excluded networks.",
            "",
            "Run it after rnnatlas train, compare and dynamics; what a store lacks is stated in the page. Progress"
                + " goes to stderr, the path of index.html to stdout.",
            "",
            "Examples:",
            "  rnnatlas report demo-store",
            "  rnnatlas report runs/pop --out paper-figures",
            ""})
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "STORE", description = "A store written by rnnatlas train.")
    Path storePath;

    @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default: STORE/report).")
    Path out;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(storePath)) {
            throw new SpecException("Store " + storePath + " does not exist or is not a folder");
        }
        if (!Files.exists(storePath.resolve("manifest.json"))) {
            throw new SpecException(storePath + " is not an rnnatlas store: it has no manifest.json (make one with"
                    + " rnnatlas train)");
        }
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw new SpecException("--out " + out + " exists and is not a folder");
        }
        var err = spec.commandLine().getErr();
        Report.Builder b = Report.builder(storePath).progress(line -> {
            err.println(line);
            err.flush();
        });
        if (out != null) {
            b.out(out);
        }
        Path index = b.build();
        spec.commandLine().getOut().println(index);
        spec.commandLine().getOut().flush();
        return Main.OK;
    }
}
