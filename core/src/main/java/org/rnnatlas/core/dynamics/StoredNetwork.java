package org.rnnatlas.core.dynamics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.rnnatlas.core.io.Npy;
import org.rnnatlas.core.population.NetworkRecord;
import org.rnnatlas.core.population.Store;
import org.rnnatlas.core.train.Model;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.ParamBlock;

/**
 * One finished network read back from a store for analysis: its architecture, its parameters (trained, or the
 * initial ones for the untrained network) widened to double, and its states on the task's probe set.
 *
 * @param record      the network's {@code network.json}
 * @param model       cell, spec and readout layout
 * @param untrained   whether {@link #params} and {@link #probeStates} are the untrained network's
 * @param params      all parameters in {@link Model} order (cell blocks, then readout), as double
 * @param probeStates probe states, row-major {@code (trials·T) × S}, as double
 */
public record StoredNetwork(NetworkRecord record, Model model, boolean untrained, double[] params,
                            double[] probeStates) {

    public StoredNetwork {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(model, "model");
        if (params.length != model.parameterCount()) {
            throw new IllegalArgumentException("network " + record.id() + ": " + params.length
                    + " parameters, the model needs " + model.parameterCount());
        }
        if (probeStates.length == 0 || probeStates.length % model.stateSize() != 0) {
            throw new IllegalArgumentException("network " + record.id() + ": probe states hold "
                    + probeStates.length + " values, not a multiple of the state size " + model.stateSize());
        }
    }

    public String id() {
        return record.id();
    }

    public Cell cell() {
        return model.cell();
    }

    public CellSpec spec() {
        return model.spec();
    }

    /** The readout weights {@code N × K}, row-major ({@code y = h·W + b}). */
    public double[] readoutWeights() {
        int off = model.readoutWeightOffset();
        return Arrays.copyOfRange(params, off, off + model.hidden() * model.outputs());
    }

    /** The readout bias, K entries. */
    public double[] readoutBias() {
        int off = model.readoutBiasOffset();
        return Arrays.copyOfRange(params, off, off + model.outputs());
    }

    /** Number of probe states (trials × T). */
    public int stateCount() {
        return probeStates.length / model.stateSize();
    }

    /** The mean Euclidean norm of the probe states: the network's typical state scale. */
    public double meanStateNorm() {
        int s = model.stateSize();
        int count = stateCount();
        double sum = 0;
        for (int i = 0; i < count; i++) {
            double acc = 0;
            for (int d = 0; d < s; d++) {
                double v = probeStates[i * s + d];
                acc += v * v;
            }
            sum += Math.sqrt(acc);
        }
        return sum / count;
    }

    /**
     * Loads network {@code id} from {@code store}, with {@code cell} the plugin its record names.
     *
     * @throws DynamicsException when the network is unfinished, diverged (for trained analysis) or a file is missing
     */
    public static StoredNetwork load(Store store, String id, Cell cell, boolean untrained) throws IOException {
        NetworkRecord r = store.finishedNetwork(id).orElseThrow(() -> new DynamicsException("Network " + id
                + " is not finished in store " + store.root() + " (no network.json); finish training first"));
        if (!cell.name().equals(r.cell())) {
            throw new IllegalArgumentException("network " + id + " uses cell " + r.cell() + ", got plugin "
                    + cell.name());
        }
        if (!untrained && !NetworkRecord.TRAINED.equals(r.status())) {
            throw new DynamicsException("Network " + id + " has status " + r.status()
                    + " and no trained parameters; only its untrained network can be analysed");
        }
        Activation act = Activation.of(r.activation());
        CellSpec spec = new CellSpec(r.inputs(), r.units(), act);
        Model model = new Model(cell, spec, r.outputs());
        Path dir = store.networkDir(id);
        String folder = untrained ? "init/" : "params/";
        double[] params = new double[model.parameterCount()];
        List<ParamBlock> blocks = model.blocks();
        for (int b = 0; b < blocks.size(); b++) {
            ParamBlock block = blocks.get(b);
            NetworkRecord.StoredArray a = r.parameters().stream()
                    .filter(p -> p.file().equals(folder + block.name() + ".npy"))
                    .findFirst()
                    .orElseThrow(() -> new DynamicsException("Network " + id + " records no " + folder
                            + block.name() + ".npy; the store does not match cell " + cell.name()));
            double[] v = read(dir.resolve(a.file()), id).data();
            if (v.length != block.size()) {
                throw new DynamicsException(dir.resolve(a.file()) + " holds " + v.length + " values; block "
                        + block.name() + " of " + cell.name() + " needs " + block.size());
            }
            System.arraycopy(v, 0, params, model.offset(b), v.length);
        }
        NetworkRecord.StoredArray sa = untrained ? r.initProbeStates() : r.probeStates();
        if (sa == null) {
            throw new DynamicsException("Network " + id + " has no " + (untrained ? "init_" : "")
                    + "probe_states.npy in its record");
        }
        Npy.Array states = read(dir.resolve(sa.file()), id);
        int[] sh = states.shape();
        if (sh.length != 3 || sh[2] != model.stateSize()) {
            throw new DynamicsException(dir.resolve(sa.file()) + " has shape " + Arrays.toString(sh)
                    + "; expected trials x T x " + model.stateSize());
        }
        return new StoredNetwork(r, model, untrained, params, states.data());
    }

    private static Npy.Array read(Path file, String id) throws IOException {
        if (!Files.exists(file)) {
            throw new DynamicsException("Network " + id + " lists " + file.getFileName()
                    + " but the file is missing from " + file.getParent());
        }
        return Npy.read(file);
    }
}
