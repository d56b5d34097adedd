package org.rnnatlas.core.dynamics;

import java.util.List;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.ParamBlock;

/**
 * {@link TanhMapCell}'s map {@code s' = tanh(W s)} with its own batched methods on {@link Ops} products, as the
 * built-in cells have: {@code S' = tanh(S·Wᵀ)} and {@code G_S = (G ⊙ (1 − S'²))·W}. The row-by-row defaults of
 * {@link Cell} are not used, so the finder's batched Adam runs a different code path than for TanhMapCell.
 */
final class BatchedTanhMapCell implements Cell {
    private final TanhMapCell rows = new TanhMapCell();

    @Override
    public String name() {
        return "batched-tanh-map";
    }

    @Override
    public int gates() {
        return 1;
    }

    @Override
    public List<ParamBlock> parameters(CellSpec spec) {
        return rows.parameters(spec);
    }

    @Override
    public int scratchSize(CellSpec spec) {
        return rows.scratchSize(spec);
    }

    @Override
    public void step(CellSpec spec, double[] p, double[] s, double[] x, double[] next, double[] scratch) {
        rows.step(spec, p, s, x, next, scratch);
    }

    @Override
    public void stepBackward(CellSpec spec, double[] p, double[] s, double[] x, double[] g, double[] gS, double[] gX,
                             double[] gP, double[] scratch) {
        rows.stepBackward(spec, p, s, x, g, gS, gX, gP, scratch);
    }

    @Override
    public int batchScratchSize(CellSpec spec, int batch) {
        return batch * spec.hidden();
    }

    @Override
    public void stepBatch(CellSpec spec, Ops ops, double[] p, int batch, double[] s, double[] x, double[] sNext,
                          double[] scratch) {
        int n = spec.hidden();
        ops.gemm(false, true, batch, n, n, s, 0, n, p, 0, n, sNext, 0, n, false);
        ops.tanh(sNext, 0, sNext, 0, batch * n);
    }

    @Override
    public void stepBackwardBatch(CellSpec spec, Ops ops, double[] p, int batch, double[] s, double[] x,
                                  double[] g, double[] gS, double[] scratch) {
        int n = spec.hidden();
        ops.gemm(false, true, batch, n, n, s, 0, n, p, 0, n, scratch, 0, n, false);
        ops.tanh(scratch, 0, scratch, 0, batch * n);
        for (int i = 0; i < batch * n; i++) {
            scratch[i] = g[i] * (1.0 - scratch[i] * scratch[i]);
        }
        ops.gemm(false, false, batch, n, n, scratch, 0, n, p, 0, n, gS, 0, n, false);
    }
}
