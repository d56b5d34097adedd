package org.rnnatlas.spi;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The fixed-point topology of one network as a matrix, and a distance between two such matrices (SPEC §6).
 */
public interface TopologyMetric extends Named {

    /**
     * A network's topology: a {@code rows × cols} row-major matrix with labelled rows and, optionally, labelled
     * columns (empty when the columns have no names of their own). Values are copied in and out.
     */
    record Topology(int rows, int cols, double[] values, List<String> rowLabels, List<String> colLabels) {
        public Topology {
            if (values.length != rows * cols) {
                throw new IllegalArgumentException("values has " + values.length + " entries, expected " + rows + "x" + cols);
            }
            values = values.clone();
            rowLabels = List.copyOf(rowLabels);
            colLabels = List.copyOf(colLabels);
            if (!colLabels.isEmpty() && colLabels.size() != cols) {
                throw new IllegalArgumentException("colLabels has " + colLabels.size() + " labels, expected " + cols
                        + " or none");
            }
        }

        /** A topology without column labels. */
        public Topology(int rows, int cols, double[] values, List<String> rowLabels) {
            this(rows, cols, values, rowLabels, List.of());
        }

        @Override
        public double[] values() {
            return values.clone();
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
