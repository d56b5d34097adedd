package org.rnnatlas.spi;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The fixed-point topology of one network as a matrix, and a distance between two such matrices (SPEC §6).
 */
public interface TopologyMetric extends Named {

    /** A network's topology: a {@code rows × cols} row-major matrix with labelled rows. */
    record Topology(int rows, int cols, double[] values, List<String> rowLabels) {
        public Topology {
            if (values.length != rows * cols) {
                throw new IllegalArgumentException("values has " + values.length + " entries, expected " + rows + "x" + cols);
            }
            rowLabels = List.copyOf(rowLabels);
        }
    }

    /** Whether this metric is defined for networks trained on the named task. */
    boolean appliesTo(String taskName);

    /** The topology matrix of one network; {@code rng} drives any sampling (perturbation directions). */
    Topology topology(NetworkDynamics network, RandomGenerator rng);

    /**
     * Distance between two networks' topologies, or {@link Double#NaN} when it is not defined for the pair (the
     * paper's metric for differing fixed-point counts).
     */
    double distance(Topology a, Topology b);

    /** The options in force, including defaults; recorded in provenance. */
    default Map<String, String> options() {
        return Map.of();
    }

    /** A copy with the given options set; unknown or malformed options throw {@link IllegalArgumentException}. */
    default TopologyMetric configure(Map<String, String> options) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("Topology metric '" + name() + "' takes no options, got "
                    + options.keySet());
        }
        return this;
    }
}
