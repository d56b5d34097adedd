package org.rnnatlas.core.train;

import java.util.List;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.ParamBlock;

/**
 * A test-only cell, s' = φ(s W + x U + b), written with only the double-precision methods, so it trains through
 * the default {@link org.rnnatlas.spi.ReferenceCellKernel}. Core's tests must not depend on the cell plugins.
 */
final class TinyCell implements Cell {
    @Override
    public String name() {
        return "tiny";
    }

    @Override
    public int gates() {
        return 1;
    }

    @Override
    public List<ParamBlock> parameters(CellSpec spec) {
        int n = spec.hidden();
        int m = spec.inputs();
        return List.of(ParamBlock.weight("W", n, n, ParamBlock.Role.RECURRENT_WEIGHT, n),
                ParamBlock.weight("U", m, n, ParamBlock.Role.INPUT_WEIGHT, m), ParamBlock.bias("b", n));
    }

    @Override
    public int scratchSize(CellSpec spec) {
        return spec.hidden();
    }

    @Override
    public void step(CellSpec spec, double[] p, double[] s, double[] x, double[] next, double[] scratch) {
        int n = spec.hidden();
        int m = spec.inputs();
        for (int j = 0; j < n; j++) {
            double z = p[n * n + m * n + j];
            for (int i = 0; i < n; i++) {
                z += s[i] * p[i * n + j];
            }
            for (int i = 0; i < m; i++) {
                z += x[i] * p[n * n + i * n + j];
            }
            next[j] = spec.activation().apply(z);
        }
    }

    @Override
    public void stepBackward(CellSpec spec, double[] p, double[] s, double[] x, double[] g, double[] gS, double[] gX,
                             double[] gP, double[] scratch) {
        int n = spec.hidden();
        int m = spec.inputs();
        step(spec, p, s, x, scratch, null);
        for (int j = 0; j < n; j++) {
            scratch[j] = g[j] * spec.activation().derivativeFromOutput(scratch[j]);
        }
        if (gS != null) {
            for (int i = 0; i < n; i++) {
                double v = 0;
                for (int j = 0; j < n; j++) {
                    v += p[i * n + j] * scratch[j];
                }
                gS[i] = v;
            }
        }
        if (gX != null) {
            for (int i = 0; i < m; i++) {
                double v = 0;
                for (int j = 0; j < n; j++) {
                    v += p[n * n + i * n + j] * scratch[j];
                }
                gX[i] = v;
            }
        }
        if (gP != null) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    gP[i * n + j] += s[i] * scratch[j];
                }
                for (int i = 0; i < m; i++) {
                    gP[n * n + i * n + j] += x[i] * scratch[j];
                }
                gP[n * n + m * n + j] += scratch[j];
            }
        }
    }
}
