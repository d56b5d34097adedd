package org.rnnatlas.benchmarks.geometry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rnnatlas.core.geometry.AllPairs;
import org.rnnatlas.core.geometry.SyntheticRepresentations;
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.spi.Representation;
import org.rnnatlas.spi.SimilarityMetric;

/**
 * The all-pairs engine end to end over a synthetic population ({@link SyntheticRepresentations}: units 64–256,
 * 95%-variance dimension 5–20, 1% isotropic noise): generate and prepare every network, compute the upper triangle
 * in tiles, write the tiles and assemble the {@code .npy} matrix. One invocation is one whole matrix.
 *
 * <p>{@code metric=features} is a built-in cheap metric (8 normalised energy features per network, Euclidean), so
 * with few samples the time is the engine's own overhead: tiling, tile files, assembly. {@code metric=svcca} (or any
 * other installed name) is looked up through {@link ServiceLoader} and needs its plugin jar on the class path; the
 * benchmark compiles and the other configurations run without it. Generating a network is included in "prepare"
 * (tens of ms for 6,400 samples, comparable to an SVD); the engine reports its phases on stdout.
 *
 * <pre>
 * HOW TO RUN
 *   export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
 *   mvn -B -q -pl benchmarks package -DskipTests           # core installed first: mvn -B -q -pl spi,core install -DskipTests
 *   # engine overhead, 2,880 networks, 4.1 M pairs, one thread:
 *   $JAVA_HOME/bin/java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar AllPairsBenchmark \
 *       -p metric=features -p networks=2880 -p samples=64 -p threads=1 -f 1 -wi 1 -i 3
 *   # the real SVCCA metric at paper scale (6,400 samples), with its plugin jar on the class path:
 *   $JAVA_HOME/bin/java --add-modules jdk.incubator.vector \
 *       -cp benchmarks/target/benchmarks.jar:plugins/metrics/svcca/target/rnnatlas-metric-svcca-0.1.0-SNAPSHOT.jar \
 *       org.openjdk.jmh.Main AllPairsBenchmark -p metric=svcca -p networks=2880 -p samples=6400 -p threads=2 \
 *       -f 1 -wi 0 -i 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx8g"})
public class AllPairsBenchmark {

    @Param({"features", "svcca"})
    public String metric;

    @Param({"512", "2880"})
    public int networks;

    @Param({"64"})
    public int samples;

    @Param({"1"})
    public int threads;

    /** 0: the engine's automatic choice. */
    @Param({"0"})
    public int tile;

    private SimilarityMetric similarity;
    private SyntheticRepresentations population;
    private Path out;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        similarity = resolve(metric);
        population = new SyntheticRepresentations(networks, samples, SyntheticRepresentations.DEFAULT_FAMILIES, 42);
        out = Files.createTempDirectory("rnnatlas-allpairs-bench");
    }

    /** The metric by name: the built-in {@code features}, or an installed plugin found by {@link ServiceLoader}. */
    static SimilarityMetric resolve(String name) {
        if (name.equals("features")) {
            return new FeatureMetric();
        }
        List<String> installed = new java.util.ArrayList<>();
        for (SimilarityMetric m : ServiceLoader.load(SimilarityMetric.class)) {
            if (m.name().equals(name)) {
                return m;
            }
            installed.add(m.name());
        }
        throw new IllegalStateException("No similarity metric '" + name + "' on the class path (installed: "
                + installed + "). Put its plugin jar on -cp and run org.openjdk.jmh.Main; see HOW TO RUN");
    }

    @Setup(Level.Invocation)
    public void clean() throws IOException {
        // each invocation computes the whole matrix from scratch: no finished matrix or tiles to resume from
        deleteTree(out);
        Files.createDirectories(out);
    }

    @Benchmark
    public AllPairs.Result matrix() throws IOException, InterruptedException {
        AllPairs.Result r = new AllPairs(similarity, Kernels.ops(), threads).withTileSize(tile)
                .square(population.side(), out, "bench");
        System.out.printf(java.util.Locale.ROOT, "%n  %s n=%d: prepare %.2f s, tiles %.2f s (%d tiles of %d),"
                        + " assemble %.2f s%n", metric, networks, r.prepareSeconds(), r.computeSeconds(), r.tiles(),
                r.tileSize(), r.assembleSeconds());
        return r;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        deleteTree(out);
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path f : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(f);
            }
        }
    }

    /**
     * A cheap stand-in metric: the energy of the centred states in 8 equal runs of samples, normalised to unit length;
     * distance = half the Euclidean distance of the feature vectors (in [0, 1]).
     */
    static final class FeatureMetric implements SimilarityMetric {
        static final int CHUNKS = 8;

        record Features(double[] f) implements Prepared {
        }

        @Override
        public String name() {
            return "features";
        }

        @Override
        public Prepared prepare(Representation r) {
            int n = r.units();
            double[] mean = new double[n];
            for (int s = 0; s < r.samples(); s++) {
                for (int j = 0; j < n; j++) {
                    mean[j] += r.data()[s * n + j];
                }
            }
            double[] f = new double[CHUNKS];
            for (int s = 0; s < r.samples(); s++) {
                int chunk = (int) ((long) s * CHUNKS / r.samples());
                for (int j = 0; j < n; j++) {
                    double v = r.data()[s * n + j] - mean[j] / r.samples();
                    f[chunk] += v * v;
                }
            }
            double norm = 0;
            for (double v : f) {
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            for (int c = 0; c < CHUNKS; c++) {
                f[c] /= norm;
            }
            return new Features(f);
        }

        @Override
        public double distance(Prepared a, Prepared b) {
            double[] x = ((Features) a).f();
            double[] y = ((Features) b).f();
            double s = 0;
            for (int c = 0; c < CHUNKS; c++) {
                s += (x[c] - y[c]) * (x[c] - y[c]);
            }
            return Math.sqrt(s) / 2;
        }

        @Override
        public Map<String, String> options() {
            return Map.of();
        }
    }
}
