package org.rnnatlas.cells.lstm;

import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.ParamBlock;
import org.rnnatlas.spi.testkit.CellContract;

class LstmCellTest extends CellContract {
    @Override
    protected Cell cell() {
        return new LstmCell();
    }

    /** The forget-gate bias (entries N..2N of b) starts at +1; input, output and candidate biases at 0. */
    @Override
    protected double expectedInitialBias(CellSpec spec, ParamBlock block, int index) {
        int n = spec.hidden();
        return index >= n && index < 2 * n ? 1.0 : 0.0;
    }

    /** The batched state VJP reads each row of g before writing that row of gS (see stepBackwardBatch). */
    @Override
    protected boolean batchedStateVjpWorksInPlace() {
        return true;
    }
}
