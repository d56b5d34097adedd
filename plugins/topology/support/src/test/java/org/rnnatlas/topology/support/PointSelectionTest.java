package org.rnnatlas.topology.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnatlas.spi.Condition;
import org.rnnatlas.spi.FixedPoint;

class PointSelectionTest {

    private static FixedPoint point(int condition, double... state) {
        return new FixedPoint(state, condition, 0.0, new double[] {state[0]}, new double[] {0.5}, new double[] {0.0}, 0);
    }

    @Test
    void chainPicksThePointThatContinuesTheLine() {
        // conditions 0..4 on the line (c, 0); condition 2 also has a spurious point far off the line
        List<FixedPoint> pts = new ArrayList<>();
        for (int c = 0; c < 5; c++) {
            pts.add(point(c, c, 0.0));
        }
        FixedPoint spurious = point(2, 2.0, 5.0);
        pts.add(0, spurious);
        List<FixedPoint> chain = PointSelection.chain(pts, new int[] {0, 1, 2, 3, 4});
        assertEquals(5, chain.size());
        for (int c = 0; c < 5; c++) {
            assertEquals(c, chain.get(c).condition());
            assertArrayEquals(new double[] {c, 0.0}, chain.get(c).state());
        }
    }

    @Test
    void chainSkipsConditionsWithoutPoints() {
        List<FixedPoint> pts = List.of(point(3, 3, 0), point(0, 0, 0));
        List<FixedPoint> chain = PointSelection.chain(pts, new int[] {0, 1, 2, 3});
        assertEquals(2, chain.size());
        assertEquals(0, chain.get(0).condition());
        assertEquals(3, chain.get(1).condition());
    }

    @Test
    void conditionsSortByInput() {
        List<Condition> cs = List.of(new Condition("b", new double[] {0.5}), new Condition("a", new double[] {0.1}),
                new Condition("c", new double[] {0.9}));
        assertArrayEquals(new int[] {1, 0, 2}, PointSelection.conditionsByInput(cs));
    }

    @Test
    void quantilesKeepEndsAndAreDistinct() {
        List<FixedPoint> pts = new ArrayList<>();
        for (int i = 0; i < 57; i++) {
            pts.add(point(0, (i * 37 % 57) / 56.0)); // a permutation of 0, 1/56, ..., 1
        }
        List<FixedPoint> q = PointSelection.quantiles(pts, 20);
        assertEquals(20, q.size());
        assertEquals(0.0, q.get(0).readout()[0]);
        assertEquals(1.0, q.get(19).readout()[0]);
        for (int k = 0; k < 20; k++) {
            // rank round(k * 56 / 19) of the values i / 56
            assertEquals(Math.round(k * 56.0 / 19.0) / 56.0, q.get(k).readout()[0], 1e-15);
        }
        List<FixedPoint> few = PointSelection.quantiles(pts.subList(0, 7), 20);
        assertEquals(7, few.size());
        assertSame(few.get(0), few.stream().min((a, b) -> Double.compare(a.readout()[0], b.readout()[0])).get());
    }
}
