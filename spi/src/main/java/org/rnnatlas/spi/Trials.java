package org.rnnatlas.spi;

import java.util.Map;
import java.util.Objects;

/**
 * A fixed set of trials, time-major like {@link Task#sample}: {@code x} is {@code steps × count × inputs},
 * {@code y} is {@code steps × count × outputs}.
 *
 * <p>Arrays are not copied: whoever builds a {@code Trials} hands its arrays over, and whoever receives one owns
 * them. {@link Task#probe()} therefore returns fresh arrays on every call.
 *
 * @param attributes per-trial descriptors, each an array of {@code count} values (for example {@code "context"})
 */
public record Trials(int count, int steps, int inputs, int outputs, float[] x, float[] y,
                     Map<String, double[]> attributes) {
    public Trials {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        attributes = Map.copyOf(attributes);
        if (count < 1 || steps < 1 || inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("trials need count, steps, inputs and outputs >= 1, got " + count + ", "
                    + steps + ", " + inputs + ", " + outputs);
        }
        if (x.length != steps * count * inputs) {
            throw new IllegalArgumentException("x has " + x.length + " entries, expected " + steps * count * inputs);
        }
        if (y.length != steps * count * outputs) {
            throw new IllegalArgumentException("y has " + y.length + " entries, expected " + steps * count * outputs);
        }
        for (var e : attributes.entrySet()) {
            if (e.getValue().length != count) {
                throw new IllegalArgumentException("attribute " + e.getKey() + " has " + e.getValue().length
                        + " values, expected " + count);
            }
        }
    }
}
