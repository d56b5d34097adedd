package org.rnnatlas.core.kernel;

import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Ops;

/**
 * The readable reference implementation of {@link Ops}: plain loops, no blocking. It is the oracle the Vector API
 * kernels are tested against and the fallback when {@code jdk.incubator.vector} is unavailable.
 */
public final class ScalarOps implements Ops {

    public static final ScalarOps INSTANCE = new ScalarOps();

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        int ars = transA ? 1 : lda;
        int acs = transA ? lda : 1;
        int brs = transB ? 1 : ldb;
        int bcs = transB ? ldb : 1;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!accumulate) {
                for (int j = 0; j < n; j++) {
                    c[ci + j] = 0f;
                }
            }
            // i-p-j order: the inner loop runs along a row of C, so that B is read along rows when not transposed
            for (int p = 0; p < k; p++) {
                float aip = a[aOff + i * ars + p * acs];
                int bp = bOff + p * brs;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aip * b[bp + j * bcs];
                }
            }
        }
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) (1.0 / (1.0 + Math.exp(-x[xOff + i])));
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) Math.tanh(x[xOff + i]);
        }
    }

    @Override
    public void relu(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            y[yOff + i] = v > 0f ? v : 0f;
        }
    }

    @Override
    public void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            float s = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * s * (1f - s);
        }
    }

    @Override
    public void activateBackward(Activation act, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        if (act == Activation.TANH) {
            for (int i = 0; i < n; i++) {
                float t = y[yOff + i];
                dx[dxOff + i] = dy[dyOff + i] * (1f - t * t);
            }
        } else {
            for (int i = 0; i < n; i++) {
                dx[dxOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : 0f;
            }
        }
    }

    @Override
    public void mul(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = a[aOff + i] * b[bOff + i];
        }
    }

    @Override
    public void mulAdd(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += a[aOff + i] * b[bOff + i];
        }
    }

    @Override
    public void mix(float[] g, int gOff, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            float gi = g[gOff + i];
            y[yOff + i] = gi * a[aOff + i] + (1f - gi) * b[bOff + i];
        }
    }

    @Override
    public void broadcastRows(float[] v, int vOff, float[] c, int cOff, int rows, int n, int ldc, boolean accumulate) {
        for (int r = 0; r < rows; r++) {
            int o = cOff + r * ldc;
            for (int j = 0; j < n; j++) {
                c[o + j] = accumulate ? c[o + j] + v[vOff + j] : v[vOff + j];
            }
        }
    }

    @Override
    public void sumRows(float[] a, int aOff, int rows, int n, int lda, float[] y, int yOff) {
        for (int r = 0; r < rows; r++) {
            int o = aOff + r * lda;
            for (int j = 0; j < n; j++) {
                y[yOff + j] += a[o + j];
            }
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public double sumSquares(float[] x, int xOff, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            s += v * v;
        }
        return s;
    }

    // ------------------------------------------------------------------ double precision

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                     double[] c, int cOff, int ldc, boolean accumulate) {
        int ars = transA ? 1 : lda;
        int acs = transA ? lda : 1;
        int brs = transB ? 1 : ldb;
        int bcs = transB ? ldb : 1;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!accumulate) {
                for (int j = 0; j < n; j++) {
                    c[ci + j] = 0.0;
                }
            }
            for (int p = 0; p < k; p++) {
                double aip = a[aOff + i * ars + p * acs];
                int bp = bOff + p * brs;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aip * b[bp + j * bcs];
                }
            }
        }
    }

    @Override
    public double dot(double[] a, int aOff, double[] b, int bOff, int n) {
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    @Override
    public void sigmoid(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = 1.0 / (1.0 + Math.exp(-x[xOff + i]));
        }
    }

    @Override
    public void tanh(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.tanh(x[xOff + i]);
        }
    }

    @Override
    public void relu(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            y[yOff + i] = v > 0.0 ? v : 0.0;
        }
    }
}
