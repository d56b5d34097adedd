/**
 * Numerics shared by the similarity-metric plugins (svcca, cka, procrustes): the dense double-precision steps of
 * preparation ({@link org.rnnatlas.metrics.support.Dense}, products on the {@link org.rnnatlas.spi.Ops} kernels core
 * hands to {@link org.rnnatlas.spi.SimilarityMetric#prepare(org.rnnatlas.spi.Ops, org.rnnatlas.spi.Representation)},
 * plain loops without them), small spectral solvers ({@link org.rnnatlas.metrics.support.Spectra}) and the tile
 * helpers ({@link org.rnnatlas.metrics.support.Tiles}). Depends on the SPI and ojAlgo, both provided by the host;
 * never on core and never on {@code jdk.incubator.vector} (SIMD is core's kernels' business).
 */
package org.rnnatlas.metrics.support;
