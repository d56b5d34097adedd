/**
 * Representational geometry of a population (SPEC §4): loading representations from a store
 * ({@link org.rnnatlas.core.geometry.Representations}), the resumable tiled all-pairs distance engine
 * ({@link org.rnnatlas.core.geometry.AllPairs}), its on-disk matrices ({@link org.rnnatlas.core.geometry.DistanceMatrix}),
 * classical and SMACOF MDS ({@link org.rnnatlas.core.geometry.Mds}) and a synthetic population for scale tests
 * ({@link org.rnnatlas.core.geometry.SyntheticRepresentations}).
 *
 * <p>Allowed dependencies: the JDK, {@code org.rnnatlas.spi}, {@code org.rnnatlas.core.io},
 * {@code org.rnnatlas.core.population} (store layout, records, progress), {@code org.rnnatlas.core.BuildInfo},
 * Jackson (through {@code core.io.Json}) and ojAlgo. Metrics are reached only through
 * {@link org.rnnatlas.spi.SimilarityMetric}; this package never names a metric plugin.
 */
package org.rnnatlas.core.geometry;
