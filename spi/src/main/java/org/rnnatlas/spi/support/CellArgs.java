package org.rnnatlas.spi.support;

import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;

/**
 * Argument checks for a {@link Cell}'s double-precision methods, with one message format for every cell: what is
 * wrong, which cell and shape, and how many entries are needed. The checks run once per call, at the boundary, never
 * inside loops.
 */
public final class CellArgs {

    private CellArgs() {
    }

    /**
     * Checks the arguments every double-precision method of {@code cell} takes: {@code p} has at least
     * {@link Cell#parameterCount}, {@code s} {@link Cell#stateSize}, {@code x} M and {@code scratch}
     * {@link Cell#scratchSize} entries.
     *
     * @throws IllegalArgumentException naming the first array that is missing or too short
     */
    public static void requireStep(Cell cell, CellSpec spec, double[] p, double[] s, double[] x, double[] scratch) {
        requireLength(cell, spec, p, cell.parameterCount(spec), "p (parameters)");
        requireLength(cell, spec, s, cell.stateSize(spec), "s (state)");
        requireLength(cell, spec, x, spec.inputs(), "x (input)");
        requireLength(cell, spec, scratch, cell.scratchSize(spec), "scratch");
    }

    /**
     * Checks the optional outputs of {@link Cell#stepBackward}: each of {@code gS} (S entries), {@code gX} (M) and
     * {@code gP} (the parameter count) may be null, and otherwise must be long enough.
     */
    public static void requireBackwardOutputs(Cell cell, CellSpec spec, double[] gS, double[] gX, double[] gP) {
        if (gS != null) {
            requireLength(cell, spec, gS, cell.stateSize(spec), "gS");
        }
        if (gX != null) {
            requireLength(cell, spec, gX, spec.inputs(), "gX");
        }
        if (gP != null) {
            requireLength(cell, spec, gP, cell.parameterCount(spec), "gP");
        }
    }

    /**
     * Checks that {@code a} exists and has at least {@code needed} entries.
     *
     * @param what the argument's name as the caller knows it, for example {@code "jac"}
     * @throws IllegalArgumentException "jac has 3 entries; the gru cell with M=3, N=4 needs at least 16"
     */
    public static void requireLength(Cell cell, CellSpec spec, double[] a, int needed, String what) {
        if (a == null || a.length < needed) {
            throw new IllegalArgumentException(what + " has " + (a == null ? "no array" : a.length + " entries")
                    + "; the " + cell.name() + " cell with M=" + spec.inputs() + ", N=" + spec.hidden()
                    + " needs at least " + needed);
        }
    }
}
