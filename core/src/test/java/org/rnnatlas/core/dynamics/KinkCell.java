package org.rnnatlas.core.dynamics;

import java.util.List;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.ParamBlock;

/**
 * A test-only piecewise-linear 1-unit map written with relus, like a relu network:
 * {@code s' = a·relu(s) − b·relu(−s) + c} (parameters a, b, c; the input is ignored). On each side of the kink at
 * 0 it is affine, so Newton is exact within a piece. With a = 2, b = 0, c = ε &gt; 0 it has no fixed point
 * ({@code s' − s = ε + |s|} ≥ ε) and q has its minimum ½ε² at the kink; with a = 0.5, b = 0, c = 0.3 its one fixed
 * point is 0.6. The derivative at the kink is taken from the left (relu'(0) = 0), as the cells do.
 */
final class KinkCell implements Cell {
    @Override
    public String name() {
        return "kink";
    }

    @Override
    public int gates() {
        return 1;
    }

    @Override
    public List<ParamBlock> parameters(CellSpec spec) {
        return List.of(ParamBlock.bias("abc", 3));
    }

    @Override
    public void step(CellSpec spec, double[] p, double[] s, double[] x, double[] next, double[] scratch) {
        next[0] = p[0] * Math.max(s[0], 0) - p[1] * Math.max(-s[0], 0) + p[2];
    }

    @Override
    public void stepBackward(CellSpec spec, double[] p, double[] s, double[] x, double[] g, double[] gS, double[] gX,
                             double[] gP, double[] scratch) {
        if (gX != null || gP != null) {
            throw new UnsupportedOperationException("kink: only the state gradient is implemented");
        }
        gS[0] = g[0] * (s[0] > 0 ? p[0] : s[0] < 0 ? p[1] : 0.0);
    }
}
