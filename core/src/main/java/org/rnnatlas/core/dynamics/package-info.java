/**
 * Dynamics of one trained network (SPEC §5): the fixed-point finder ({@link org.rnnatlas.core.dynamics.FixedPointFinder}:
 * joint Adam on q, then per-candidate Newton / Levenberg–Marquardt refinement, tolerance filter, de-duplication,
 * outlier removal, slow points reported separately) and the linearisation at a point
 * ({@link org.rnnatlas.core.dynamics.Linearisation}: closed-form Jacobian from the cell, general real
 * eigendecomposition with complex eigenvalues, right and left eigenvectors, stability, time constants).
 *
 * <p>Everything works for any {@link org.rnnatlas.spi.Cell} through its double-precision methods
 * ({@code step}, {@code stepBackward}, {@code stateJacobian}); the LSTM's state [h; c] is handled like any other
 * state of {@code stateSize} entries.
 *
 * <p>Allowed dependencies: the JDK, {@code org.rnnatlas.spi} and ojAlgo (eigendecomposition only). This package
 * names no cell or task plugin and does no I/O: the CLI reads stores and writes results.
 */
package org.rnnatlas.core.dynamics;
