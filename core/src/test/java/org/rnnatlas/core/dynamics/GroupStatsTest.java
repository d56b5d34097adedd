package org.rnnatlas.core.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupStatsTest {

    @Test
    void meanAndStandardErrorOfAKnownSample() {
        GroupStats.MeanSe s = GroupStats.of(1, 2, 3, 4);
        assertEquals(2.5, s.mean(), 1e-15);
        // sample variance Σ(v − 2.5)² / 3 = 5/3, se = sd / √4
        assertEquals(Math.sqrt(5.0 / 3.0) / 2.0, s.standardError(), 1e-15);
        assertEquals(4, s.count());
        assertEquals(0, s.missing());
        assertEquals(2.5 - s.standardError(), s.lower(), 0);
        assertEquals(2.5 + s.standardError(), s.upper(), 0);
    }

    @Test
    void largeCommonOffsetDoesNotCancel() {
        GroupStats.MeanSe s = GroupStats.of(1e9 + 1, 1e9 + 2, 1e9 + 3);
        assertEquals(1e9 + 2, s.mean(), 1e-6);
        assertEquals(1.0 / Math.sqrt(3), s.standardError(), 1e-9);
    }

    @Test
    void nanIsMissingAndSmallSamplesSayWhatTheyCan() {
        GroupStats.MeanSe s = GroupStats.of(Double.NaN, 3, Double.NaN, 5);
        assertEquals(4, s.mean(), 0);
        assertEquals(1, s.standardError(), 1e-15, "sd √2, se √2/√2");
        assertEquals(2, s.count());
        assertEquals(2, s.missing());
        GroupStats.MeanSe one = GroupStats.of(7.0, Double.NaN);
        assertEquals(7, one.mean(), 0);
        assertTrue(Double.isNaN(one.standardError()), "one value has no spread");
        GroupStats.MeanSe none = GroupStats.of(Double.NaN);
        assertTrue(Double.isNaN(none.mean()));
        assertEquals(0, none.count());
        assertThrows(IllegalArgumentException.class, () -> GroupStats.of(1, Double.POSITIVE_INFINITY));
    }

    @Test
    void elementwiseOverRows() {
        GroupStats.MeanSe[] s = GroupStats.elementwise(List.of(new double[] {1, 10}, new double[] {3, Double.NaN},
                new double[] {5, 20}));
        assertEquals(3, s[0].mean(), 1e-15);
        assertEquals(2 / Math.sqrt(3), s[0].standardError(), 1e-15);
        assertEquals(15, s[1].mean(), 1e-15);
        assertEquals(1, s[1].missing());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GroupStats.elementwise(List.of(new double[2], new double[3])));
        assertTrue(e.getMessage().contains("row 1 has 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GroupStats.elementwise(List.of()));
    }

    record Net(String arch, double value, double[] curve) {
    }

    @Test
    void groupsKeepFirstMetOrder() {
        List<Net> nets = List.of(new Net("lstm", 1, new double[] {1, 0}), new Net("gru", 10, new double[] {2, 2}),
                new Net("lstm", 3, new double[] {3, 0}), new Net("gru", 14, new double[] {4, 2}));
        Map<String, GroupStats.MeanSe> by = GroupStats.byGroup(nets, Net::arch, Net::value);
        assertEquals(List.of("lstm", "gru"), List.copyOf(by.keySet()));
        assertEquals(2, by.get("lstm").mean(), 1e-15);
        assertEquals(1, by.get("lstm").standardError(), 1e-15);
        assertEquals(12, by.get("gru").mean(), 1e-15);
        assertEquals(2, by.get("gru").standardError(), 1e-15);
        Map<String, GroupStats.MeanSe[]> curves = GroupStats.elementwiseByGroup(nets, Net::arch, Net::curve);
        assertEquals(3, curves.get("gru")[0].mean(), 1e-15);
        assertEquals(2, curves.get("gru")[1].mean(), 1e-15);
        assertEquals(0, curves.get("gru")[1].standardError(), 0);
    }
}
