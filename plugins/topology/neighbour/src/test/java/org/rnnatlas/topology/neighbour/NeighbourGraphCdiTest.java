package org.rnnatlas.topology.neighbour;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnnatlas.spi.NetworkDynamics;
import org.rnnatlas.spi.TopologyMetric;
import org.rnnatlas.spi.TopologyMetric.Topology;
import org.rnnatlas.spi.testkit.TopologyContract;

class NeighbourGraphCdiTest extends TopologyContract {

    @Override
    protected TopologyMetric metric() {
        return new NeighbourGraphMetric();
    }

    @Override
    protected List<NetworkDynamics> networks() {
        return List.of(Fixtures.cdiLines(50, 0.0), Fixtures.cdiLines(50, 3.0), Fixtures.cdiLines(12, 0.0));
    }

    @Override
    protected List<Map<String, String>> validOptions() {
        return List.of(Map.of("points", "8"));
    }

    @Test
    void eachContextIsAResampledPathGraphOrderedByReadout() {
        Topology t = new NeighbourGraphMetric().topology(Fixtures.cdiLines(50, 0.0), new SplittableRandom(1));
        assertEquals(40, t.rows());
        double[] path = NeighbourGraphSineTest.path(20);
        double[] expected = new double[40 * 40];
        for (int b = 0; b < 2; b++) { // block-diagonal: neighbours only within a context
            for (int i = 0; i < 20; i++) {
                System.arraycopy(path, i * 20, expected, (b * 20 + i) * 40 + b * 20, 20);
            }
        }
        assertArrayEquals(expected, t.values());
        // readout quantiles: rank round(k * 49 / 19) of t_i = -1 + 2 i / 49, both ends kept
        for (int k = 0; k < 20; k++) {
            double y = -1.0 + 2.0 * Math.round(k * 49.0 / 19.0) / 49.0;
            String label = String.format(Locale.ROOT, "y=[%.2f] unstable=0 context=1", Math.round(y * 100) / 100.0 + 0.0);
            assertEquals(label, t.rowLabels().get(20 + k));
        }
    }

    @Test
    void fewerPointsThanQuantilesKeepsThemAllAndTheDistanceIsUndefined() {
        NeighbourGraphMetric m = new NeighbourGraphMetric();
        Topology few = m.topology(Fixtures.cdiLines(12, 0.0), new SplittableRandom(1));
        assertEquals(24, few.rows());
        assertTrue(Double.isNaN(m.distance(few, m.topology(Fixtures.cdiLines(50, 0.0), new SplittableRandom(1)))));
        // the number of points beyond 20 does not matter on a straight line
        assertEquals(0.0, m.distance(m.topology(Fixtures.cdiLines(50, 0.0), new SplittableRandom(1)),
                m.topology(Fixtures.cdiLines(33, 0.0), new SplittableRandom(1))));
    }
}
