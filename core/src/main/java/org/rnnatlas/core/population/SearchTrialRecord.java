package org.rnnatlas.core.population;

import org.rnnatlas.core.train.Hyperparameters;

/** {@code search/<config key>/trial-<k>.json}: one hyperparameter-search trial and its validation score. */
public record SearchTrialRecord(String format, String configKey, int trial, Hyperparameters hyperparameters,
                                long initSeed, long dataSeed, boolean diverged, double validationMse) {
    public static final String FORMAT = "rnnatlas.search-trial/1";
}
