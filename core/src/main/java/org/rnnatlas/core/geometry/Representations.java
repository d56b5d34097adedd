package org.rnnatlas.core.geometry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rnnatlas.core.io.Npy;
import org.rnnatlas.core.population.NetworkRecord;
import org.rnnatlas.core.population.Store;
import org.rnnatlas.spi.Representation;

/**
 * Networks' representations read from a store (SPEC §4): the states on the task's probe set, {@code trials × T × S}
 * in {@code probe_states.npy} (trained) or {@code init_probe_states.npy} (untrained), stacked into a
 * {@code samples × N} matrix with {@code samples = trials·T}. By default N is the number of units and only h, the
 * first N entries of each state, is used; {@link States#fullState} keeps the whole state (the LSTM's [h; c]).
 *
 * <p>{@link #check} validates a whole set before any heavy work, so a bad store fails fast with a message naming
 * the network; {@link #load} is thread-safe and reads one network.
 */
public final class Representations {

    /**
     * Which states make the representation.
     *
     * @param untrained the untrained network's states ({@code init_probe_states.npy}) instead of the trained ones
     * @param fullState the whole state S (LSTM: [h; c]) instead of h (the first {@code units} entries)
     */
    public record States(boolean untrained, boolean fullState) {
        public static final States TRAINED = new States(false, false);
        public static final States UNTRAINED = new States(true, false);

        /** {@code trained-h}, {@code untrained-h}, {@code trained-full}, {@code untrained-full}: recorded in sidecars. */
        public String label() {
            return (untrained ? "untrained" : "trained") + (fullState ? "-full" : "-h");
        }

        /** The store file holding these states. */
        public String file() {
            return untrained ? "init_probe_states.npy" : "probe_states.npy";
        }
    }

    /** The probe set's shape every network of a comparison must share, and the representation width per network. */
    public record ProbeShape(int trials, int steps) {
        public int samples() {
            return trials * steps;
        }
    }

    private final Store store;
    private final States states;

    public Representations(Store store, States states) {
        this.store = Objects.requireNonNull(store, "store");
        this.states = Objects.requireNonNull(states, "states");
    }

    public States states() {
        return states;
    }

    /**
     * Checks that every network is finished, has the requested states and that all share one probe set (trials and
     * steps), reading only the {@code network.json} records. Returns the shared probe shape.
     *
     * @throws GeometryException naming the first offending network
     */
    public ProbeShape check(List<String> ids) throws IOException {
        if (ids.isEmpty()) {
            throw new GeometryException("No networks to compare in store " + store.root());
        }
        ProbeShape shape = null;
        String first = null;
        List<String> tasks = new ArrayList<>();
        for (String id : ids) {
            NetworkRecord r = record(id);
            NetworkRecord.StoredArray a = stored(r);
            ProbeShape s = shapeOf(r, a);
            if (shape == null) {
                shape = s;
                first = id;
            } else if (!shape.equals(s)) {
                throw new GeometryException("Networks " + first + " and " + id + " have different probe sets ("
                        + shape.trials() + " trials x " + shape.steps() + " steps vs " + s.trials() + " x "
                        + s.steps() + "); representations can only be compared on the same probe set: compare"
                        + " networks of one task at a time");
            }
            if (!tasks.contains(r.task())) {
                tasks.add(r.task());
            }
        }
        if (tasks.size() > 1) {
            // equal shapes do not make equal probe sets: two tasks' trials mean different things
            throw new GeometryException("Networks of different tasks " + tasks + " cannot be compared: their probe"
                    + " sets differ. Compare one task at a time");
        }
        return shape;
    }

    /** The representation of one network: {@code samples × N}, row-major, double, not centred. Thread-safe. */
    public Representation load(String id) throws IOException {
        NetworkRecord r = record(id);
        NetworkRecord.StoredArray a = stored(r);
        Path file = store.networkDir(id).resolve(a.file());
        if (!Files.exists(file)) {
            throw new GeometryException("Network " + id + " lists " + a.file() + " but the file is missing from "
                    + file.getParent());
        }
        Npy.Array arr = Npy.read(file);
        int[] sh = arr.shape();
        if (sh.length != 3) {
            throw new GeometryException(file + " has shape " + java.util.Arrays.toString(sh)
                    + "; expected trials x T x S");
        }
        int stateSize = sh[2];
        int width = states.fullState() ? stateSize : r.units();
        if (width > stateSize || width < 1) {
            throw new GeometryException(file + " holds states of size " + stateSize + " but network " + id
                    + " has " + r.units() + " units; expected S >= units");
        }
        int samples = sh[0] * sh[1];
        double[] data = arr.data();
        if (width == stateSize) {
            return new Representation(samples, width, data);
        }
        double[] out = new double[samples * width];
        for (int s = 0; s < samples; s++) {
            System.arraycopy(data, s * stateSize, out, s * width, width);
        }
        return new Representation(samples, width, out);
    }

    /** A side of an all-pairs computation over these networks' representations. */
    public AllPairs.Side side(List<String> ids) {
        return new AllPairs.Side(ids, states.label(), this::load);
    }

    private NetworkRecord record(String id) throws IOException {
        var r = store.finishedNetwork(id);
        if (r.isEmpty()) {
            throw new GeometryException("Network " + id + " is not finished in store " + store.root()
                    + " (no network.json with status trained or diverged); finish training first (rerun the same"
                    + " train command) or leave it out");
        }
        return r.get();
    }

    private NetworkRecord.StoredArray stored(NetworkRecord r) {
        NetworkRecord.StoredArray a = states.untrained() ? r.initProbeStates() : r.probeStates();
        if (a == null) {
            String why = NetworkRecord.DIVERGED.equals(r.status())
                    ? "diverged during training, so it has no trained states (probe_states.npy)"
                    : "has no " + states.file() + " in its record";
            throw new GeometryException("Network " + r.id() + " " + why + "; leave it out, or compare untrained"
                    + " states, which every finished network has");
        }
        return a;
    }

    private static ProbeShape shapeOf(NetworkRecord r, NetworkRecord.StoredArray a) {
        List<Integer> s = a.shape();
        if (s == null || s.size() != 3) {
            throw new GeometryException("Network " + r.id() + " records " + a.file() + " with shape " + s
                    + "; expected trials x T x S");
        }
        return new ProbeShape(s.get(0), s.get(1));
    }
}
