package org.rnnatlas.core.dynamics;

import java.util.List;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.ParamBlock;

/**
 * A test-only 2-unit map with a slow point and no fixed point: {@code s₁' = s₁ + ε + s₁²}, {@code s₂' = s₂ / 2}.
 * Since {@code s₁' − s₁ = ε + s₁² > 0}, nothing is fixed; {@code q = ½[(ε + s₁²)² + s₂²/4]} has its minimum
 * {@code ½ε²} at the origin. The single parameter is ε.
 */
final class DriftCell implements Cell {
    @Override
    public String name() {
        return "drift";
    }

    @Override
    public int gates() {
        return 1;
    }

    @Override
    public List<ParamBlock> parameters(CellSpec spec) {
        return List.of(ParamBlock.bias("eps", 1));
    }

    @Override
    public void step(CellSpec spec, double[] p, double[] s, double[] x, double[] next, double[] scratch) {
        next[0] = s[0] + p[0] + s[0] * s[0];
        next[1] = 0.5 * s[1];
    }

    @Override
    public void stepBackward(CellSpec spec, double[] p, double[] s, double[] x, double[] g, double[] gS, double[] gX,
                             double[] gP, double[] scratch) {
        if (gX != null || gP != null) {
            throw new UnsupportedOperationException("drift: only the state gradient is implemented");
        }
        double g0 = g[0];
        double g1 = g[1];
        gS[0] = g0 * (1.0 + 2.0 * s[0]);
        gS[1] = 0.5 * g1;
    }
}
