package org.rnnatlas.cells.gru;

import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.ParamBlock;
import org.rnnatlas.spi.testkit.CellContract;

class GruCellTest extends CellContract {
    @Override
    protected Cell cell() {
        return new GruCell();
    }

    /** Update and reset gate biases (the first 2N entries of b) start at +1; the candidate's at 0. */
    @Override
    protected double expectedInitialBias(CellSpec spec, ParamBlock block, int index) {
        return index < 2 * spec.hidden() ? 1.0 : 0.0;
    }

    /** The batched state VJP reads each row of g before writing that row of gS (see stepBackwardBatch). */
    @Override
    protected boolean batchedStateVjpWorksInPlace() {
        return true;
    }
}
