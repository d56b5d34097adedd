package org.rnnatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnatlas.report.ReportCheck;

/** {@code rnnatlas report} on a tiny store that went through train, compare and dynamics in the test. */
class ReportCommandTest {
    @TempDir
    static Path dir;

    static Path store;

    @BeforeAll
    static void trainCompareAnalyse() {
        store = dir.resolve("store");
        Cli.Result r = Cli.run("train", "--task", "flipflop", "--cell", "vanilla,gru", "--activation", "tanh,relu",
                "--units", "8", "--seeds", "0,1", "--iterations", "40", "--optimizer", "adam", "--lr", "0.01",
                "--out", store.toString());
        assertEquals(0, r.code(), r::toString);
        r = Cli.run("compare", store.toString(), "--metric", "svcca,cka", "--include-untrained");
        assertEquals(0, r.code(), r::toString);
        r = Cli.run("dynamics", store.toString(), "--finder", "candidates=128");
        assertEquals(0, r.code(), r::toString);
    }

    @Test
    void writesAValidReportAndPrintsItsPath() throws Exception {
        Cli.Result r = Cli.run("report", store.toString());
        assertEquals(0, r.code(), r::toString);
        Path index = store.resolve("report/index.html").toAbsolutePath().normalize();
        assertEquals(index.toString(), r.out().strip(), "stdout is the path of index.html only");
        assertTrue(r.err().contains("report: flipflop"), r::toString);
        List<String> refs = ReportCheck.references(index);
        for (String f : List.of("flipflop-example-trial", "flipflop-trajectories", "flipflop-fixed-points",
                "flipflop-svcca-matrix", "flipflop-svcca-mds", "flipflop-cka-matrix", "flipflop-cka-mds",
                "flipflop-svcca-trained-vs-untrained", "flipflop-loss")) {
            assertTrue(refs.contains("figures/" + f + ".png") && refs.contains("figures/" + f + ".svg"),
                    f + " in the page; refs " + refs);
        }
        assertEquals(List.of(), ReportCheck.problems(index));
        String html = Files.readString(index);
        assertTrue(html.contains("flipflop-gru-tanh-n8-l2_1e-04-s0") || html.contains("flipflop-vanilla-tanh-n8"),
                "the example network is named");
    }

    @Test
    void outOptionAndBadInput() throws Exception {
        Path out = dir.resolve("elsewhere");
        Cli.Result r = Cli.run("report", store.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(Files.exists(out.resolve("index.html")));
        assertEquals(List.of(), ReportCheck.problems(out.resolve("index.html")));

        r = Cli.run("report", dir.resolve("nope").toString());
        assertEquals(Main.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("does not exist"), r::toString);
        Files.createDirectories(dir.resolve("not-a-store"));
        r = Cli.run("report", dir.resolve("not-a-store").toString());
        assertEquals(Main.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("no manifest.json"), r::toString);
    }
}
