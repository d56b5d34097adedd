/**
 * Optional scaffolding for cell plugins, so that a cell states only its own equations: {@link
 * org.rnnatlas.spi.support.FusedCell} (the accessors of a cell whose parameters are the fused {@code [W; U; b]}
 * layout), {@link org.rnnatlas.spi.support.FusedCellKernel} (the single-precision training kernel of such a cell),
 * {@link org.rnnatlas.spi.support.FusedLayout} (the layout and its row-major products in double precision) and
 * {@link org.rnnatlas.spi.support.CellArgs} (argument checks with uniform messages).
 *
 * <p>Nothing here is required: a {@link org.rnnatlas.spi.Cell} may implement {@link org.rnnatlas.spi.CellKernel}
 * directly. Like the rest of the SPI, these classes depend on {@code java.base} only and reach SIMD kernels through
 * the {@link org.rnnatlas.spi.Ops} core hands the cell; they hold no global state.
 */
package org.rnnatlas.spi.support;
