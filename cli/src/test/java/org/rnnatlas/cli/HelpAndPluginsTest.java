package org.rnnatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.rnnatlas.core.io.Json;

class HelpAndPluginsTest {

    @Test
    void bareCommandAndHelpTeachTheSubcommands() {
        for (String[] args : new String[][] {{}, {"--help"}, {"help"}}) {
            Cli.Result r = Cli.run(args);
            assertEquals(0, r.code(), r::toString);
            for (String sub : new String[] {"demo", "train", "plugins"}) {
                assertTrue(r.out().contains(sub), "usage names " + sub + ":\n" + r);
            }
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String sub : new String[] {"demo", "train", "plugins"}) {
            Cli.Result r = Cli.run(sub, "--help");
            assertEquals(0, r.code(), r::toString);
            assertTrue(r.out().startsWith("Usage: rnnatlas " + sub), r::toString);
        }
    }

    @Test
    void trainHelpListsInstalledPlugins() {
        Cli.Result r = Cli.run("train", "--help");
        assertTrue(r.out().contains("Installed: gru, lstm, ugrnn, vanilla."), r::toString);
        assertTrue(r.out().contains("Installed: cdi, flipflop, sine."), r::toString);
    }

    @Test
    void versionNamesTheKernel() {
        Cli.Result r = Cli.run("--version");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("rnnatlas "), r::toString);
        assertTrue(r.out().contains("kernel "), r::toString);
        assertTrue(r.out().contains("SPI 1."), r::toString);
    }

    @Test
    void pluginsListsCellsAndTasksWithJars() throws Exception {
        Cli.Result r = Cli.run("plugins", "--json");
        assertEquals(0, r.code(), r::toString);
        JsonNode rows = Json.MAPPER.readTree(r.out());
        int cells = 0;
        int tasks = 0;
        boolean local = false;
        for (JsonNode row : rows) {
            local |= row.get("kind").asText().equals("executor") && row.get("name").asText().equals("local");
            cells += row.get("kind").asText().equals("cell") ? 1 : 0;
            tasks += row.get("kind").asText().equals("task") ? 1 : 0;
            assertTrue(row.get("jar").asText().contains("rnnatlas-"), row.toString());
        }
        assertEquals(4, cells);
        assertEquals(3, tasks);
        assertTrue(local, "the local executor is listed\n" + r.out());
        Cli.Result table = Cli.run("plugins");
        assertTrue(table.out().contains("org.rnnatlas.cells.gru.GruCell"), table::toString);
    }
}
