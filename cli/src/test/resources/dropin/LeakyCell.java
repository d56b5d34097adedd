package org.example.leaky;

import java.util.List;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.ParamBlock;

/**
 * A third-party cell, compiled and packaged by DropInPluginTest at test time against the SPI jar alone:
 * s' = (1 - a) s + a * phi(s W + x U + b) with a = 0.5. It gives only the double-precision step and its
 * backward pass; rnnatlas trains it through the SPI's default reference kernel.
 */
public final class LeakyCell implements Cell {
    private static final double A = 0.5;

    @Override
    public String name() {
        return "leaky";
    }

    @Override
    public String description() {
        return "leaky integrator cell (test plugin)";
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
        return 2 * spec.hidden();
    }

    private static void candidate(CellSpec spec, double[] p, double[] s, double[] x, double[] c) {
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
            c[j] = spec.activation().apply(z);
        }
    }

    @Override
    public void step(CellSpec spec, double[] p, double[] s, double[] x, double[] next, double[] scratch) {
        candidate(spec, p, s, x, scratch);
        for (int j = 0; j < spec.hidden(); j++) {
            next[j] = (1 - A) * s[j] + A * scratch[j];
        }
    }

    @Override
    public void stepBackward(CellSpec spec, double[] p, double[] s, double[] x, double[] g, double[] gS,
                             double[] gX, double[] gP, double[] scratch) {
        int n = spec.hidden();
        int m = spec.inputs();
        candidate(spec, p, s, x, scratch);
        for (int j = 0; j < n; j++) {
            scratch[n + j] = A * g[j] * spec.activation().derivativeFromOutput(scratch[j]);
        }
        if (gS != null) {
            for (int i = 0; i < n; i++) {
                double v = (1 - A) * g[i];
                for (int j = 0; j < n; j++) {
                    v += p[i * n + j] * scratch[n + j];
                }
                gS[i] = v;
            }
        }
        if (gX != null) {
            for (int i = 0; i < m; i++) {
                double v = 0;
                for (int j = 0; j < n; j++) {
                    v += p[n * n + i * n + j] * scratch[n + j];
                }
                gX[i] = v;
            }
        }
        if (gP != null) {
            for (int j = 0; j < n; j++) {
                double d = scratch[n + j];
                for (int i = 0; i < n; i++) {
                    gP[i * n + j] += s[i] * d;
                }
                for (int i = 0; i < m; i++) {
                    gP[n * n + i * n + j] += x[i] * d;
                }
                gP[n * n + m * n + j] += d;
            }
        }
    }
}
