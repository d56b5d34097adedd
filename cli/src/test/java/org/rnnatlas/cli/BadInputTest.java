package org.rnnatlas.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input gets exit code 2 and one line saying what is wrong and what is allowed; nothing is touched. */
class BadInputTest {
    @TempDir
    Path dir;

    private static final String[] TINY = {"--task", "cdi", "--cell", "vanilla", "--units", "4", "--iterations", "3",
        "--threads", "1"};

    private static String[] tiny(String... more) {
        String[] all = new String[1 + TINY.length + more.length];
        all[0] = "train";
        System.arraycopy(TINY, 0, all, 1, TINY.length);
        System.arraycopy(more, 0, all, 1 + TINY.length, more.length);
        return all;
    }

    private static void assertUsageError(Cli.Result r, String... fragments) {
        assertEquals(2, r.code(), r::toString);
        String first = r.err().lines().filter(l -> !l.startsWith("WARNING")).findFirst().orElse("");
        assertTrue(first.startsWith("rnnatlas train: error: "), r::toString);
        for (String f : fragments) {
            assertTrue(first.contains(f), "error line should contain '" + f + "':\n" + r);
        }
        assertTrue(r.err().lines().count() <= 2, "one error line (plus a pointer to --help):\n" + r);
        assertEquals("", r.out(), "nothing on stdout");
    }

    @Test
    void unknownCellListsInstalledCells() {
        assertUsageError(Cli.run("train", "--task", "flipflop", "--cell", "gruu", "--out", dir.resolve("s").toString()),
                "Unknown cell 'gruu'", "Installed: [gru, lstm, ugrnn, vanilla]");
        assertTrue(Files.notExists(dir.resolve("s")), "no store is created for bad input");
    }

    @Test
    void unknownTaskListsInstalledTasks() {
        assertUsageError(Cli.run("train", "--task", "flipflopp", "--cell", "gru", "--out", dir.resolve("s").toString()),
                "Unknown task 'flipflopp'", "Installed: [cdi, flipflop, sine]");
    }

    @Test
    void unknownActivationAndOptimizerNameTheAllowedValues() {
        assertUsageError(Cli.run(tiny("--activation", "sigmoid", "--out", dir.resolve("s").toString())),
                "Unknown activation 'sigmoid'", "[tanh, relu]");
        assertUsageError(Cli.run(tiny("--optimizer", "rmsprop", "--out", dir.resolve("s").toString())),
                "Unknown optimizer 'rmsprop'", "[sgd, adam]");
    }

    @Test
    void badNumbersAreRefused() {
        assertUsageError(Cli.run(tiny("--seeds", "a,b", "--out", dir.resolve("s").toString())), "--seeds 'a,b'");
        assertUsageError(Cli.run(tiny("--units", "0", "--out", dir.resolve("s").toString())), "units");
        assertUsageError(Cli.run(tiny("--lr", "-1", "--out", dir.resolve("s").toString())), "learning_rate");
        assertUsageError(Cli.run(tiny("--seeds", "1,1", "--out", dir.resolve("s").toString())), "seeds lists 1 twice");
    }

    @Test
    void malformedSpecFileIsNamed() throws Exception {
        Path spec = dir.resolve("spec.json");
        Files.writeString(spec, "{\"tasks\": [\"cdi\"], \"cells\": [\"gru\"], ");
        assertUsageError(Cli.run("train", "--spec", spec.toString(), "--out", dir.resolve("s").toString()),
                "spec.json is not a valid population spec");
        Files.writeString(spec, "{\"tasks\": [\"cdi\"], \"cells\": [\"gru\"], \"unitz\": [8]}");
        assertUsageError(Cli.run("train", "--spec", spec.toString(), "--out", dir.resolve("s").toString()),
                "unitz");
        assertUsageError(Cli.run("train", "--spec", dir.resolve("missing.json").toString(), "--out",
                dir.resolve("s").toString()), "does not exist");
    }

    @Test
    void specAndFlagsContradict() throws Exception {
        Path spec = dir.resolve("spec.json");
        Files.writeString(spec, "{\"tasks\": [\"cdi\"], \"cells\": [\"gru\"]}");
        assertUsageError(Cli.run("train", "--spec", spec.toString(), "--cell", "lstm", "--out",
                dir.resolve("s").toString()), "--spec cannot be combined");
        Files.writeString(spec, "{\"tasks\": [\"cdi\"], \"cells\": [\"gru\"], \"task_options\": {\"sine\": {}}}");
        assertUsageError(Cli.run("train", "--spec", spec.toString(), "--out", dir.resolve("s").toString()),
                "task_options names task 'sine'");
        Files.writeString(spec, "{\"tasks\": [\"cdi\"], \"cells\": [\"gru\"], \"task_options\": {\"cdi\": {\"volume\": \"3\"}}}");
        assertUsageError(Cli.run("train", "--spec", spec.toString(), "--out", dir.resolve("s").toString()),
                "volume");
    }

    @Test
    void unusableOutputFolders() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertUsageError(Cli.run(tiny("--out", file.toString())), "is not a folder");
        assertUsageError(Cli.run(tiny("--out", file.resolve("below").toString())), "not writable");
        Path foreign = Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(foreign.resolve("thesis.tex"), "precious");
        assertUsageError(Cli.run(tiny("--out", foreign.toString())), "not an rnnatlas store");
        assertEquals("precious", Files.readString(foreign.resolve("thesis.tex")));
    }

    @Test
    void aStoreOfAnotherSpecIsRefusedAndUntouched() throws Exception {
        Path store = dir.resolve("store");
        Cli.Result first = Cli.run(tiny("--out", store.toString()));
        assertEquals(0, first.code(), first::toString);
        Map<String, byte[]> before = Cli.deterministicFiles(store);
        Cli.Result other = Cli.run("train", "--task", "cdi", "--cell", "vanilla,gru", "--units", "4",
                "--iterations", "3", "--out", store.toString());
        assertUsageError(other, "was made from a different spec", "cells");
        Map<String, byte[]> after = Cli.deterministicFiles(store);
        assertEquals(before.keySet(), after.keySet());
        for (String k : before.keySet()) {
            assertArrayEquals(before.get(k), after.get(k), k);
        }
    }
}
