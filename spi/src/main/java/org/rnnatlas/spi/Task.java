package org.rnnatlas.spi;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A task networks are trained on (SPEC §2). Tasks are generative: every call to {@link #sample} draws fresh trials
 * from the generator it is given, so a seeded generator makes the whole training stream reproducible.
 *
 * <p>A task is an immutable value. The instance ServiceLoader creates carries the default options;
 * {@link #configure} returns a copy with other options (for example the CDI target scale).
 */
public interface Task extends Named {

    /** Input width M, output width K and trial length T. */
    TaskShape shape();

    /**
     * Fills one batch of {@code batch} fresh trials, time-major: {@code x} gets {@code T × batch × M} entries and
     * {@code y} (the targets) {@code T × batch × K}. Allocates nothing; the arrays may be longer than needed.
     *
     * <p>Reproducibility depends on this method: it draws from {@code rng} only, in a fixed, documented order, so
     * that the same generator state always gives the same batch on every machine and JDK.
     */
    void sample(RandomGenerator rng, int batch, float[] x, float[] y);

    /**
     * The fixed probe set: the same inputs for every network, used for representational geometry and plots. Its
     * {@link Trials#attributes} describe each trial (for example the sine task's {@code "input"}). Every call
     * returns fresh arrays with the same content.
     */
    Trials probe();

    /**
     * The condition inputs x* at which fixed points are sought (SPEC §2): one for flip-flop (x* = 0), one per
     * context for CDI, and for the sine task a grid of static inputs.
     */
    List<Condition> conditions();

    /** The options this instance was configured with, including defaults; recorded in provenance. */
    default Map<String, String> options() {
        return Map.of();
    }

    /**
     * A copy of this task with the given options set; the others keep their values. An unknown option or a bad
     * value throws {@link IllegalArgumentException} naming what is allowed.
     */
    default Task configure(Map<String, String> options) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("Task '" + name() + "' takes no options, got " + options.keySet());
        }
        return this;
    }
}
