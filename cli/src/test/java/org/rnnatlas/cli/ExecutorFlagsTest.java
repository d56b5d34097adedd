package org.rnnatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --executor/--executor-option/--master} on compare, dynamics and study: the same flags and help as train's,
 * checked before anything is written; the local executor by name gives the default's results.
 */
class ExecutorFlagsTest {

    /** A finished tiny store: flipflop, vanilla, 4 units, 2 seeds, 20 iterations. */
    private static Path store(Path dir) {
        Path s = dir.resolve("s");
        Cli.Result r = Cli.run("train", "--task", "flipflop", "--cell", "vanilla", "--units", "4", "--seeds", "0,1",
                "--iterations", "20", "--optimizer", "adam", "--lr", "0.01", "--threads", "1", "--out", s.toString());
        assertEquals(0, r.code(), r::toString);
        return s;
    }

    private static void assertUsageError(Cli.Result r, String command, String... fragments) {
        assertEquals(2, r.code(), r::toString);
        String first = r.err().lines().filter(l -> !l.startsWith("WARNING")).findFirst().orElse("");
        assertTrue(first.startsWith("rnnatlas " + command + ": error: "), r::toString);
        for (String f : fragments) {
            assertTrue(first.contains(f), "error line should contain '" + f + "':\n" + r);
        }
    }

    @Test
    void compareAndDynamicsCheckTheExecutorBeforeWriting(@TempDir Path dir) {
        Path s = store(dir);
        for (String command : new String[] {"compare", "dynamics"}) {
            assertUsageError(Cli.run(command, s.toString(), "--executor", "slurm"), command,
                    "Unknown executor 'slurm'", "Installed: [local]");
            assertUsageError(Cli.run(command, s.toString(), "--master", "local[2]"), command,
                    "Unknown executor 'spark'", "optional module", "./rnnatlas");
            assertUsageError(Cli.run(command, s.toString(), "--executor-option", "master=local[2]"), command,
                    "Executor 'local' takes no options, got [master]");
        }
        assertFalse(Files.exists(s.resolve("geometry")), "compare wrote nothing");
        assertFalse(Files.exists(s.resolve("dynamics")), "dynamics wrote nothing");
    }

    @Test
    void localByNameIsTheDefault(@TempDir Path dir) throws Exception {
        Path s = store(dir);
        Cli.Result c = Cli.run("compare", s.toString(), "--metric", "svcca", "--threads", "1", "--executor", "local");
        assertEquals(0, c.code(), c::toString);
        assertTrue(Files.exists(s.resolve("geometry/flipflop/svcca.npy")));
        Cli.Result d = Cli.run("dynamics", s.toString(), "--finder", "candidates=32", "--threads", "1", "--executor",
                "local");
        assertEquals(0, d.code(), d::toString);
        assertTrue(Files.exists(s.resolve("dynamics/flipflop/trained/flipflop-vanilla-tanh-n4-l2_1e-04-s1/analysis.json")),
                d::toString);
    }

    @Test
    void studyPassesTheExecutorToItsSteps(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("p.json");
        Files.writeString(spec, "{\"format\":\"rnnatlas.population/1\",\"tasks\":[\"flipflop\"],\"cells\":[\"vanilla\"],"
                + "\"units\":[4],\"seeds\":[0],\"iterations\":10}");
        Cli.Result r = Cli.run("study", spec.toString(), "--master", "local[2]");
        // the spark module is not on the CLI's class path: the train step refuses it and the study stops there
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("rnnatlas train --spec " + spec + " --out " + dir.resolve("p")
                + " --threads") && r.err().contains("--master local[2]"), r::toString);
        assertTrue(r.err().contains("Unknown executor 'spark'"), r::toString);
        assertFalse(Files.exists(dir.resolve("p")));
    }

    @Test
    void theFourCommandsShareOneHelpText() {
        String train = option(Cli.run("train", "--help").out());
        assertTrue(train.contains("onetileofadistancematrix"), train);
        for (String command : new String[] {"compare", "dynamics", "study"}) {
            assertEquals(train, option(Cli.run(command, "--help").out()), command);
        }
    }

    /** The --executor paragraph of a help text, without white space (the column width differs per command). */
    private static String option(String help) {
        int at = help.indexOf("      --executor=NAME"); // the option list, not the synopsis
        assertTrue(at >= 0, help);
        return help.substring(at, help.indexOf("      --executor-option", at)).replaceAll("\\s+", "");
    }
}
