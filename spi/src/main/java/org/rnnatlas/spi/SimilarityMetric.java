package org.rnnatlas.spi;

import java.util.Map;

/**
 * A distance between two networks' representations (SPEC §4): SVCCA, CKA and the like.
 *
 * <p>A metric splits its work in two so that all-pairs matrices reuse per-network work: {@link #prepare} once per
 * network (SVCCA: the orthonormal basis of the retained components), then {@link #distance} per pair. A distance is
 * 0 for a network with itself, symmetric, and lies in {@link #range}.
 */
public interface SimilarityMetric extends Named {

    /** What {@link #prepare} produces; opaque to core. */
    interface Prepared {
    }

    /** The per-network step. */
    Prepared prepare(Representation representation);

    /** The per-pair step. */
    double distance(Prepared a, Prepared b);

    /** The closed interval distances lie in, for documentation and checks. */
    default double[] range() {
        return new double[] {0.0, 1.0};
    }

    /** The options in force, including defaults; recorded in provenance. */
    default Map<String, String> options() {
        return Map.of();
    }

    /** A copy with the given options set; unknown options throw {@link IllegalArgumentException}. */
    default SimilarityMetric configure(Map<String, String> options) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("Metric '" + name() + "' takes no options, got " + options.keySet());
        }
        return this;
    }
}
