package org.rnnatlas.core.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.ParamBlock;

/**
 * A network's architecture: a cell with its spec plus the linear readout {@code y = h W_out + b_out}. Its parameter
 * vector is the cell's parameters followed by {@code readout_W} ({@code N × K}) and {@code readout_b} ({@code K}).
 */
public final class Model {
    public static final String READOUT_W = "readout_W";
    public static final String READOUT_B = "readout_b";

    private final Cell cell;
    private final CellSpec spec;
    private final int outputs;
    private final List<ParamBlock> blocks;
    private final int[] offsets;
    private final int cellParams;
    private final int total;

    public Model(Cell cell, CellSpec spec, int outputs) {
        this.cell = Objects.requireNonNull(cell, "cell");
        this.spec = Objects.requireNonNull(spec, "spec");
        if (outputs < 1) {
            throw new IllegalArgumentException("outputs must be >= 1, got " + outputs);
        }
        this.outputs = outputs;
        List<ParamBlock> b = new ArrayList<>(cell.parameters(spec));
        this.cellParams = b.stream().mapToInt(ParamBlock::size).sum();
        if (cellParams != cell.parameterCount(spec)) {
            throw new IllegalStateException("cell " + cell.name() + ": parameter blocks hold " + cellParams
                    + " values but parameterCount() says " + cell.parameterCount(spec));
        }
        b.add(ParamBlock.weight(READOUT_W, spec.hidden(), outputs, ParamBlock.Role.INPUT_WEIGHT, spec.hidden()));
        b.add(ParamBlock.bias(READOUT_B, outputs));
        this.blocks = List.copyOf(b);
        this.offsets = new int[blocks.size()];
        int off = 0;
        for (int i = 0; i < blocks.size(); i++) {
            offsets[i] = off;
            off += blocks.get(i).size();
        }
        this.total = off;
    }

    public Cell cell() {
        return cell;
    }

    public CellSpec spec() {
        return spec;
    }

    public int inputs() {
        return spec.inputs();
    }

    public int hidden() {
        return spec.hidden();
    }

    public int outputs() {
        return outputs;
    }

    public int stateSize() {
        return cell.stateSize(spec);
    }

    /** All parameter blocks in storage order, the readout last. */
    public List<ParamBlock> blocks() {
        return blocks;
    }

    public int offset(int block) {
        return offsets[block];
    }

    public int parameterCount() {
        return total;
    }

    public int cellParameterCount() {
        return cellParams;
    }

    public int readoutWeightOffset() {
        return cellParams;
    }

    public int readoutBiasOffset() {
        return cellParams + spec.hidden() * outputs;
    }

    /** A fresh initialisation (SPEC §1): the cell's, then the readout like an input matrix, Normal(0, 1/N); bias 0. */
    public float[] initialize(RandomGenerator rng) {
        double[] p = new double[total];
        cell.initialize(spec, rng, p);
        double sd = Math.sqrt(1.0 / spec.hidden());
        int w = readoutWeightOffset();
        for (int i = 0; i < spec.hidden() * outputs; i++) {
            p[w + i] = sd * rng.nextGaussian();
        }
        float[] f = new float[total];
        for (int i = 0; i < total; i++) {
            f[i] = (float) p[i];
        }
        return f;
    }
}
