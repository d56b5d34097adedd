package org.rnnatlas.core.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.ojalgo.matrix.decomposition.Eigenvalue;
import org.ojalgo.matrix.store.R064Store;
import org.rnnatlas.spi.Representation;

class SyntheticRepresentationsTest {

    /** Eigenvalues of the centred Gram matrix XᵀX, descending. */
    private static double[] spectrum(Representation r) {
        int n = r.units();
        int s = r.samples();
        double[] mean = new double[n];
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < n; j++) {
                mean[j] += r.data()[i * n + j] / s;
            }
        }
        double[] g = new double[n * n];
        double[] row = new double[n];
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < n; j++) {
                row[j] = r.data()[i * n + j] - mean[j];
            }
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    g[a * n + b] += row[a] * row[b];
                }
            }
        }
        R064Store m = R064Store.FACTORY.make(n, n);
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                m.set(a, b, g[a * n + b]);
            }
        }
        var evd = Eigenvalue.R064.make(m, true);
        evd.decompose(m);
        double[] v = new double[n];
        evd.getEigenvalues(v, java.util.Optional.empty());
        Arrays.sort(v);
        double[] desc = new double[n];
        for (int i = 0; i < n; i++) {
            desc[i] = v[n - 1 - i];
        }
        return desc;
    }

    @Test
    void shapesAndNinetyFivePercentDimensionAsSpecified() {
        var pop = new SyntheticRepresentations(40, 3);
        for (int i = 0; i < pop.size(); i++) {
            assertTrue(pop.units(i) >= 64 && pop.units(i) <= 256);
            assertTrue(pop.dimension(i) >= 5 && pop.dimension(i) <= 20);
        }
        assertTrue(java.util.stream.IntStream.range(0, 40).map(pop::dimension).distinct().count() > 5);
        for (int i : new int[] {0, 1, 2}) {
            Representation r = pop.get(i);
            assertEquals(6400, r.samples());
            assertEquals(pop.units(i), r.units());
            double[] ev = spectrum(r);
            double total = Arrays.stream(ev).sum();
            // total sum of squares ≈ samples·units
            assertEquals(1.0, total / (6400.0 * r.units()), 0.01);
            int k = pop.dimension(i);
            double head = 0;
            int dim = 0;
            while (head < 0.95 * total) {
                head += ev[dim++];
            }
            assertEquals(k, dim, "network " + i);
            // the noise floor: everything past the signal carries about 1% of the variance
            double tail = 0;
            for (int j = k; j < ev.length; j++) {
                tail += ev[j];
            }
            assertEquals(0.01, tail / total, 0.003);
        }
    }

    @Test
    void deterministicPerSeedAndIndex() {
        var a = new SyntheticRepresentations(5, 100, 2, 7);
        var b = new SyntheticRepresentations(5, 100, 2, 7);
        assertEquals(a.ids(), b.ids());
        assertArrayEquals(a.get(3).data(), b.get(3).data());
        // order of generation does not matter
        b.get(4);
        assertArrayEquals(a.get(2).data(), b.load(b.ids().get(2)).data());
        var c = new SyntheticRepresentations(5, 100, 2, 8);
        assertNotEquals(Arrays.hashCode(a.get(0).data()), Arrays.hashCode(c.get(0).data()));
    }
}
