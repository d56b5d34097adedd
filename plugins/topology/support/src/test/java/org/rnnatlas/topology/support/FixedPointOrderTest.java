package org.rnnatlas.topology.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnatlas.spi.FixedPoint;

class FixedPointOrderTest {

    private static FixedPoint point(double lambda, int unstable, double... y) {
        return new FixedPoint(y.clone(), 0, 0.0, y, new double[] {lambda}, new double[] {0.0}, unstable);
    }

    @Test
    void lexicographicByRoundedReadoutThenLargestModulus() {
        FixedPoint a = point(0.2, 0, -1.0, 1.0);
        FixedPoint saddle = point(1.5, 1, 0.004, 1.0);   // rounds to 0.00
        FixedPoint stable = point(0.3, 0, -0.003, 1.0);  // rounds to 0.00 as well: tie, smaller |lambda| first
        FixedPoint b = point(0.2, 0, 0.0, -1.0);         // same first component, smaller second: before both
        List<FixedPoint> sorted = FixedPointOrder.sorted(List.of(saddle, a, stable, b));
        assertEquals(List.of(a, b, stable, saddle), sorted);
    }

    @Test
    void labelRoundsAndNeverPrintsNegativeZero() {
        FixedPoint p = point(1.5, 1, -0.001, 0.996);
        assertEquals("y=[0.00, 1.00] unstable=1", FixedPointOrder.label(p, TaskStub.single()));
    }
}
