package org.rnnatlas.metrics.support;

/**
 * The bookkeeping of a metric's tile form: argument checks, column offsets of stacked networks, and the two
 * stackings of prepared bases that let one gemm compute every block of a tile. A prepared basis here is
 * {@code width × samples}, row-major (its rows are the basis vectors over the samples).
 */
public final class Tiles {
    private Tiles() {
    }

    /**
     * Checks that {@code out} holds an {@code rows × cols} tile; returns false when the tile is empty and there is
     * nothing to compute.
     */
    public static boolean checkOut(int rows, int cols, double[] out) {
        if (out.length < rows * cols) {
            throw new IllegalArgumentException("out has " + out.length + " entries, a " + rows + "x" + cols
                    + " tile needs " + rows * cols);
        }
        return rows > 0 && cols > 0;
    }

    /** Two networks compared by {@code metric} must have been probed on the same samples. */
    public static void checkSamples(String metric, int a, int b) {
        if (a != b) {
            throw new IllegalArgumentException(metric + ": the two representations have different numbers of samples ("
                    + a + " vs " + b + "); networks must be probed on the same probe set");
        }
    }

    /** Prefix sums of the widths: network n's columns are {@code [off[n], off[n+1])}. */
    public static int[] offsets(int[] widths) {
        int[] off = new int[widths.length + 1];
        for (int i = 0; i < widths.length; i++) {
            off[i + 1] = off[i] + widths[i];
        }
        return off;
    }

    /** The bases one after another: a {@code (Σ width × samples)} row-major matrix. */
    public static float[] stackRows(float[][] bases, int[] off, int samples) {
        float[] a = new float[off[bases.length] * samples];
        for (int n = 0; n < bases.length; n++) {
            System.arraycopy(bases[n], 0, a, off[n] * samples, (off[n + 1] - off[n]) * samples);
        }
        return a;
    }

    /** The bases transposed side by side: a {@code (samples × Σ width)} row-major matrix, in blocks of 64 samples. */
    public static float[] stackColumns(float[][] bases, int[] off, int samples) {
        int w = off[bases.length];
        float[] b = new float[samples * w];
        for (int i0 = 0; i0 < samples; i0 += 64) {
            int i1 = Math.min(samples, i0 + 64);
            for (int n = 0; n < bases.length; n++) {
                float[] basis = bases[n];
                for (int j = 0; j < off[n + 1] - off[n]; j++) {
                    int col = off[n] + j;
                    int row = j * samples;
                    for (int i = i0; i < i1; i++) {
                        b[i * w + col] = basis[row + i];
                    }
                }
            }
        }
        return b;
    }

    /** Rows of C per gemm: one product per chunk of row networks at most this tall (~20% faster than 3,200 here). */
    public static final int ROW_CHUNK = 1600;

    /** The end (exclusive) of the chunk of row networks starting at {@code i0}: at least one network. */
    public static int rowChunkEnd(int[] rOff, int i0, int nr) {
        int i1 = i0 + 1;
        while (i1 < nr && rOff[i1 + 1] - rOff[i0] <= ROW_CHUNK) {
            i1++;
        }
        return i1;
    }

    /** Clamps to [0, 1]. */
    public static double clip01(double d) {
        return d < 0.0 ? 0.0 : (d > 1.0 ? 1.0 : d);
    }
}
