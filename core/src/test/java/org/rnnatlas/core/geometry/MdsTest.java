package org.rnnatlas.core.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.io.Npy;

class MdsTest {
    @TempDir
    Path dir;

    /** n points in {@code dims} dimensions, centred, with distinct spreads per axis. */
    private static double[] points(long seed, int n, int dims, double... spread) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] p = new double[n * dims];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < dims; k++) {
                p[i * dims + k] = spread[k] * r.nextGaussian();
            }
        }
        for (int k = 0; k < dims; k++) {
            double m = 0;
            for (int i = 0; i < n; i++) {
                m += p[i * dims + k];
            }
            for (int i = 0; i < n; i++) {
                p[i * dims + k] -= m / n;
            }
        }
        return p;
    }

    private static double[] distances(double[] p, int n, int dims) {
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < dims; k++) {
                    double diff = p[i * dims + k] - p[j * dims + k];
                    s += diff * diff;
                }
                d[i * n + j] = Math.sqrt(s);
            }
        }
        return d;
    }

    /** Eigenvalues of the 2×2 scatter matrix Σ p pᵀ of centred planar points, descending. */
    private static double[] scatterEigenvalues(double[] p, int n) {
        double a = 0;
        double b = 0;
        double c = 0;
        for (int i = 0; i < n; i++) {
            a += p[2 * i] * p[2 * i];
            b += p[2 * i] * p[2 * i + 1];
            c += p[2 * i + 1] * p[2 * i + 1];
        }
        double mid = (a + c) / 2;
        double rad = Math.sqrt((a - c) * (a - c) / 4 + b * b);
        return new double[] {mid + rad, mid - rad};
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void recoversAPlanarConfigurationUpToRotationAndReflection(boolean lanczos) {
        int n = 60;
        double[] p = points(1, n, 2, 3.0, 1.0);
        double[] d = distances(p, n, 2);
        Mds.Embedding e = Mds.classical(d, n, 2, lanczos);
        assertTrue(e.converged());
        // distances preserved ⇔ same configuration up to an orthogonal map (both are centred)
        double[] got = distances(e.coordinates(), n, 2);
        for (int i = 0; i < d.length; i++) {
            assertEquals(d[i], got[i], 1e-9 * 10);
        }
        assertEquals(0.0, e.stress(), 1e-9);
        // B = P Pᵀ, whose non-zero eigenvalues are those of Pᵀ P; they exhaust the trace
        double[] ev = scatterEigenvalues(p, n);
        assertEquals(ev[0], e.eigenvalues()[0], 1e-9 * ev[0]);
        assertEquals(ev[1], e.eigenvalues()[1], 1e-9 * ev[0]);
        double[] prop = e.varianceProportion();
        assertEquals(1.0, prop[0] + prop[1], 1e-12);
        assertTrue(prop[0] > prop[1]);
        // and the embedding's axes are the principal axes: coordinates uncorrelated, variances = eigenvalues
        double xy = 0;
        for (int i = 0; i < n; i++) {
            xy += e.coordinate(i, 0) * e.coordinate(i, 1);
        }
        assertEquals(0.0, xy, 1e-8 * ev[0]);
    }

    @Test
    void signConventionLargestMagnitudeCoordinatePositiveAndReflectionInvariant() {
        int n = 30;
        double[] p = points(2, n, 2, 2.0, 1.0);
        Mds.Embedding e = Mds.classical(distances(p, n, 2), n);
        for (int k = 0; k < 2; k++) {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (Math.abs(e.coordinate(i, k)) > Math.abs(e.coordinate(best, k))) {
                    best = i;
                }
            }
            assertTrue(e.coordinate(best, k) > 0, "axis " + k);
        }
        double[] mirrored = p.clone();
        for (int i = 0; i < n; i++) {
            mirrored[2 * i] = -mirrored[2 * i];
            double x = mirrored[2 * i];
            mirrored[2 * i] = 0.6 * x - 0.8 * mirrored[2 * i + 1];
            mirrored[2 * i + 1] = 0.8 * x + 0.6 * mirrored[2 * i + 1];
        }
        Mds.Embedding m = Mds.classical(distances(mirrored, n, 2), n);
        assertArrayEquals(e.coordinates(), m.coordinates(), 1e-9);
    }

    /** A non-Euclidean matrix: 5-D points, distances distorted by a concave map and symmetric noise. */
    private static double[] nonEuclidean(int n, long seed) {
        double[] d = distances(points(seed, n, 5, 3, 2, 1.5, 1, 0.5), n, 5);
        SplittableRandom r = new SplittableRandom(seed + 1);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double v = Math.sqrt(d[i * n + j]) * (1 + 0.2 * r.nextDouble());
                d[i * n + j] = v;
                d[j * n + i] = v;
            }
        }
        return d;
    }

    @Test
    void lanczosAgreesWithTheDenseEigendecomposition() {
        int n = 150;
        double[] d = nonEuclidean(n, 3);
        Mds.Embedding dense = Mds.classical(d, n, 2, false);
        Mds.Embedding lanczos = Mds.classical(d, n, 2, true);
        assertTrue(lanczos.converged());
        assertArrayEquals(dense.eigenvalues(), lanczos.eigenvalues(), 1e-9 * dense.eigenvalues()[0]);
        assertArrayEquals(dense.coordinates(), lanczos.coordinates(), 1e-7);
        assertEquals(Mds.trace(d, n), dense.trace(), 0);
        // non-Euclidean: B has negative eigenvalues, so the top two explain less than everything
        assertTrue(dense.varianceProportion()[0] + dense.varianceProportion()[1] < 1);
    }

    @Test
    void smacofStressIsNoHigherThanClassicalOnANonEuclideanMatrix() {
        int n = 80;
        double[] d = nonEuclidean(n, 4);
        Mds.Embedding c = Mds.classical(d, n);
        Mds.Embedding s = Mds.smacof(d, n);
        assertEquals("smacof", s.method());
        assertTrue(s.iterations() > 0);
        assertTrue(c.stress() > 0.01, "the matrix should not embed exactly: " + c.stress());
        assertTrue(s.rawStress() < c.rawStress(), s.rawStress() + " vs " + c.rawStress());
        assertTrue(s.stress() <= c.stress(), s.stress() + " vs " + c.stress());
        assertEquals(c.stress(), s.classicalStress());
        assertEquals(s.stress(), Mds.kruskalStress(d, n, s.coordinates(), 2), 1e-15);
        // on an exactly planar matrix SMACOF keeps the exact solution
        double[] p = points(5, 20, 2, 1.0, 0.5);
        Mds.Embedding exact = Mds.smacof(distances(p, 20, 2), 20);
        assertEquals(0.0, exact.stress(), 1e-9);
    }

    @Test
    void writesNpyAndSidecar() throws Exception {
        int n = 12;
        double[] d = nonEuclidean(n, 6);
        Mds.Embedding s = Mds.smacof(d, n);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("net-" + i);
        }
        Mds.write(s, ids, dir, "mds-smacof", Map.of("distances", "svcca.npy"));
        Npy.Array a = Npy.read(dir.resolve("mds-smacof.npy"));
        assertArrayEquals(new int[] {n, 2}, a.shape());
        assertArrayEquals(s.coordinates(), a.data());
        JsonNode j = Json.LENIENT.readTree(dir.resolve("mds-smacof.json").toFile());
        assertEquals(Mds.FORMAT, j.get("format").asText());
        assertEquals("smacof", j.get("method").asText());
        assertEquals("net-3", j.get("ids").get(3).asText());
        assertEquals(s.stress(), j.get("stress").asDouble());
        assertEquals(s.eigenvalues()[1], j.get("eigenvalues").get(1).asDouble());
        assertEquals("svcca.npy", j.get("source").get("distances").asText());
        assertThrows(GeometryException.class, () -> Mds.write(s, ids.subList(0, 3), dir, "x", Map.of()));
    }

    @Test
    void refusesMatricesThatAreNotDistances() {
        assertThrows(GeometryException.class, () -> Mds.classical(new double[] {0, 1, 2, 0}, 2));
        assertThrows(GeometryException.class, () -> Mds.classical(new double[] {0, 1, 1, 0.5}, 2));
        assertThrows(GeometryException.class, () -> Mds.classical(new double[] {0, Double.NaN, Double.NaN, 0}, 2));
        assertThrows(GeometryException.class, () -> Mds.classical(new double[] {0, 1, 1}, 2));
        var e = Mds.classical(new double[] {0, 1, 1, 0}, 2);
        assertEquals(1.0, Math.abs(e.coordinate(0, 0) - e.coordinate(1, 0)), 1e-12);
        assertEquals(0.0, e.coordinate(0, 1), 1e-12);
    }
}
