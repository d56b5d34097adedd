package org.rnnatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnatlas.report.ReportCheck;

/** {@code rnnatlas study}: the four steps on a tiny spec, the rerun that reuses them, and bad input. */
class StudyCommandTest {
    @TempDir
    Path dir;

    /**
     * tanh only: with relu, the untrained flipflop-vanilla-relu-n8 s0 of this spec hangs in the eigendecomposition
     * of core's Linearisation (ojAlgo RawEigenvalue, hqr2), a defect reported to the dynamics owner.
     */
    private Path spec(String name, int iterations) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, """
                {"format":"rnnatlas.population/1","name":"tiny","tasks":["flipflop"],"cells":["vanilla","gru"],
                 "activations":["tanh"],"units":[8],"l2":[1e-4],"seeds":[0,1],"iterations":%d,"batch":16,
                 "optimizer":"adam","hyperparameters":{"learning_rate":0.01,"decay":0.5,"decay_steps":0,
                 "momentum":0.9,"clip":1.0}}
                """.formatted(iterations));
        return f;
    }

    @Test
    void runsTheFourStepsThenReusesThem() throws Exception {
        Path spec = spec("tiny.json", 30);
        Cli.Result r = Cli.run("study", spec.toString(), "--threads", "2", "--finder", "candidates=64");
        assertEquals(0, r.code(), r::toString);
        Path store = dir.resolve("tiny");
        Path index = store.resolve("report/index.html").toAbsolutePath().normalize();
        List<String> lines = r.out().strip().lines().toList();
        assertEquals("Report: " + index, lines.get(lines.size() - 1), "the last line names the report");
        for (String step : List.of("step 1/4: rnnatlas train", "step 2/4: rnnatlas compare", "step 3/4: rnnatlas"
                + " dynamics", "step 4/4: rnnatlas report")) {
            assertTrue(r.err().contains(step), step + "\n" + r);
        }
        assertTrue(r.err().contains("--include-untrained"), r::toString);
        assertTrue(r.err().contains("--finder candidates=64"), r::toString);
        assertTrue(Files.exists(store.resolve("geometry/flipflop/svcca_untrained.npy")), "compare with untrained");
        assertTrue(Files.isDirectory(store.resolve("dynamics/flipflop/untrained")), "dynamics with untrained");
        assertEquals(List.of(), ReportCheck.problems(index));
        String html = Files.readString(index);
        assertTrue(html.contains("Trained vs untrained"), "Fig. 4 section present");
        assertTrue(html.contains("The paper&#39;s claims in this store") || html.contains("The paper's claims in this"
                + " store"), "claims table");
        // the heteroclinic orbits need the cell plugin and the stored parameters: both are here, so never "not drawn"
        assertTrue(html.contains("Heteroclinic orbits (light red)") || html.contains("No saddle with one unstable"),
                "heteroclinic caption");
        assertFalse(html.contains("Heteroclinic trajectories not drawn"), "heteroclinic orbits computed");

        long trained = Files.getLastModifiedTime(store.resolve("networks")).toMillis();
        r = Cli.run("study", spec.toString(), "--threads", "1", "--finder", "candidates=64");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("0 trained, 0 diverged, 4 already finished"), r::toString);
        assertTrue(r.out().contains("Analysed 0 networks (8 already done)"), r::toString);
        assertEquals(trained, Files.getLastModifiedTime(store.resolve("networks")).toMillis());
    }

    @Test
    void noUntrainedAndOut() throws Exception {
        Path spec = spec("tiny.json", 20);
        Path store = dir.resolve("elsewhere");
        Cli.Result r = Cli.run("study", spec.toString(), "--out", store.toString(), "--no-untrained",
                "--finder", "candidates=64", "--cdi-near-probe", "5");
        assertEquals(0, r.code(), r::toString);
        assertFalse(r.err().contains("--include-untrained"), r::toString);
        assertTrue(r.err().contains("rnnatlas dynamics " + store + " --threads") && r.err().contains(
                "--finder candidates=64 --cdi-near-probe 5.0"), "passed to the dynamics step\n" + r);
        assertFalse(Files.exists(store.resolve("geometry/flipflop/svcca_untrained.npy")));
        assertFalse(Files.exists(dir.resolve("tiny")), "--out replaces the default store");
        assertEquals(List.of(), ReportCheck.problems(store.resolve("report/index.html")));
    }

    @Test
    void aFailedCompareStillLeadsToTheReport() throws Exception {
        Path spec = spec("tiny.json", 10);
        Cli.Result r = Cli.run("study", spec.toString(), "--metric", "nope", "--no-untrained",
                "--finder", "candidates=64");
        assertEquals(Main.USAGE, r.code(), "the first failure's exit code\n" + r);
        assertTrue(r.err().contains("step 2 (compare) failed with exit code 2; going on"), r::toString);
        assertTrue(r.err().contains("step 4/4 (report) done"), r::toString);
        assertTrue(r.err().contains("step(s) compare failed"), r::toString);
        Path index = dir.resolve("tiny/report/index.html");
        assertEquals(List.of(), ReportCheck.problems(index));
        assertTrue(Files.readString(index).contains("No geometry for this task"), "the report says what is missing");
        assertFalse(r.out().contains("Report: "), "no success line after a failure");
    }

    @Test
    void badInputIsNamed() throws Exception {
        Cli.Result r = Cli.run("study", dir.resolve("missing.json").toString());
        assertEquals(Main.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("missing.json does not exist"), r::toString);

        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"format\":\"rnnatlas.population/1\",\"tasks\":[\"nope\"],\"cells\":[\"gru\"]}");
        r = Cli.run("study", bad.toString());
        assertEquals(Main.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("Unknown task 'nope'"), r::toString);
        assertTrue(r.err().contains("step 1 (train) failed"), r::toString);

        r = Cli.run("study", spec("t.json", 10).toString(), "--threads", "0");
        assertEquals(Main.USAGE, r.code(), r::toString);
    }

    @Test
    void defaultStoreIsTheSpecPathWithoutJson() {
        assertEquals(Path.of("runs/pop"), StudyCommand.defaultStore(Path.of("runs/pop.json")));
        assertEquals(Path.of("pop"), StudyCommand.defaultStore(Path.of("pop.JSON")));
        assertEquals(Path.of("spec-store"), StudyCommand.defaultStore(Path.of("spec")));
    }

    @Test
    void helpTeachesTheSteps() {
        Cli.Result r = Cli.run("study", "--help");
        assertEquals(0, r.code(), r::toString);
        for (String s : List.of("rnnatlas train --spec SPEC.json", "compare STORE --include-untrained",
                "dynamics STORE --include-untrained", "report STORE", "resumes", "--no-untrained", "--finder", "--metric")) {
            assertTrue(r.out().contains(s), s + "\n" + r.out());
        }
    }
}
