package org.rnnatlas.core.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.io.Npy;
import org.rnnatlas.core.population.NetworkRecord;
import org.rnnatlas.core.population.Store;
import org.rnnatlas.spi.Representation;

/** Representations read from a store laid out as docs/store.md describes (written here by hand). */
class RepresentationsTest {
    @TempDir
    Path dir;

    /** Trained states are 1000 + index, untrained −index, so tests see which file and entries were read. */
    private void network(Store store, String id, String task, String status, int trials, int steps, int units,
                         int stateSize) throws IOException {
        Path d = store.networkDir(id);
        int n = trials * steps * stateSize;
        float[] trained = new float[n];
        float[] init = new float[n];
        for (int i = 0; i < n; i++) {
            trained[i] = 1000 + i;
            init[i] = -i;
        }
        List<Integer> shape = List.of(trials, steps, stateSize);
        NetworkRecord.StoredArray probe = null;
        if (status.equals(NetworkRecord.TRAINED)) {
            Npy.write(d.resolve("probe_states.npy"), trained, trials, steps, stateSize);
            probe = new NetworkRecord.StoredArray("probe_states", "probe_states.npy", shape, "states");
        }
        Npy.write(d.resolve("init_probe_states.npy"), init, trials, steps, stateSize);
        var initProbe = new NetworkRecord.StoredArray("init_probe_states", "init_probe_states.npy", shape, "states");
        if (status.equals("pending")) {
            return; // no network.json: not finished
        }
        Json.write(d.resolve("network.json"), new NetworkRecord(NetworkRecord.FORMAT, id, task, "lstm", "tanh",
                units, 3, 3, stateSize, 1e-4, 0, status, null, "spec", 1, 2, 10, 0.1, 0.1, 0.2, 0.3, List.of(),
                probe, initProbe, null, null));
    }

    @Test
    void loadsHiddenStatesOrTheFullStateOfTrainedAndUntrainedNetworks() throws IOException {
        Store store = new Store(dir);
        network(store, "lstm-a", "flipflop", NetworkRecord.TRAINED, 2, 3, 2, 4);
        var h = new Representations(store, Representations.States.TRAINED);
        assertEquals(new Representations.ProbeShape(2, 3), h.check(List.of("lstm-a")));
        Representation r = h.load("lstm-a");
        assertEquals(6, r.samples());
        assertEquals(2, r.units());
        // sample s holds state entries 4s.. 4s+3; h is the first two
        assertArrayEquals(new double[] {1000, 1001, 1004, 1005, 1008, 1009, 1012, 1013, 1016, 1017, 1020, 1021},
                r.data());
        Representation full = new Representations(store, new Representations.States(false, true)).load("lstm-a");
        assertEquals(4, full.units());
        assertEquals(1023.0, full.data()[23]);
        Representation untrained = new Representations(store, Representations.States.UNTRAINED).load("lstm-a");
        assertEquals(-5.0, untrained.data()[3]);
        assertEquals("untrained-h", Representations.States.UNTRAINED.label());
        assertEquals("trained-full", new Representations.States(false, true).label());
    }

    @Test
    void clearErrorsForUnfinishedDivergedAndMismatchedNetworks() throws IOException {
        Store store = new Store(dir);
        network(store, "a", "flipflop", NetworkRecord.TRAINED, 2, 3, 2, 2);
        network(store, "b", "flipflop", NetworkRecord.DIVERGED, 2, 3, 2, 2);
        network(store, "c", "flipflop", "pending", 2, 3, 2, 2);
        network(store, "d", "flipflop", NetworkRecord.TRAINED, 4, 3, 2, 2);
        network(store, "e", "sine", NetworkRecord.TRAINED, 2, 3, 2, 2);
        var trained = new Representations(store, Representations.States.TRAINED);

        var diverged = assertThrows(GeometryException.class, () -> trained.check(List.of("a", "b")));
        assertTrue(diverged.getMessage().contains("b diverged"), diverged.getMessage());
        // a diverged network still has untrained states
        var untrained = new Representations(store, Representations.States.UNTRAINED);
        untrained.check(List.of("a", "b"));
        assertEquals(-1.0, untrained.load("b").data()[1]);

        var pending = assertThrows(GeometryException.class, () -> trained.load("c"));
        assertTrue(pending.getMessage().contains("c is not finished"), pending.getMessage());
        var probe = assertThrows(GeometryException.class, () -> trained.check(List.of("a", "d")));
        assertTrue(probe.getMessage().contains("different probe sets") && probe.getMessage().contains("4 x 3"),
                probe.getMessage());
        var task = assertThrows(GeometryException.class, () -> trained.check(List.of("a", "e")));
        assertTrue(task.getMessage().contains("different tasks"), task.getMessage());
        assertThrows(GeometryException.class, () -> trained.check(List.of()));
    }

    @Test
    void sideFeedsTheEngine() throws Exception {
        Store store = new Store(dir.resolve("store"));
        for (String id : List.of("n0", "n1", "n2")) {
            network(store, id, "flipflop", NetworkRecord.TRAINED, 4, 8, 3, 3);
        }
        var reps = new Representations(store, Representations.States.UNTRAINED);
        var side = reps.side(List.of("n0", "n1", "n2"));
        assertEquals("untrained-h", side.states());
        var r = new AllPairs(new ChunkEnergyMetric(), new org.rnnatlas.core.kernel.ScalarOps(), 1)
                .square(side, dir.resolve("out"), "chunk");
        DistanceMatrix m = DistanceMatrix.read(r.matrix());
        assertEquals(List.of("n0", "n1", "n2"), m.rowIds());
        assertEquals("untrained-h", m.metadata().get("row_states"));
        assertEquals(0.0, m.get(0, 1)); // identical states ⇒ distance 0
    }
}
