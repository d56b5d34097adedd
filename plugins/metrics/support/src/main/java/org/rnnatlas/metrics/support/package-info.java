/**
 * Numerics shared by the similarity-metric plugins (svcca, cka, procrustes): double-precision preparation kernels
 * ({@link org.rnnatlas.metrics.support.Dense}) and small spectral solvers
 * ({@link org.rnnatlas.metrics.support.Spectra}). Depends on the SPI and ojAlgo, both provided by the host.
 *
 * <p>Known debt: {@code Dense} uses {@code jdk.incubator.vector} directly (with a scalar fallback) because
 * {@link org.rnnatlas.spi.SimilarityMetric#prepare} receives no {@link org.rnnatlas.spi.Ops}; the plan is a
 * double-precision surface on {@code Ops} and a {@code prepare(Ops, Representation)} form, so that only core's
 * kernel package touches the Vector API.
 */
package org.rnnatlas.metrics.support;
