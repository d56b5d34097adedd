package org.rnnatlas.spi;

/**
 * The numeric kernels core hands a cell or a metric: single-precision for training, double-precision for the
 * analyses; row-major, allocation-free. Core chooses one
 * implementation at start-up (a scalar reference or a Vector API one; see {@code -Drnnatlas.simd}); a cell calls only
 * these and plain Java, so it never imports {@code jdk.incubator.vector}.
 *
 * <p>Every method works on sub-ranges of arrays given as offset plus length or leading dimension, so cells keep one
 * buffer per sequence and never allocate per step. Implementations are stateless and thread-safe. Results of two
 * implementations agree to rounding, not bit for bit; one implementation is deterministic for given arguments.
 */
public interface Ops {

    /** Short name recorded in provenance, e.g. {@code "panama-512"} or {@code "scalar"}. */
    String name();

    /**
     * General matrix product {@code C = op(A)·op(B)} or, with {@code accumulate}, {@code C += op(A)·op(B)}, where
     * {@code C} is {@code m × n}, {@code op(A)} is {@code m × k} and {@code op(B)} is {@code k × n}.
     * {@code op(A) = A} reads element (i, p) at {@code a[aOff + i*lda + p]}; {@code op(A) = Aᵀ} reads it at
     * {@code a[aOff + p*lda + i]}; likewise for B with (p, j). C's element (i, j) is {@code c[cOff + i*ldc + j]}.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb,
              float[] c, int cOff, int ldc, boolean accumulate);

    /** {@code y[i] = σ(x[i])} for {@code n} elements (may alias). */
    void sigmoid(float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code y[i] = tanh(x[i])}. */
    void tanh(float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code y[i] = max(x[i], 0)}. */
    void relu(float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code y[i] = φ(x[i])}. */
    default void activate(Activation act, float[] x, int xOff, float[] y, int yOff, int n) {
        switch (act) {
            case TANH -> tanh(x, xOff, y, yOff, n);
            case RELU -> relu(x, xOff, y, yOff, n);
        }
    }

    /** {@code dx[i] = dy[i] · y[i](1 − y[i])}, the sigmoid's backward pass given its output y. */
    void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n);

    /** {@code dx[i] = dy[i] · φ'(z)} given φ's output {@code y = φ(z)}: (1 − y²) for tanh, [y &gt; 0] for relu. */
    void activateBackward(Activation act, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n);

    /** {@code y[i] = a[i] · b[i]}. */
    void mul(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n);

    /** {@code y[i] += a[i] · b[i]}. */
    void mulAdd(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n);

    /** {@code y[i] = g[i] · a[i] + (1 − g[i]) · b[i]}, the convex mix of gated cells. */
    void mix(float[] g, int gOff, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n);

    /** Each of {@code rows} rows of C (leading dimension {@code ldc}) is set to (or, with accumulate, increased by) v. */
    void broadcastRows(float[] v, int vOff, float[] c, int cOff, int rows, int n, int ldc, boolean accumulate);

    /** {@code y[j] += Σ_r a[r][j]} over {@code rows} rows of width {@code n} with leading dimension {@code lda}. */
    void sumRows(float[] a, int aOff, int rows, int n, int lda, float[] y, int yOff);

    /** {@code y[i] += alpha · x[i]}. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code Σ x[i]²}, accumulated in double precision. */
    double sumSquares(float[] x, int xOff, int n);

    // ------------------------------------------------------------------ double precision
    // The analyses (fixed points, similarity preparation) run in double precision; these are the same kernels on
    // double arrays. Same layout and argument conventions as the float forms.

    /** {@code C = op(A)·op(B)} (or {@code +=} with {@code accumulate}) in double precision; see the float form. */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              double[] a, int aOff, int lda,
              double[] b, int bOff, int ldb,
              double[] c, int cOff, int ldc, boolean accumulate);

    /** {@code Σ a[aOff + i]·b[bOff + i]} over {@code n} elements, in double precision. */
    double dot(double[] a, int aOff, double[] b, int bOff, int n);

    /** {@code y[i] = σ(x[i])} in double precision (may alias). */
    void sigmoid(double[] x, int xOff, double[] y, int yOff, int n);

    /** {@code y[i] = tanh(x[i])} in double precision (may alias). */
    void tanh(double[] x, int xOff, double[] y, int yOff, int n);

    /** {@code y[i] = max(x[i], 0)} in double precision (may alias). */
    void relu(double[] x, int xOff, double[] y, int yOff, int n);

    /** {@code y[i] = φ(x[i])} in double precision. */
    default void activate(Activation act, double[] x, int xOff, double[] y, int yOff, int n) {
        switch (act) {
            case TANH -> tanh(x, xOff, y, yOff, n);
            case RELU -> relu(x, xOff, y, yOff, n);
        }
    }

    /** {@code t[j][i] = a[i][j]} for an {@code rows × cols} block. */
    default void transpose(float[] a, int aOff, int rows, int cols, int lda, float[] t, int tOff, int ldt) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[tOff + j * ldt + i] = a[aOff + i * lda + j];
            }
        }
    }
}
