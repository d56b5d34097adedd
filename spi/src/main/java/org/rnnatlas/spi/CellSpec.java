package org.rnnatlas.spi;

import java.util.Objects;

/**
 * The size and nonlinearity of one cell instance.
 *
 * @param inputs     M, the width of the input x
 * @param hidden     N, the number of hidden units (the width of h)
 * @param activation φ, the non-gate nonlinearity
 */
public record CellSpec(int inputs, int hidden, Activation activation) {
    public CellSpec {
        if (inputs < 1) {
            throw new IllegalArgumentException("inputs must be >= 1, got " + inputs);
        }
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden units must be >= 1, got " + hidden);
        }
        Objects.requireNonNull(activation, "activation");
    }
}
