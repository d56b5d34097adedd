package org.rnnatlas.benchmarks.metric;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.metrics.cka.CkaMetric;
import org.rnnatlas.metrics.procrustes.ProcrustesMetric;
import org.rnnatlas.metrics.svcca.SvccaMetric;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.Representation;
import org.rnnatlas.spi.SimilarityMetric;
import org.rnnatlas.spi.SimilarityMetric.Prepared;

/**
 * Cost of the similarity metrics at population scale, single thread, on synthetic networks shaped like the
 * flip-flop probe set: 6,400 samples, 64–256 units, a 95%-variance dimension d of 5–20 plus isotropic noise
 * carrying 1% of the variance ({@link #synthetic}).
 * <ul>
 *   <li>{@code prepare}: one network's preparation at 6,400 × {64, 256}: {@code kernel=ops} is
 *       {@link SimilarityMetric#prepare(Ops, Representation)} on the kernels core selects (what the all-pairs engine
 *       runs), {@code scalar} the same on core's scalar reference kernels, {@code plain} the Ops-free
 *       {@link SimilarityMetric#prepare(Representation)} (plain loops in the metric);</li>
 *   <li>{@code tile}: {@link SimilarityMetric#distances} of a 64 × 64 tile (64 row networks, 64 different column
 *       networks) on the kernels core selects; the secondary result {@code :pairs} is distances per second.</li>
 * </ul>
 * All-pairs extrapolation: n(n−1)/2 pairs for n networks = 4,145,760 for 2,880; time ≈ pairs / (pairs/s), divided
 * by the thread count if tiles run on several cores, plus n·prepare.
 *
 * <pre>
 * HOW TO RUN (single thread; others share the machine, so rerun key numbers):
 *   mvn -B -q -pl plugins/testkit,plugins/metrics/svcca,plugins/metrics/cka,plugins/metrics/procrustes install -DskipTests
 *   mvn -B -q -pl benchmarks package -DskipTests
 *   $JAVA_HOME/bin/java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar SimilarityTileBenchmark \
 *       -f 1 -wi 2 -i 3 -t 1
 *   one case: ... SimilarityTileBenchmark.tile -p metric=svcca
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx6g"})
@Threads(1)
public class SimilarityTileBenchmark {

    static final int SAMPLES = 6400;
    static final int TILE = 64;

    /**
     * A synthetic network: X = Z Σ W + E + μ, where Z (samples × d) is Gaussian, Σ gives the d signal directions
     * equal variance, W (d × units) has orthonormal rows, E is isotropic Gaussian noise carrying 1% of the total
     * variance and μ is a random offset per unit. With equal signal variances, the 95%-variance dimension is d.
     */
    public static Representation synthetic(SplittableRandom rng, int units, int d) {
        double[] w = new double[d * units];
        for (int j = 0; j < d; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < units; p++) {
                    if (pass == 0) {
                        w[j * units + p] = gaussian(rng);
                    }
                }
                for (int prev = 0; prev < j; prev++) {
                    double dot = 0;
                    for (int p = 0; p < units; p++) {
                        dot += w[j * units + p] * w[prev * units + p];
                    }
                    for (int p = 0; p < units; p++) {
                        w[j * units + p] -= dot * w[prev * units + p];
                    }
                }
            }
            double norm = 0;
            for (int p = 0; p < units; p++) {
                norm += w[j * units + p] * w[j * units + p];
            }
            for (int p = 0; p < units; p++) {
                w[j * units + p] /= Math.sqrt(norm);
            }
        }
        // signal variance per direction 0.99/d, noise variance per unit 0.01/units (totals 0.99 and 0.01)
        double signal = Math.sqrt(0.99 / d);
        double noise = Math.sqrt(0.01 / units);
        double[] x = new double[SAMPLES * units];
        double[] z = new double[d];
        for (int i = 0; i < SAMPLES; i++) {
            for (int j = 0; j < d; j++) {
                z[j] = signal * gaussian(rng);
            }
            int row = i * units;
            for (int p = 0; p < units; p++) {
                double v = noise * gaussian(rng);
                for (int j = 0; j < d; j++) {
                    v += z[j] * w[j * units + p];
                }
                x[row + p] = v;
            }
        }
        for (int p = 0; p < units; p++) {
            double mu = gaussian(rng);
            for (int i = 0; i < SAMPLES; i++) {
                x[i * units + p] += mu;
            }
        }
        return new Representation(SAMPLES, units, x);
    }

    static double gaussian(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * rng.nextDouble());
    }

    static SimilarityMetric metric(String name) {
        return switch (name) {
            case "svcca" -> new SvccaMetric();
            case "cka" -> new CkaMetric();
            case "cka-exact" -> new CkaMetric().configure(Map.of("tolerance", "0"));
            case "procrustes" -> new ProcrustesMetric();
            default -> throw new IllegalArgumentException("unknown metric " + name);
        };
    }

    /** Distances computed, in pairs; JMH divides by time, so the score is pairs/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Pairs {
        public long pairs;
    }

    /** One network per width for the prepare benchmark. */
    @State(Scope.Benchmark)
    public static class PrepareState {
        @Param({"64", "256"})
        public int units;

        @Param({"svcca", "cka"})
        public String metric;

        @Param({"ops", "scalar", "plain"})
        public String kernel;

        SimilarityMetric m;
        Representation x;
        Ops ops;

        @Setup(Level.Trial)
        public void setUp() {
            m = metric(metric);
            x = synthetic(new SplittableRandom(units), units, 12);
            ops = switch (kernel) {
                case "ops" -> Kernels.ops();
                case "scalar" -> Kernels.scalar();
                case "plain" -> null;
                default -> throw new IllegalArgumentException("kernel: ops, scalar or plain, got " + kernel);
            };
        }
    }

    /** 64 row and 64 column networks, prepared; widths uniform in 64..256, d uniform in 5..20. */
    @State(Scope.Benchmark)
    public static class TileState {
        @Param({"svcca", "cka"})
        public String metric;

        SimilarityMetric m;
        Ops ops;
        List<Prepared> rows;
        List<Prepared> cols;
        double[] out;

        @Setup(Level.Trial)
        public void setUp() {
            m = metric(metric);
            ops = Kernels.ops();
            SplittableRandom rng = new SplittableRandom(2880);
            rows = new ArrayList<>();
            cols = new ArrayList<>();
            long sumK = 0;
            for (int i = 0; i < 2 * TILE; i++) {
                int units = 64 + rng.nextInt(193);
                int d = 5 + rng.nextInt(16);
                Prepared p = m.prepare(ops, synthetic(rng, units, d)); // raw states dropped right away
                (i < TILE ? rows : cols).add(p);
                sumK += retained(p);
            }
            out = new double[TILE * TILE];
            System.err.printf("%n[%s on %s] mean retained width per network: %.2f%n", m, ops.name(),
                    sumK / (2.0 * TILE));
        }

        /** The stored width of a prepared network (k for SVCCA, r for CKA), read through its record accessor. */
        private static int retained(Prepared p) {
            for (String accessor : new String[] {"k", "r", "units"}) {
                try {
                    var method = p.getClass().getDeclaredMethod(accessor);
                    method.setAccessible(true);
                    return (int) method.invoke(p);
                } catch (ReflectiveOperationException e) {
                    // try the next name
                }
            }
            return -1;
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 3, time = 2)
    public Prepared prepare(PrepareState s) {
        return s.ops == null ? s.m.prepare(s.x) : s.m.prepare(s.ops, s.x);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 2, time = 3)
    @Measurement(iterations = 3, time = 3)
    public double[] tile(TileState s, Pairs pairs) {
        s.m.distances(s.ops, s.rows, s.cols, s.out);
        pairs.pairs += (long) TILE * TILE;
        return s.out;
    }
}
