package org.rnnatlas.cells.ugrnn;

import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.ParamBlock;
import org.rnnatlas.spi.testkit.CellContract;

class UgrnnCellTest extends CellContract {
    @Override
    protected Cell cell() {
        return new UgrnnCell();
    }

    /** The update-gate bias (the first N entries of b) starts at +1; the candidate's at 0. */
    @Override
    protected double expectedInitialBias(CellSpec spec, ParamBlock block, int index) {
        return index < spec.hidden() ? 1.0 : 0.0;
    }

    /** The batched state VJP reads each row of g before writing that row of gS (see stepBackwardBatch). */
    @Override
    protected boolean batchedStateVjpWorksInPlace() {
        return true;
    }
}
