package org.rnnatlas.core.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.core.population.Store;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.WorkUnit;

/**
 * A dynamics unit carries every analysis setting as a string arg, and a worker whose settings give another key
 * than the driver's refuses the unit (the store-backed runs are tested end to end in the spark module).
 */
class DynamicsUnitRunnerTest {
    @TempDir
    Path dir;

    @Test
    void unitsCarryEverySettingAndWorkersCheckTheKey() {
        Ops ops = Kernels.scalar();
        var base = new NetworkAnalysis.Options(Map.of("candidates", "64"), 5, List.of());
        var near = new NetworkAnalysis.Options(Map.of("candidates", "64"), 5, List.of(), 1.5);
        WorkUnit a = DynamicsUnitRunner.unit(new Store(dir), "n1", "cdi", "gru", "tanh", true, base, ops,
                Plugins.classPath());
        WorkUnit b = DynamicsUnitRunner.unit(new Store(dir), "n1", "cdi", "gru", "tanh", true, near, ops,
                Plugins.classPath());
        assertEquals("n1 (untrained)", a.id());
        assertEquals("{\"candidates\":\"64\"}", a.arg(DynamicsUnitRunner.FINDER).replaceAll("\\s", ""));
        assertEquals("5", a.arg(DynamicsUnitRunner.SEED));
        assertEquals("3.0", a.arg(DynamicsUnitRunner.CDI_NEAR_PROBE));
        assertEquals("1.5", b.arg(DynamicsUnitRunner.CDI_NEAR_PROBE));
        assertEquals(ops.name(), a.arg("kernel"));
        assertNotEquals(a.arg(DynamicsUnitRunner.KEY), b.arg(DynamicsUnitRunner.KEY));

        Map<String, String> args = new HashMap<>(a.args());
        args.put(DynamicsUnitRunner.KEY, b.arg(DynamicsUnitRunner.KEY));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new DynamicsUnitRunner()
                .run(new WorkUnit(DynamicsUnitRunner.KIND, "n1 (untrained)", args)));
        assertTrue(e.getMessage().contains("on this worker but") && e.getMessage().contains("plugin jars"),
                e.getMessage());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> new DynamicsUnitRunner()
                .run(new WorkUnit("distance-tile", "x", a.args())));
        assertTrue(k.getMessage().contains(DynamicsUnitRunner.KIND), k.getMessage());
    }
}
