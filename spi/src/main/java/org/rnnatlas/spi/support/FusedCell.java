package org.rnnatlas.spi.support;

import java.util.List;
import java.util.Objects;

import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.ParamBlock;

/**
 * A {@link Cell} whose parameters are the {@link FusedLayout} with G gate blocks, {@code W} (N×GN), {@code U}
 * (M×GN), {@code b} (GN): it answers {@link #name}, {@link #description}, {@link #gates}, {@link #parameters} and
 * {@link #parameterCount}; the subclass writes its equations ({@link #step}, {@link #stepBackward}, and the
 * Jacobians in closed form if it has them) and usually a {@link FusedCellKernel} for {@link #kernel}.
 *
 * <p>Like every cell, a subclass is a stateless singleton with a public no-argument constructor that only calls
 * {@code super(NAME, description, G)}:
 *
 * <pre>{@code
 * public final class MyCell extends FusedCell {
 *     public MyCell() {
 *         super("my", "h' = phi(hW + xU + b)", 1);
 *     }
 *     // step, stepBackward, scratchSize, kernel ...
 * }
 * }</pre>
 */
public abstract class FusedCell implements Cell {
    private final String name;
    private final String description;
    private final int gates;

    /**
     * @param name        the registered name ({@link org.rnnatlas.spi.Named#NAME})
     * @param description one line for listings
     * @param gates       G, the number of N-wide blocks of the fused pre-activation
     */
    protected FusedCell(String name, String description, int gates) {
        this.name = Objects.requireNonNull(name, "name");
        this.description = Objects.requireNonNull(description, "description");
        if (gates < 1) {
            throw new IllegalArgumentException("cell " + name + " needs gates >= 1, got " + gates);
        }
        this.gates = gates;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final int gates() {
        return gates;
    }

    /** {@link FusedLayout#blocks}: {@code W} (N×GN), {@code U} (M×GN), {@code b} (GN). */
    @Override
    public final List<ParamBlock> parameters(CellSpec spec) {
        return FusedLayout.blocks(spec, gates);
    }

    /** {@code (N + M + 1)·GN}. */
    @Override
    public final int parameterCount(CellSpec spec) {
        return FusedLayout.parameterCount(spec, gates);
    }
}
