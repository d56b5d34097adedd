package org.rnnatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnatlas.core.population.Store;

/** {@code rnnatlas train --task-option TASK.KEY=VALUE}. */
class TaskOptionFlagTest {
    @TempDir
    Path dir;

    @Test
    void aTaskOptionReachesTheSpecAndTheTask() throws Exception {
        Path store = dir.resolve("s");
        Cli.Result r = Cli.run("train", "--task", "flipflop", "--cell", "vanilla", "--units", "4", "--iterations", "2",
                "--task-option", "flipflop.start=pulse", "--out", store.toString());
        assertEquals(0, r.code(), r::toString);
        var spec = new Store(store).readManifest().orElseThrow().spec();
        assertEquals(Map.of("start", "pulse"), Map.of("start", spec.taskOptions("flipflop").get("start")));
        String task = java.nio.file.Files.readString(store.resolve("tasks/flipflop/task.json"));
        assertTrue(task.contains("\"start\" : \"pulse\""), task);
    }

    @Test
    void badTaskOptionsGetAClearError() {
        Cli.Result unknown = Cli.run("train", "--task", "flipflop", "--cell", "vanilla", "--units", "4",
                "--iterations", "2", "--task-option", "flipflop.bogus=1", "--out", dir.resolve("u").toString());
        assertEquals(2, unknown.code(), unknown::toString);
        assertTrue(unknown.err().contains("bogus"), unknown::toString);

        Cli.Result malformed = Cli.run("train", "--task", "flipflop", "--cell", "vanilla", "--task-option", "start",
                "--out", dir.resolve("m").toString());
        assertEquals(2, malformed.code(), malformed::toString);
        assertTrue(malformed.err().contains("TASK.KEY=VALUE") || malformed.err().contains("PLUGIN.KEY=VALUE"),
                malformed::toString);

        Cli.Result otherTask = Cli.run("train", "--task", "flipflop", "--cell", "vanilla", "--task-option",
                "cdi.scale=2", "--out", dir.resolve("o").toString());
        assertEquals(2, otherTask.code(), otherTask::toString);
        assertTrue(otherTask.err().contains("cdi"), otherTask::toString);
    }
}
