package org.rnnatlas.metrics.cka;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnnatlas.core.geometry.SyntheticRepresentations;
import org.rnnatlas.spi.Representation;

/**
 * The per-pair truncation interval with the spectral bounds: on low-rank signal plus isotropic noise (the synthetic
 * population) it still holds the exact CKA and is much narrower than ε_a + ε_b.
 */
class CkaTruncationWidthTest {

    @Test
    void spectralBoundsNarrowTheIntervalAndItStillHoldsTheExactValue() {
        SyntheticRepresentations pop = new SyntheticRepresentations(8, 1600, 2, 11);
        CkaMetric truncated = new CkaMetric();
        CkaMetric exact = truncated.configure(Map.of("tolerance", "0"));
        CkaMetric.Features[] t = new CkaMetric.Features[pop.size()];
        CkaMetric.Features[] e = new CkaMetric.Features[pop.size()];
        for (int i = 0; i < pop.size(); i++) {
            Representation r = pop.get(i);
            t[i] = truncated.prepare(r);
            e[i] = exact.prepare(r);
            assertTrue(t[i].r() < r.units() / 2, "noise components dropped: r = " + t[i].r() + " of " + r.units());
        }
        for (int i = 0; i < pop.size(); i++) {
            for (int j = i + 1; j < pop.size(); j++) {
                double norms = t[i].normK() * t[j].normK();
                double w = CkaMetric.width(t[i], t[j], norms);
                double sum = t[i].eps() + t[j].eps();
                assertTrue(w > 0 && w <= 0.8 * sum, "width " + w + " vs eps_a + eps_b = " + sum);
                double d = truncated.distance(t[i], t[j]);
                double de = exact.distance(e[i], e[j]);
                // the reported distance is the interval's middle: within w/2 of the exact one (+ float rounding)
                assertTrue(Math.abs(d - de) <= 0.5 * w + 1e-6, "(" + i + ", " + j + "): truncated " + d + ", exact "
                        + de + ", half width " + 0.5 * w);
            }
        }
    }
}
