/**
 * Code shared by the topology-metric plugins (SPEC §6): the readout order of fixed points, the perturbation runs that
 * give transition probabilities, the choice of one point per sine condition and of readout-quantile points on a CDI
 * line attractor, an O(n³) assignment solver, the Frobenius distance and option parsing.
 *
 * <p>Allowed dependencies: {@code rnnatlas-spi} (provided) and the JDK. No services are registered here; the plugin
 * jars that depend on this one do that.
 */
package org.rnnatlas.topology.support;
