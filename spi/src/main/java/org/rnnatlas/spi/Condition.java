package org.rnnatlas.spi;

import java.util.Objects;

/**
 * A static input x* at which a network's fixed points are sought.
 *
 * @param label short description, e.g. {@code "context=1"} or {@code "input=0.25"}
 * @param input the M input values
 */
public record Condition(String label, double[] input) {
    public Condition {
        Objects.requireNonNull(label, "label");
        input = input.clone();
    }

    @Override
    public double[] input() {
        return input.clone();
    }
}
