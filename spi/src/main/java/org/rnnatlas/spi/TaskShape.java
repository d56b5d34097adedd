package org.rnnatlas.spi;

/**
 * The dimensions of a task.
 *
 * @param inputs  M, input channels
 * @param outputs K, target channels
 * @param steps   T, steps per trial
 */
public record TaskShape(int inputs, int outputs, int steps) {
    public TaskShape {
        if (inputs < 1 || outputs < 1 || steps < 1) {
            throw new IllegalArgumentException("task shape must be positive: M=" + inputs + " K=" + outputs + " T=" + steps);
        }
    }
}
