package org.rnnatlas.core.dynamics;

import java.util.List;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.ParamBlock;

/**
 * A test-only map {@code s' = tanh(W s)} (column convention, W row-major S×S; the input is ignored). It uses the
 * default {@link Cell#stateJacobian}, assembled from {@link #stepBackward}: {@code J[i][j] = (1 − s'_i²) W[i][j]}.
 */
final class TanhMapCell implements Cell {
    @Override
    public String name() {
        return "tanh-map";
    }

    @Override
    public int gates() {
        return 1;
    }

    @Override
    public List<ParamBlock> parameters(CellSpec spec) {
        int n = spec.hidden();
        return List.of(ParamBlock.weight("W", n, n, ParamBlock.Role.RECURRENT_WEIGHT, n));
    }

    @Override
    public int scratchSize(CellSpec spec) {
        return spec.hidden();
    }

    @Override
    public void step(CellSpec spec, double[] p, double[] s, double[] x, double[] next, double[] scratch) {
        int n = spec.hidden();
        for (int i = 0; i < n; i++) {
            double z = 0;
            for (int j = 0; j < n; j++) {
                z += p[i * n + j] * s[j];
            }
            next[i] = Math.tanh(z);
        }
    }

    @Override
    public void stepBackward(CellSpec spec, double[] p, double[] s, double[] x, double[] g, double[] gS, double[] gX,
                             double[] gP, double[] scratch) {
        if (gX != null || gP != null) {
            throw new UnsupportedOperationException("tanh-map: only the state gradient is implemented");
        }
        int n = spec.hidden();
        step(spec, p, s, x, scratch, null);
        for (int i = 0; i < n; i++) {
            scratch[i] = g[i] * (1.0 - scratch[i] * scratch[i]);
        }
        for (int j = 0; j < n; j++) {
            double v = 0;
            for (int i = 0; i < n; i++) {
                v += p[i * n + j] * scratch[i];
            }
            gS[j] = v;
        }
    }
}
