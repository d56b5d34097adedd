package org.rnnatlas.core.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnatlas.core.exec.LocalExecutor;
import org.rnnatlas.core.exec.WorkerContext;
import org.rnnatlas.core.kernel.ScalarOps;
import org.rnnatlas.core.population.Store;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.spi.WorkUnit;

/**
 * What the distance units refuse (the store-backed runs are tested end to end in the spark module's
 * SparkUnitsTest): sides that are not a store's, units of another computation, unknown kinds.
 */
class DistanceUnitRunnerTest {
    @TempDir
    Path dir;

    @Test
    void unitModeNeedsSidesFromAStoreAndSaysSoBeforeWriting() {
        var pop = new SyntheticRepresentations(6, 64, 3, 1);
        AllPairs units = new AllPairs(new ChunkEnergyMetric(), new ScalarOps(), 1)
                .withExecutor(new LocalExecutor(), new Store(dir.resolve("store")), Plugins.classPath());
        GeometryException e = assertThrows(GeometryException.class,
                () -> units.square(pop.side(), dir.resolve("out"), "d"));
        assertTrue(e.getMessage().contains("needs sides loaded from a store") && e.getMessage().contains(
                pop.side().states()), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out/d.tiles")));
    }

    @Test
    void statesLabelsRoundTrip() {
        for (var s : new Representations.States[] {Representations.States.TRAINED, Representations.States.UNTRAINED,
            new Representations.States(false, true), new Representations.States(true, true)}) {
            assertEquals(s, DistanceUnitRunner.states(s.label()));
        }
    }

    @Test
    void aUnitOfAnotherComputationRefusesToRun() throws Exception {
        Path tiles = dir.resolve("d.tiles");
        Files.createDirectories(tiles);
        Files.writeString(tiles.resolve("plan.json"), "{\"key\":\"aa\",\"tile_size\":2}");
        WorkUnit u = new WorkUnit(DistanceUnitRunner.TILE_KIND, "d tile 0,0", Map.of(DistanceUnitRunner.DIR,
                dir.toString(), DistanceUnitRunner.NAME, "d", DistanceUnitRunner.KEY, "bb", DistanceUnitRunner.TILE,
                "0,0", DistanceUnitRunner.STORE, dir.toString(), WorkerContext.KERNEL, "scalar",
                WorkerContext.PLUGIN_PATH, ""));
        GeometryException e = assertThrows(GeometryException.class, () -> new DistanceUnitRunner().run(u));
        assertTrue(e.getMessage().contains("belongs to another computation"), e.getMessage());
        Files.delete(tiles.resolve("plan.json"));
        e = assertThrows(GeometryException.class, () -> new DistanceUnitRunner().run(u));
        assertTrue(e.getMessage().contains("finds no") && e.getMessage().contains("same path"), e.getMessage());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> new DistanceUnitRunner()
                .run(new WorkUnit("train-network", "x", Map.of(DistanceUnitRunner.DIR, dir.toString(),
                        DistanceUnitRunner.NAME, "d"))));
        assertTrue(k.getMessage().contains(DistanceUnitRunner.CHECK), k.getMessage());
    }
}
