package org.rnnatlas.core.dynamics;

import java.util.List;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.ParamBlock;

/**
 * A test-only affine map {@code s' = A s + B x + c} (column convention: {@code A} is S×S row-major with
 * {@code A[i][j] = ∂s'_i/∂s_j}, B is S×M, c has S entries). Its one fixed point is {@code (I − A)⁻¹ (B x + c)} and its
 * Jacobian is A everywhere, so every answer is known in closed form. With {@code memory} the state has 2N entries
 * (like the LSTM's [h; c]) and A, B, c are sized by S = 2N.
 */
final class LinearCell implements Cell {
    private final boolean memory;

    LinearCell() {
        this(false);
    }

    LinearCell(boolean memory) {
        this.memory = memory;
    }

    @Override
    public int stateSize(CellSpec spec) {
        return memory ? 2 * spec.hidden() : spec.hidden();
    }

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public int gates() {
        return 1;
    }

    @Override
    public List<ParamBlock> parameters(CellSpec spec) {
        int n = stateSize(spec);
        int m = spec.inputs();
        return List.of(ParamBlock.weight("A", n, n, ParamBlock.Role.RECURRENT_WEIGHT, n),
                ParamBlock.weight("B", n, m, ParamBlock.Role.INPUT_WEIGHT, m), ParamBlock.bias("c", n));
    }

    /** Packs A, B and c into a parameter vector. */
    static double[] params(double[][] a, double[][] b, double[] c) {
        int n = c.length;
        int m = b[0].length;
        double[] p = new double[n * n + n * m + n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                p[i * n + j] = a[i][j];
            }
            for (int j = 0; j < m; j++) {
                p[n * n + i * m + j] = b[i][j];
            }
            p[n * n + n * m + i] = c[i];
        }
        return p;
    }

    @Override
    public void step(CellSpec spec, double[] p, double[] s, double[] x, double[] next, double[] scratch) {
        int n = stateSize(spec);
        int m = spec.inputs();
        for (int i = 0; i < n; i++) {
            double v = p[n * n + n * m + i];
            for (int j = 0; j < n; j++) {
                v += p[i * n + j] * s[j];
            }
            for (int j = 0; j < m; j++) {
                v += p[n * n + i * m + j] * x[j];
            }
            next[i] = v;
        }
    }

    @Override
    public void stepBackward(CellSpec spec, double[] p, double[] s, double[] x, double[] g, double[] gS, double[] gX,
                             double[] gP, double[] scratch) {
        int n = stateSize(spec);
        int m = spec.inputs();
        if (gS != null) {
            for (int j = 0; j < n; j++) {
                double v = 0;
                for (int i = 0; i < n; i++) {
                    v += p[i * n + j] * g[i];
                }
                gS[j] = v;
            }
        }
        if (gX != null) {
            for (int j = 0; j < m; j++) {
                double v = 0;
                for (int i = 0; i < n; i++) {
                    v += p[n * n + i * m + j] * g[i];
                }
                gX[j] = v;
            }
        }
        if (gP != null) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    gP[i * n + j] += g[i] * s[j];
                }
                for (int j = 0; j < m; j++) {
                    gP[n * n + i * m + j] += g[i] * x[j];
                }
                gP[n * n + n * m + i] += g[i];
            }
        }
    }

    @Override
    public void stateJacobian(CellSpec spec, double[] p, double[] s, double[] x, double[] jac, double[] scratch) {
        int n = stateSize(spec);
        System.arraycopy(p, 0, jac, 0, n * n);
    }
}
