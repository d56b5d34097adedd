package org.rnnatlas.spi;

import java.util.List;
import java.util.Map;

/**
 * A distance between two networks' representations (SPEC §4): SVCCA, CKA, Procrustes and the like.
 *
 * <p>A metric splits its work so that all-pairs matrices over thousands of networks reuse per-network work:
 * {@link #prepare} once per network (SVCCA: the orthonormal basis of the retained components, in double precision),
 * then {@link #distances} for a tile of pairs at once, where a metric stacks the prepared networks and computes the
 * pairs with large matrix products on the {@link Ops} kernels core hands it. {@link #distance} is the plain
 * single-pair form, the reference the tile form is tested against.
 *
 * <p>A distance is 0 for a network with itself, symmetric, and lies in {@link #range}. A metric that approximates
 * (for example by truncating a spectrum) states a bound on the absolute error of every distance in
 * {@link #errorBound}, which is recorded with its results.
 */
public interface SimilarityMetric extends Named {

    /** What {@link #prepare} produces; opaque to core, immutable, safe to share between threads. */
    interface Prepared {
    }

    /** The per-network step. */
    Prepared prepare(Representation representation);

    /**
     * The per-network step with core's kernels: what the all-pairs engine calls. The default ignores {@code ops} and
     * calls {@link #prepare(Representation)}; metrics whose preparation is dense linear algebra override it to use
     * the double-precision {@link Ops} products. Both forms agree to rounding.
     */
    default Prepared prepare(Ops ops, Representation representation) {
        return prepare(representation);
    }

    /** The per-pair step: the reference form. */
    double distance(Prepared a, Prepared b);

    /**
     * Distances between every row and every column network: {@code out[i * cols.size() + j] =
     * distance(rows.get(i), cols.get(j))} up to rounding. The default loops over {@link #distance}; metrics override
     * it with stacked matrix products. Called from several threads at once with different tiles.
     */
    default void distances(Ops ops, List<? extends Prepared> rows, List<? extends Prepared> cols, double[] out) {
        int c = cols.size();
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < c; j++) {
                out[i * c + j] = distance(rows.get(i), cols.get(j));
            }
        }
    }

    /** A bound on |computed − exact| of every distance under the current options; 0 when exact up to rounding. */
    default double errorBound() {
        return 0.0;
    }

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
