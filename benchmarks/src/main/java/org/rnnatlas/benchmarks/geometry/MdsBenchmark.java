package org.rnnatlas.benchmarks.geometry;

import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;
import org.rnnatlas.core.geometry.Mds;

/**
 * Classical and SMACOF MDS of an n × n non-Euclidean distance matrix: 8 clusters of points in 6 dimensions, the
 * distances passed through a square root (concave, so not Euclidean) as similarity distances tend to be.
 * Classical uses the dense ojAlgo eigendecomposition up to n = {@value Mds#DENSE_LIMIT} and Lanczos above.
 *
 * <pre>
 * HOW TO RUN
 *   export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
 *   mvn -B -q -pl benchmarks package -DskipTests
 *   $JAVA_HOME/bin/java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar MdsBenchmark \
 *       -f 1 -wi 2 -i 3 -p n=2880
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class MdsBenchmark {

    @Param({"500", "2880"})
    public int n;

    private double[] d;

    @Setup(Level.Trial)
    public void setUp() {
        int dims = 6;
        SplittableRandom r = new SplittableRandom(7);
        double[] centres = new double[8 * dims];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = 3 * r.nextGaussian();
        }
        double[] p = new double[n * dims];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < dims; k++) {
                p[i * dims + k] = centres[(i % 8) * dims + k] + r.nextGaussian();
            }
        }
        d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0;
                for (int k = 0; k < dims; k++) {
                    double diff = p[i * dims + k] - p[j * dims + k];
                    s += diff * diff;
                }
                double v = Math.pow(s, 0.25);
                d[i * n + j] = v;
                d[j * n + i] = v;
            }
        }
    }

    @Benchmark
    public Mds.Embedding classical() {
        return Mds.classical(d, n);
    }

    @Benchmark
    public Mds.Embedding smacof() {
        return Mds.smacof(d, n);
    }
}
