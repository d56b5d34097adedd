package org.rnnatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnatlas.core.population.PopulationSpec;

/** The demo's specs (all three tasks, the four cells, both activations) and its index page. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void specsCoverEveryTaskCellAndActivation() throws Exception {
        for (String task : List.of("flipflop", "sine", "cdi")) {
            PopulationSpec s = DemoCommand.spec(task);
            assertEquals(List.of(task), s.tasks());
            assertEquals(List.of("vanilla", "ugrnn", "gru", "lstm"), s.cells());
            assertEquals(List.of("tanh", "relu"), s.activations());
            assertTrue(s.iterations() > 0 && !s.seeds().isEmpty(), task);
        }
        // at the other tasks' 3e-3 the vanilla sine networks never leave the near-zero-output plateau (DemoCommand)
        PopulationSpec sine = DemoCommand.spec("sine");
        assertTrue(sine.hyperparameters().learningRate() <= 5e-4, "sine learning rate "
                + sine.hyperparameters().learningRate());
        assertEquals(List.of("candidates=256"), DemoCommand.finder("sine"));
        assertEquals(List.of("candidates=256"), DemoCommand.finder("cdi"));
        assertEquals(List.of(), DemoCommand.finder("flipflop"));
        assertEquals(List.of(), DemoCommand.metrics("sine"), "sine is compared with compare's defaults (svcca, cka)");
        assertEquals(List.of(), DemoCommand.metrics("cdi"));
    }

    @Test
    void printSpecPrintsAllThree() {
        Cli.Result r = Cli.run("demo", "--print-spec");
        assertEquals(0, r.code(), r::toString);
        for (String s : List.of("# flipflop", "# sine", "# cdi", "\"demo-flipflop\"", "\"demo-sine\"", "\"demo-cdi\"",
                "dynamics --finder candidates=256")) {
            assertTrue(r.out().contains(s), s + "\n" + r.out());
        }
        assertTrue(!r.out().contains("compare --metric"), "every store uses compare's default metrics\n" + r.out());
        r = Cli.run("demo", "--print-spec", "--task", "cdi");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("\"demo-cdi\"") && !r.out().contains("\"demo-sine\""), r::toString);
        r = Cli.run("demo", "--task", "mnist");
        assertEquals(Main.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("allowed: flipflop, sine, cdi"), r::toString);
    }

    @Test
    void indexLinksTheReportsThatExist() throws Exception {
        Files.createDirectories(dir.resolve("sine/report"));
        Files.writeString(dir.resolve("sine/report/index.html"), "<html></html>");
        Path index = DemoCommand.writeIndex(dir);
        String html = Files.readString(index);
        assertTrue(html.contains("href=\"sine/report/index.html\""), html);
        assertTrue(html.contains("not run yet (rnnatlas demo --task flipflop)"), html);
        assertTrue(!html.contains("href=\"flipflop/report/index.html\""), html);
    }
}
