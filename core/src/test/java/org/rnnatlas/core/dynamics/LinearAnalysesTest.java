package org.rnnatlas.core.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.rnnatlas.core.population.NetworkRecord;
import org.rnnatlas.core.train.Model;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Condition;
import org.rnnatlas.spi.FixedPoint;
import org.rnnatlas.spi.Task;
import org.rnnatlas.spi.TaskShape;
import org.rnnatlas.spi.Trials;

class LinearAnalysesTest {

    /**
     * Two contexts; the probe has one 2-step trial per context. Context 0 visits (0, 0) and (2, 0): centroid (1, 0),
     * spread 1. Context 1 visits (10, 0) and (10, 4): spread 2.
     */
    private static final double[] PROBE = {0, 0, 2, 0, 10, 0, 10, 4};

    private static Task twoContexts() {
        return new Task() {
            @Override
            public String name() {
                return "cdi";
            }

            @Override
            public String description() {
                return "two contexts (test)";
            }

            @Override
            public TaskShape shape() {
                return new TaskShape(1, 1, 2);
            }

            @Override
            public void sample(RandomGenerator rng, int batch, float[] x, float[] y) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Trials probe() {
                return new Trials(2, 2, 1, 1, new float[4], new float[4], Map.of("context", new double[] {0, 1}));
            }

            @Override
            public List<Condition> conditions() {
                return List.of(new Condition("context=0", new double[] {0}), new Condition("context=1",
                        new double[] {1}));
            }
        };
    }

    private static StoredNetwork network() {
        CellSpec spec = new CellSpec(1, 2, Activation.TANH);
        Model model = new Model(new LinearCell(), spec, 1);
        NetworkRecord record = new NetworkRecord(null, "test-net", "cdi", "linear", "tanh", 2, 1, 1, 2, 0, 0, null,
                null, null, 0, 0, 0, 0, 0, 0, 0, List.of(), null, null, null, null);
        return new StoredNetwork(record, model, false, new double[model.parameterCount()], PROBE);
    }

    private static FixedPoint at(int condition, double... s) {
        return new FixedPoint(s, condition, 0, new double[1], new double[2], new double[2], 0);
    }

    @Test
    void nearProbeMeasuresEachPointInSpreadsOfItsOwnContextsProbeStates() {
        List<FixedPoint> points = List.of(
                at(0, 2, 2.9),   // 2.9 from (2, 0): within 3 spreads of context 0 (3 × 1)
                at(0, 2, 3.1),   // 3.1: outside
                at(1, 10, 9.9),  // 5.9 from (10, 4): within 3 × 2
                at(1, 1, 0),     // between context 0's states, but 9 from context 1's: outside
                at(1, 10, 10.5)); // 6.5: outside at 3, inside at 4
        assertArrayEquals(new boolean[] {true, false, true, false, false},
                LinearAnalyses.nearProbe(network(), twoContexts(), points, 3.0));
        assertArrayEquals(new boolean[] {true, true, true, false, true},
                LinearAnalyses.nearProbe(network(), twoContexts(), points, 4.0));
        assertArrayEquals(new boolean[] {true, true, true, true, true},
                LinearAnalyses.nearProbe(network(), twoContexts(), points, Double.POSITIVE_INFINITY));
    }

    @Test
    void nearProbeFactorIsAnOptionWithTheDocumentedDefault() {
        NetworkAnalysis.Options o = new NetworkAnalysis.Options(Map.of(), 0, List.of());
        assertEquals(LinearAnalyses.DEFAULT_CDI_NEAR_PROBE, o.cdiNearProbe());
        assertEquals(3.0, LinearAnalyses.DEFAULT_CDI_NEAR_PROBE);
        assertEquals(5.0, new NetworkAnalysis.Options(Map.of(), 0, List.of(), 5.0).cdiNearProbe());
        assertThrows(IllegalArgumentException.class, () -> new NetworkAnalysis.Options(Map.of(), 0, List.of(), 0));
        assertThrows(IllegalArgumentException.class,
                () -> new NetworkAnalysis.Options(Map.of(), 0, List.of(), Double.NaN));
    }
}
