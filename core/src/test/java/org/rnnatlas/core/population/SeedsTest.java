package org.rnnatlas.core.population;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/**
 * Seed derivation is part of the store format: changing it would silently change every network a spec describes.
 * These values pin it (they were printed by this implementation when the format was fixed).
 */
class SeedsTest {
    @Test
    void derivationIsPinned() {
        assertEquals(PINNED_INIT, Seeds.mix(0, "init", "flipflop", "gru", "64"));
        assertEquals(PINNED_DATA, Seeds.mix(7, "data", "cdi"));
    }

    @Test
    void partsAreNotConcatenated() {
        assertNotEquals(Seeds.mix(1, "ab", "c"), Seeds.mix(1, "a", "bc"));
        assertNotEquals(Seeds.mix(1, "a"), Seeds.mix(2, "a"));
    }

    @Test
    void networkIdsAreStable() {
        NetworkConfig n = new NetworkConfig("flipflop", "gru", "tanh", 64, 1e-4, 3);
        assertEquals("flipflop-gru-tanh-n64-l2_1e-04-s3", n.id());
        assertEquals("flipflop-gru-tanh-n64-l2_1e-04", n.configKey());
        assertEquals("0", NetworkConfig.formatL2(0));
        assertEquals("2.5e-03", NetworkConfig.formatL2(0.0025));
        assertEquals("1e-02", NetworkConfig.formatL2(0.01));
        assertEquals("1.5e+00", NetworkConfig.formatL2(1.5));
    }

    static final long PINNED_INIT = -1652084664010353984L;
    static final long PINNED_DATA = 6143210918135974537L;
}
