package org.rnnatlas.core.population;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.rnnatlas.core.io.Npy;

/**
 * A store written by rnnatlas 0.1.0 (format rnnatlas.store/1) is kept in the test resources; every later version
 * must still read it. It was made with
 * {@code ./rnnatlas train --task cdi --cell vanilla --units 3 --iterations 2 --out store-v1} (runs.log and run.json
 * removed), and is never regenerated: a new format gets a new fixture beside it.
 */
class StoreFormatV1Test {
    private static Path fixture() throws URISyntaxException {
        return Path.of(StoreFormatV1Test.class.getResource("store-v1/manifest.json").toURI()).getParent();
    }

    @Test
    void manifestAndNetworkRecordsAreReadable() throws Exception {
        Store store = new Store(fixture());
        Manifest m = store.readManifest().orElseThrow();
        assertEquals("rnnatlas.store/1", m.format());
        assertEquals(1, m.networks().size());
        assertEquals("cdi-vanilla-tanh-n3-l2_1e-04-s0", m.networks().get(0).id());
        NetworkRecord r = store.finishedNetwork("cdi-vanilla-tanh-n3-l2_1e-04-s0").orElseThrow();
        assertEquals("trained", r.status());
        assertEquals(3, r.units());
        assertEquals(2, r.iterationsRun());
        assertTrue(r.validationMse() > 0);
        assertEquals("vanilla", r.provenance().cell().name());
        Npy.Array w = Npy.read(store.networkDir(r.id()).resolve("params/W.npy"));
        assertArrayEquals(new int[] {3, 3}, w.shape());
        Npy.Array states = Npy.read(store.networkDir(r.id()).resolve(r.probeStates().file()));
        assertArrayEquals(new int[] {54, 30, 3}, states.shape());
        // the stored spec still normalises to itself, so a rerun against this store resumes
        assertEquals(m.spec(), m.spec().normalized());
    }
}
