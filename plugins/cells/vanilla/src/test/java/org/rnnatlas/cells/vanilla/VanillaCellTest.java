package org.rnnatlas.cells.vanilla;

import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.testkit.CellContract;

class VanillaCellTest extends CellContract {
    @Override
    protected Cell cell() {
        return new VanillaCell();
    }

    /** The batched state VJP reads each row of g before writing that row of gS (see stepBackwardBatch). */
    @Override
    protected boolean batchedStateVjpWorksInPlace() {
        return true;
    }
}
