/**
 * The rnnatlas service-provider interface: the contracts a plugin implements ({@link org.rnnatlas.spi.Cell},
 * {@link org.rnnatlas.spi.Task}, {@link org.rnnatlas.spi.SimilarityMetric}, {@link org.rnnatlas.spi.TopologyMetric})
 * and the immutable values they exchange.
 *
 * <p>Allowed dependencies: the JDK's {@code java.base} only. No ojAlgo, no Jackson, no {@code jdk.incubator.vector}:
 * a cell reaches SIMD kernels through the {@link org.rnnatlas.spi.Ops} that core hands it. Plugin jars take this
 * artifact in {@code provided} scope and never bundle it.
 *
 * <p>Plugins are found with {@link java.util.ServiceLoader}: a jar lists its implementations in
 * {@code META-INF/services/org.rnnatlas.spi.Cell} (and so on), one class name a line; each class is public, has a
 * public no-argument constructor that does no work, and is stateless and thread-safe.
 *
 * <p>Conventions shared by every contract. Matrices are flat arrays in row-major order. A batch of vectors is a
 * matrix with one row per batch element. A sequence is time-major: step {@code t} of a batch of {@code B} vectors of
 * width {@code M} occupies {@code [t*B*M, (t+1)*B*M)}. The equations follow {@code reference/SPEC.md} and the paper's
 * Appendix A, written for row vectors: a pre-activation is {@code z = h W + x U + b}.
 */
package org.rnnatlas.spi;
