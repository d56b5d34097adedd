package org.rnnatlas.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The claims table's verdict rules and its ordering. */
class ClaimsTest {
    @Test
    void verdictRules() {
        assertEquals(Claims.SUPPORTED, Claims.clustered(0.2, 0.8));
        assertEquals(Claims.PARTLY, Claims.clustered(-0.1, 0.8));
        assertEquals(Claims.PARTLY, Claims.clustered(0.2, 1.1));
        assertEquals(Claims.NOT, Claims.clustered(-0.1, 1.1));
        assertEquals(Claims.NO_DATA, Claims.clustered(Double.NaN, 0.5));
        assertEquals(Claims.SUPPORTED, Claims.fraction(8, 8));
        assertEquals(Claims.PARTLY, Claims.fraction(3, 8));
        assertEquals(Claims.NOT, Claims.fraction(0, 8));
        assertEquals(Claims.NO_DATA, Claims.fraction(0, 0));
        assertEquals(Claims.SUPPORTED, Claims.majority(5, 8));
        assertEquals(Claims.PARTLY, Claims.majority(4, 8));
        assertEquals(Claims.NOT, Claims.majority(0, 8));
    }

    @Test
    void pearsonAgainstHandValues() {
        assertEquals(1.0, Claims.pearson(new double[] {1, 2, 3}, new double[] {2, 4, 6}), 1e-15);
        assertEquals(-1.0, Claims.pearson(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-15);
        // x = 1..4, y = 1, 3, 2, 4: cov 1.25·... r = 0.8 exactly (sxy = 4, sxx = syy = 5)
        assertEquals(0.8, Claims.pearson(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4}), 1e-15);
        // pairs with a NaN are left out; under 3 pairs or a constant side there is no correlation
        assertEquals(0.8, Claims.pearson(new double[] {1, 2, 9, 3, 4}, new double[] {1, 3, Double.NaN, 2, 4}), 1e-15);
        assertTrue(Double.isNaN(Claims.pearson(new double[] {1, 2}, new double[] {1, 2})));
        assertTrue(Double.isNaN(Claims.pearson(new double[] {1, 2, 3}, new double[] {5, 5, 5})));
    }

    @Test
    void rowsByTaskThenRank() {
        Claims c = new Claims();
        c.add(3, "c", "flipflop", "", "", Claims.NO_DATA);
        c.add(0, "a", "flipflop", "", "", Claims.NO_DATA);
        c.add(1, "b", "sine", "", "", Claims.NO_DATA);
        c.add(1, "b", "flipflop", "", "", Claims.NO_DATA);
        assertEquals(List.of("flipflop a", "flipflop b", "flipflop c", "sine b"), c.rows().stream()
                .map(r -> r.task() + " " + r.claim()).toList());
    }
}
