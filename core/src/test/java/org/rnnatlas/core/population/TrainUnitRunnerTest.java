package org.rnnatlas.core.population;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.spi.WorkUnit;

class TrainUnitRunnerTest {

    @Test
    void aWorkerRunsOnlyTheKernelTheUnitWasPlannedWith() {
        assertSame(Kernels.scalar(), TrainUnitRunner.kernel(Kernels.scalar().name()));
        assertSame(Kernels.ops(), TrainUnitRunner.kernel(Kernels.ops().name()));
        var e = assertThrows(IllegalStateException.class, () -> TrainUnitRunner.kernel("panama-4096"));
        assertTrue(e.getMessage().contains("planned with kernel panama-4096") && e.getMessage().contains("scalar"),
                e.getMessage());
    }

    @Test
    void aUnitWithoutAStoreOrOfAnUnknownKindIsRefused(@TempDir Path dir) {
        var missing = assertThrows(IllegalArgumentException.class,
                () -> new TrainUnitRunner().run(new WorkUnit(TrainUnitRunner.NETWORK, "x", Map.of())));
        assertTrue(missing.getMessage().contains("has no argument 'store'"), missing.getMessage());
        var noManifest = assertThrows(SpecException.class, () -> new TrainUnitRunner().run(new WorkUnit(
                TrainUnitRunner.NETWORK, "x", Map.of(TrainUnitRunner.STORE, dir.toString()))));
        assertTrue(noManifest.getMessage().contains("has no manifest.json"), noManifest.getMessage());
    }
}
