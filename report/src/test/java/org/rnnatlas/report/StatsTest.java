package org.rnnatlas.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void pcaRecoversKnownAxesAndVariance() {
        // samples along e1 with variance 9 and e2 with variance 1, rotated by 30 degrees in the (0, 2) plane
        SplittableRandom r = new SplittableRandom(1);
        int n = 20000;
        double c = Math.cos(Math.PI / 6);
        double s = Math.sin(Math.PI / 6);
        double[] x = new double[n * 3];
        for (int i = 0; i < n; i++) {
            double a = 3 * gauss(r);
            double b = gauss(r);
            x[3 * i] = c * a + 5;
            x[3 * i + 2] = s * a;
            x[3 * i + 1] = b;
        }
        Stats.Pca p = Stats.pca(x, n, 3, 2);
        assertEquals(0.9, p.explained()[0], 0.01);
        assertEquals(0.1, p.explained()[1], 0.01);
        assertEquals(c, Math.abs(p.axes()[0][0]), 1e-2);
        assertEquals(s, Math.abs(p.axes()[0][2]), 1e-2);
        assertEquals(1, Math.abs(p.axes()[1][1]), 1e-3);
        assertEquals(5, p.mean()[0], 0.1);
    }

    private static double gauss(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @Test
    void clusteredDistancesHaveLowRatioAndHighSilhouette() {
        // two tight groups {0,1} and {2,3}: within 0.1, between 1
        double[][] d = {{0, .1, 1, 1}, {.1, 0, 1, 1}, {1, 1, 0, .1}, {1, 1, .1, 0}};
        List<String> g = List.of("a", "a", "b", "b");
        assertEquals(0.1, Stats.withinBetweenRatio(d, g), 1e-12);
        assertEquals(0.9, Stats.silhouette(d, g), 1e-12);
        // the grouping that cuts across the clusters: within = (1 + 1)/2, between = (.1 + 1 + 1 + .1)/4
        List<String> cross = List.of("a", "b", "a", "b");
        assertEquals(1 / 0.55, Stats.withinBetweenRatio(d, cross), 1e-12);
        assertTrue(Stats.silhouette(d, cross) < 0);
        assertTrue(Double.isNaN(Stats.silhouette(d, List.of("a", "a", "a", "a"))));
    }
}
