package org.rnnatlas.spi;

import java.util.Objects;

/**
 * One named block of a cell's parameters. A cell's parameter vector is the concatenation of its blocks in the order
 * {@link Cell#parameters} lists them, each block {@code rows × cols} in row-major order.
 *
 * @param name  stable name, used as the file name in the store (for example {@code "W"})
 * @param rows  rows of the block (1 for a bias)
 * @param cols  columns of the block
 * @param role  what the block is: it decides L2 decay and the default initialisation
 * @param fanIn fan-in of a weight block: weights start from Normal(0, 1/fanIn) (SPEC §1); 1 for a bias
 */
public record ParamBlock(String name, int rows, int cols, Role role, int fanIn) {

    /** What a block is. Weights take L2 decay (SPEC §3); biases do not. */
    public enum Role {
        /** Multiplies the state: W. */
        RECURRENT_WEIGHT,
        /** Multiplies the input: U. */
        INPUT_WEIGHT,
        /** Added: b. Not decayed; starts at 0 unless the cell says otherwise. */
        BIAS
    }

    public ParamBlock {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        if (!Named.NAME.matcher(name.toLowerCase(java.util.Locale.ROOT).replace('_', '-')).matches()) {
            throw new IllegalArgumentException("block name '" + name + "' must be a short identifier");
        }
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("block " + name + " has shape " + rows + "x" + cols);
        }
        if (fanIn < 1) {
            throw new IllegalArgumentException("block " + name + " needs fanIn >= 1, got " + fanIn);
        }
    }

    /** A weight block initialised from Normal(0, 1/fanIn). */
    public static ParamBlock weight(String name, int rows, int cols, Role role, int fanIn) {
        return new ParamBlock(name, rows, cols, role, fanIn);
    }

    /** A bias row of {@code cols} entries. */
    public static ParamBlock bias(String name, int cols) {
        return new ParamBlock(name, 1, cols, Role.BIAS, 1);
    }

    public int size() {
        return rows * cols;
    }

    public boolean decays() {
        return role != Role.BIAS;
    }
}
