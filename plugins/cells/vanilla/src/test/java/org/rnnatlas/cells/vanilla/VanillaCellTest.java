package org.rnnatlas.cells.vanilla;

import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.testkit.CellContract;

class VanillaCellTest extends CellContract {
    @Override
    protected Cell cell() {
        return new VanillaCell();
    }
}
