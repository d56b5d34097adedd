package org.rnnatlas.core.population;

import java.util.List;
import org.rnnatlas.core.train.Hyperparameters;

/**
 * {@code networks/<id>/network.json}: one network's result. Written last, atomically, after every array file of the
 * network: its presence with status {@code trained} or {@code diverged} marks the network finished.
 *
 * @param status             {@code trained} or {@code diverged}
 * @param hyperparameterSource {@code "spec"} or {@code "search:<config key>#<trial>"}
 * @param initSeed           seed of the initial weights (derived from the user seed; see docs/store.md)
 * @param dataSeed           seed of the training batches
 * @param finalTrainMse      mean training MSE over the last 1% of iterations (at least one)
 * @param validationMse      MSE on the task's validation set (NaN when diverged)
 * @param initValidationMse  MSE of the untrained network on the validation set
 * @param parameters         the stored parameter blocks, trained ({@code params/}) and initial ({@code init/})
 */
public record NetworkRecord(String format, String id, String task, String cell, String activation, int units,
                            int inputs, int outputs, int stateSize, double l2, long seed, String status,
                            Hyperparameters hyperparameters, String hyperparameterSource, long initSeed,
                            long dataSeed, int iterationsRun, double finalTrainMse, double lastFiniteLoss,
                            double validationMse, double initValidationMse, List<StoredArray> parameters,
                            StoredArray probeStates, StoredArray initProbeStates, StoredArray loss,
                            Provenance provenance) {

    public static final String FORMAT = "rnnatlas.network/1";
    public static final String TRAINED = "trained";
    public static final String DIVERGED = "diverged";

    /** A stored .npy file: its path relative to the network folder, shape, and what it holds. */
    public record StoredArray(String name, String file, List<Integer> shape, String role) {
    }

    public boolean finished() {
        return TRAINED.equals(status) || DIVERGED.equals(status);
    }
}
