package org.rnnatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --executor/--executor-option/--master}: bad choices are usage errors before anything is written, and
 * the spark executor is not on the CLI's own class path (the launcher adds it only for {@code --executor spark}).
 */
class TrainExecutorFlagTest {

    private static Cli.Result train(Path out, String... more) {
        String[] base = {"train", "--task", "cdi", "--cell", "vanilla", "--units", "4", "--iterations", "3",
            "--threads", "1", "--out", out.toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return Cli.run(all);
    }

    private static void assertUsageError(Cli.Result r, Path out, String... fragments) {
        assertEquals(2, r.code(), r::toString);
        String first = r.err().lines().filter(l -> !l.startsWith("WARNING")).findFirst().orElse("");
        assertTrue(first.startsWith("rnnatlas train: error: "), r::toString);
        for (String f : fragments) {
            assertTrue(first.contains(f), "error line should contain '" + f + "':\n" + r);
        }
        assertFalse(Files.exists(out), "nothing written on a usage error");
    }

    @Test
    void unknownExecutorListsTheInstalledOnes(@TempDir Path dir) {
        assertUsageError(train(dir.resolve("s"), "--executor", "slurm"), dir.resolve("s"),
                "Unknown executor 'slurm'", "Installed: [local]");
    }

    @Test
    void sparkIsNotOnTheDefaultClassPath(@TempDir Path dir) {
        assertUsageError(train(dir.resolve("s"), "--master", "local[2]"), dir.resolve("s"),
                "Unknown executor 'spark'", "optional module", "./rnnatlas");
    }

    @Test
    void masterNeedsSparkAndOptionsAreChecked(@TempDir Path dir) {
        assertUsageError(train(dir.resolve("s"), "--executor", "local", "--master", "local[2]"), dir.resolve("s"),
                "--master is a Spark setting");
        assertUsageError(train(dir.resolve("s"), "--executor-option", "master"), dir.resolve("s"),
                "'master' is not KEY=VALUE");
        assertUsageError(train(dir.resolve("s"), "--executor-option", "master=local[2]"), dir.resolve("s"),
                "Executor 'local' takes no options, got [master]");
    }

    @Test
    void localByNameTrainsAndIsLogged(@TempDir Path dir) throws Exception {
        Cli.Result r = train(dir.resolve("s"), "--executor", "local");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("1 trained"), r::toString);
        assertTrue(Files.readString(dir.resolve("s/runs.log")).contains("\"executor\":\"local\""));
    }
}
