package org.rnnatlas.core.population;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.rnnatlas.core.train.Optimizer;
import org.rnnatlas.spi.Activation;

/**
 * A population of networks to train: the cross product tasks × cells × activations × units × L2 × seeds, with the
 * training settings they share. Read from JSON ({@code rnnatlas train --spec FILE}) or built from CLI flags; the
 * JSON form is documented in {@code docs/store.md}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PopulationSpec(
        @JsonProperty("format") String format,
        @JsonProperty("name") String name,
        @JsonProperty("tasks") List<String> tasks,
        @JsonProperty("task_options") Map<String, Map<String, String>> taskOptions,
        @JsonProperty("cells") List<String> cells,
        @JsonProperty("activations") List<String> activations,
        @JsonProperty("units") List<Integer> units,
        @JsonProperty("l2") List<Double> l2,
        @JsonProperty("seeds") List<Long> seeds,
        @JsonProperty("iterations") int iterations,
        @JsonProperty("batch") int batch,
        @JsonProperty("optimizer") String optimizer,
        @JsonProperty("hyperparameters") HyperparameterDefaults hyperparameters,
        @JsonProperty("search") Search search,
        @JsonProperty("validation_trials") int validationTrials) {

    public static final String FORMAT = "rnnatlas.population/1";

    /** Used when no search runs (trials = 0), or as the fixed part (batch) of every run. */
    public record HyperparameterDefaults(
            @JsonProperty("learning_rate") double learningRate,
            @JsonProperty("decay") double decay,
            @JsonProperty("decay_steps") int decaySteps,
            @JsonProperty("momentum") double momentum,
            @JsonProperty("clip") double clip) {
    }

    /**
     * Random hyperparameter search per configuration (SPEC §3).
     *
     * @param trials     draws per configuration; 0 uses the spec's hyperparameters directly
     * @param iterations training iterations of each trial; 0 means the population's iterations
     * @param seed       seed of the draws
     */
    public record Search(@JsonProperty("trials") int trials, @JsonProperty("iterations") int iterations,
                         @JsonProperty("seed") long seed) {
    }

    /** Defaults applied to absent fields, then validated; returns the normalised spec that is stored. */
    public PopulationSpec normalized() {
        var hp = hyperparameters == null ? new HyperparameterDefaults(1e-3, 0.5, 0, 0.9, 1.0) : hyperparameters;
        var sr = search == null ? new Search(0, 0, 0) : search;
        var spec = new PopulationSpec(format == null ? FORMAT : format, name == null ? "population" : name,
                tasks, taskOptions == null ? Map.of() : new TreeMap<>(taskOptions),
                cells, activations == null ? List.of("tanh") : activations,
                units == null ? List.of(64) : units, l2 == null ? List.of(1e-4) : l2,
                seeds == null ? List.of(0L) : seeds,
                iterations == 0 ? 3000 : iterations, batch == 0 ? 64 : batch,
                optimizer == null ? "sgd" : optimizer, hp, sr,
                validationTrials == 0 ? 512 : validationTrials);
        spec.validate();
        return spec;
    }

    /** Checks the spec on its own (plugin names are checked against the registry by the runner). */
    public void validate() {
        if (!FORMAT.equals(format)) {
            throw new SpecException("format is '" + format + "'; this version reads '" + FORMAT + "'");
        }
        nonEmpty("tasks", tasks);
        nonEmpty("cells", cells);
        nonEmpty("activations", activations);
        nonEmpty("units", units);
        nonEmpty("l2", l2);
        nonEmpty("seeds", seeds);
        for (String a : activations) {
            try {
                Activation.of(a);
            } catch (IllegalArgumentException e) {
                throw new SpecException("activations: " + e.getMessage());
            }
        }
        for (int u : units) {
            if (u < 1 || u > 4096) {
                throw new SpecException("units must be between 1 and 4096, got " + u);
            }
        }
        for (double v : l2) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new SpecException("l2 values must be finite and >= 0, got " + v);
            }
        }
        if (iterations < 1) {
            throw new SpecException("iterations must be >= 1, got " + iterations);
        }
        if (batch < 1) {
            throw new SpecException("batch must be >= 1, got " + batch);
        }
        try {
            Optimizer.of(optimizer);
        } catch (IllegalArgumentException e) {
            throw new SpecException("optimizer: " + e.getMessage());
        }
        if (search.trials() < 0 || search.iterations() < 0) {
            throw new SpecException("search trials and iterations must be >= 0, got " + search.trials() + " and "
                    + search.iterations());
        }
        if (validationTrials < 1) {
            throw new SpecException("validation_trials must be >= 1, got " + validationTrials);
        }
        for (String t : taskOptions.keySet()) {
            if (!tasks.contains(t)) {
                throw new SpecException("task_options names task '" + t + "', which is not in tasks " + tasks);
            }
        }
        try {
            hyperparameters(Optimizer.of(optimizer), iterations);
        } catch (IllegalArgumentException e) {
            throw new SpecException("hyperparameters: " + e.getMessage());
        }
    }

    private static void nonEmpty(String field, List<?> values) {
        if (values == null || values.isEmpty()) {
            throw new SpecException(field + " must list at least one value");
        }
        Set<Object> seen = new HashSet<>();
        for (Object v : values) {
            if (v == null) {
                throw new SpecException(field + " contains an empty value");
            }
            if (!seen.add(v)) {
                throw new SpecException(field + " lists " + v + " twice");
            }
        }
    }

    /** The spec's fixed hyperparameters for a run of {@code iters} iterations. */
    public org.rnnatlas.core.train.Hyperparameters hyperparameters(Optimizer opt, int iters) {
        var h = hyperparameters;
        return new org.rnnatlas.core.train.Hyperparameters(opt, h.learningRate(), h.decay(),
                h.decaySteps() == 0 ? iters : h.decaySteps(), h.momentum(), h.clip(), batch, iters);
    }

    /** Every network of the population, in a fixed order: task, cell, activation, units, l2, seed. */
    public List<NetworkConfig> networks() {
        List<NetworkConfig> out = new ArrayList<>();
        for (String t : tasks) {
            for (String c : cells) {
                for (String a : activations) {
                    for (int u : units) {
                        for (double v : l2) {
                            for (long s : seeds) {
                                out.add(new NetworkConfig(t, c, a, u, v, s));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    public Map<String, String> taskOptions(String task) {
        return taskOptions.getOrDefault(task, Map.of());
    }

    public Optimizer optimizerEnum() {
        return Optimizer.of(optimizer);
    }

    public int searchIterations() {
        return search.iterations() == 0 ? iterations : search.iterations();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PopulationSpec p && Objects.equals(org.rnnatlas.core.io.Json.write(this),
                org.rnnatlas.core.io.Json.write(p));
    }

    @Override
    public int hashCode() {
        return org.rnnatlas.core.io.Json.write(this).hashCode();
    }
}
