package org.rnnatlas.core.population;

import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} at the root of a store: what population it holds and how far it got. The per-network
 * {@code network.json} files are the truth; the manifest is rewritten from them at the start and end of every run.
 */
public record Manifest(String format, PopulationSpec spec, Map<String, String> created, List<Entry> networks,
                       Map<String, SearchOutcome> search, Map<String, Integer> counts) {

    public static final String FORMAT = "rnnatlas.store/1";

    /** One network's line in the manifest. */
    public record Entry(String id, String task, String cell, String activation, int units, double l2, long seed,
                        String status, Double validationMse) {
    }

    /** The hyperparameters a configuration's search chose. */
    public record SearchOutcome(int bestTrial, double validationMse, org.rnnatlas.core.train.Hyperparameters chosen,
                                int trials, int diverged) {
    }
}
