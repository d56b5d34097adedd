package org.rnnatlas.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Ops;

/**
 * After JIT warm-up the Vector API kernels must allocate nothing: every FloatVector has to be scalar-replaced by C2
 * and the per-thread scratch reused. Measured with the per-thread allocation counter over 1000 rounds of calls.
 *
 * <p>Warm-up is measured, not assumed: blocks of calls repeat until a block of 200 rounds (5200 calls) is clean (bounded), since
 * the compile queue lags on a loaded machine; a kernel that allocates per call never gets clean and fails.
 * The bound is 1 KB rather than 0: an occasional deoptimisation/recompilation during the measured loop can run
 * a few iterations in the interpreter, where each vector op allocates a box; one missed iteration of a whole round
 * would already cost tens of KB, so 1 KB still fails for any real per-call allocation (200 rounds × even 16 bytes).
 *
 * <p>KNOWN GAP (not asserted here): NN/TN with accumulate and a partial last column vector (n % L != 0,
 * n &gt; L/2 − 1, L = lanes) still allocates ~160 B per call; no hot shape has such n (n = G·N). The double
 * kernels have no such gap (their gemm uses no masks: column remainders are scalar) and are probed with
 * partial columns and accumulate. KNOWN GAP (not asserted): at 128-bit vectors (2 double lanes; seen as
 * -XX:MaxVectorSize=16 on AVX-512) the double kernels allocate: tanh/sigmoid/relu ~5-15 KB per call (C2 does not
 * intrinsify compare/blend on 2-lane double vectors there; 4-lane float is fine), and in this probe's mixed call
 * profile ~2 MB per round in total, so some gemm/dot code stays boxed too (alone, warmed per kernel, gemm and dot
 * measured clean). Not yet diagnosed; 4 and 8 double lanes (AVX2, AVX-512) are asserted clean.
 *
 * <p>The probe JVM runs the test JVM's vector width and tiles: it inherits the test JVM's {@code -XX:MaxVectorSize=},
 * {@code -XX:UseAVX=}, {@code -XX:UseSVE=} and {@code -Drnnatlas.simd.registers=} options (so {@code -Dvector.flags="--add-modules jdk.incubator.vector
 * -XX:MaxVectorSize=32"} tests 8 lanes on an AVX-512 machine), plus any JVM options given, space-separated, in the
 * system property {@value #PROBE_ARGS}; it checks that the probe ran the same kernels (lanes and tiles).
 */
class PanamaOpsAllocationTest {

    /** System property with extra JVM options for the probe JVM (space-separated). */
    static final String PROBE_ARGS = "rnnatlas.tests.probeJvmArgs";

    /**
     * Runs {@link Probe} in a fresh JVM: C2's code for the kernels depends on the call profile, and the hundreds of
     * odd shapes the other kernel tests throw at the same methods in this JVM make C2 compile versions that box.
     * A training run calls a handful of fixed shapes, which the probe reproduces.
     */
    @Test
    void warmKernelsAllocateNothing() throws Exception {
        assumeTrue(Kernels.panama().isPresent(), "Vector API unavailable");
        String javaExe = ProcessHandle.current().info().command().orElse(null);
        assumeTrue(javaExe != null, "cannot locate the java executable");
        List<String> command = new ArrayList<>(List.of(javaExe, "--add-modules", "jdk.incubator.vector"));
        command.addAll(probeJvmArgs(ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty(PROBE_ARGS, "")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "probe timed out");
        java.util.regex.Matcher mt = java.util.regex.Pattern.compile("allocated=(\\d+)").matcher(out);
        assertTrue(process.exitValue() == 0 && mt.find(), "probe failed: " + out);
        long allocated = Long.parseLong(mt.group(1));
        String lanes = Kernels.panama().orElseThrow().toString();
        assertTrue(out.contains("kernels=" + lanes), "probe ran other kernels than this JVM (" + lanes + "), command "
                + command + ": " + out);
        assertTrue(allocated < 1024, "200 rounds of kernel calls allocated " + allocated + " bytes");
    }

    /** The vector-width flags of {@code parentArgs} followed by the options in {@code extra}. */
    static List<String> probeJvmArgs(List<String> parentArgs, String extra) {
        List<String> args = new ArrayList<>();
        for (String a : parentArgs) {
            if (a.startsWith("-XX:MaxVectorSize=") || a.startsWith("-XX:UseAVX=") || a.startsWith("-XX:UseSVE=")
                    || a.startsWith("-Drnnatlas.simd.registers=")) {
                args.add(a);
            }
        }
        for (String a : extra.trim().split("\\s+")) {
            if (!a.isEmpty()) {
                args.add(a);
            }
        }
        return args;
    }

    @Test
    void probeInheritsTheVectorWidthFlags() {
        assertEquals(List.of("-XX:MaxVectorSize=32", "-XX:UseAVX=2", "-Drnnatlas.simd.registers=32", "-Xint"),
                probeJvmArgs(List.of("-Xss8m", "-XX:MaxVectorSize=32", "-Dx=1", "-XX:UseAVX=2",
                        "-Drnnatlas.simd.registers=32"), " -Xint "));
        assertEquals(List.of(), probeJvmArgs(List.of("-Xss8m"), ""));
    }

    /** The measurement, run as a main class in its own JVM; prints {@code allocated=<bytes>}. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println("kernels=" + Kernels.panama().orElseThrow());
            System.out.println("allocated=" + measure());
        }

        static long measure() {
            Ops ops = Kernels.panama().orElseThrow();
            com.sun.management.ThreadMXBean bean =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            bean.setThreadAllocatedMemoryEnabled(true);
            float[] a = new float[64 * 200 * 2];
            float[] b = new float[200 * 200];
            float[] c = new float[64 * 256];
            float[] x = new float[1000];
            float[] y = new float[1000];
            for (int i = 0; i < a.length; i++) {
                a[i] = (i % 17) * 0.01f;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (i % 13) * 0.01f - 0.05f;
            }
            for (int i = 0; i < x.length; i++) {
                x[i] = (i % 23) * 0.3f - 3f;
            }
            Doubles d = new Doubles();
            // warm up until C2 has compiled everything: on a busy machine the compile queue can lag for seconds, so
            // measure blocks of 200 rounds until one is clean (at most 30 blocks); the last block must be clean
            long allocated = Long.MAX_VALUE;
            for (int block = 0; block < 30 && allocated >= 1024; block++) {
                for (int round = 0; round < 300; round++) {
                    round(ops, a, b, c, x, y);
                    d.round(ops);
                }
                long before = bean.getCurrentThreadAllocatedBytes();
                for (int round = 0; round < 200; round++) {
                    round(ops, a, b, c, x, y);
                    d.round(ops);
                }
                allocated = bean.getCurrentThreadAllocatedBytes() - before;
            }
            return allocated;
        }
    }

    /**
     * The double-precision kernels: every gemm path (NN/TN broadcast tiles, whole-vector and scalar column tails
     * with accumulate, NT/TT with op(B) packed in two panels, a second k-block), dot, tanh, sigmoid, relu with
     * partial vectors.
     */
    static final class Doubles {
        final double[] a = new double[300 * 300];
        final double[] b = new double[300 * 300];
        final double[] c = new double[300 * 300];
        final double[] x = new double[1000];
        final double[] y = new double[1000];
        /** 128-bit vectors (2 double lanes); decided once: {@code name()} builds a string per call. */
        final boolean twoLanes = Kernels.panama().orElseThrow().name().equals("panama-128");

        Doubles() {
            for (int i = 0; i < a.length; i++) {
                a[i] = (i % 17) * 0.01;
                b[i] = (i % 13) * 0.01 - 0.05;
            }
            for (int i = 0; i < x.length; i++) {
                x[i] = (i % 23) * 0.3 - 3;
            }
        }

        void round(Ops ops) {
            if (twoLanes) {
                return;   // KNOWN GAP at 2 double lanes, see the class comment
            }
            // (scaled-down) analysis shapes: batched step NN, its backward NT, Gram TN (k > one k-block), TT
            ops.gemm(false, false, 64, 128, 64, a, 0, 64, b, 0, 128, c, 0, 128, false);
            ops.gemm(false, false, 13, 67, 33, a, 1, 40, b, 2, 70, c, 3, 70, true);
            ops.gemm(false, true, 64, 133, 64, a, 0, 64, b, 0, 64, c, 0, 133, false);
            ops.gemm(true, false, 64, 64, 300, a, 0, 64, b, 0, 64, c, 0, 64, true);
            ops.gemm(true, true, 37, 41, 29, a, 0, 37, b, 0, 29, c, 0, 41, true);
            if (ops.dot(x, 1, x, 2, 203) == 42) {
                throw new AssertionError();
            }
            ops.tanh(x, 0, y, 0, 37);
            ops.sigmoid(x, 1, y, 3, 37);
            ops.relu(x, 0, y, 5, 37);
            ops.activate(Activation.TANH, x, 2, y, 0, 21);
        }
    }

    private static void round(Ops ops, float[] a, float[] b, float[] c, float[] x, float[] y) {
        // small shapes on every gemm path: broadcast NN/TN (with tails), dot NT, small-n NN (packed), Cᵀ TN, TT
        // the hot shapes (scaled down in k where it does not change the code path): forward NN, weight-gradient TN,
        // backward NT, readout NN (n = 3, packed Bᵀ + dot tiles) and readout TN (n = 3, Cᵀ tiles)
        ops.gemm(false, false, 64, 192, 67, a, 0, 67, b, 0, 192, c, 0, 192, false);
        ops.gemm(false, false, 51, 128, 66, a, 0, 66, b, 0, 192, c, 0, 256, true);
        ops.gemm(true, false, 67, 192, 160, a, 0, 67, b, 0, 192, c, 0, 192, true);
        ops.gemm(false, true, 64, 64, 192, a, 0, 192, b, 0, 192, c, 0, 64, false);
        ops.gemm(false, false, 160, 3, 64, a, 0, 64, b, 0, 3, c, 0, 3, false);
        ops.gemm(true, false, 64, 3, 160, a, 0, 64, b, 0, 3, c, 0, 3, true);
        ops.tanh(x, 0, y, 0, 37);
        ops.sigmoid(x, 1, y, 0, 37);
        ops.relu(x, 0, y, 3, 37);
        ops.activate(Activation.TANH, x, 0, y, 0, 21);
        ops.activateBackward(Activation.TANH, x, 0, y, 0, y, 40, 37);
        ops.activateBackward(Activation.RELU, x, 0, y, 0, y, 40, 37);
        ops.sigmoidBackward(x, 0, y, 0, y, 80, 37);
        ops.mul(x, 0, x, 1, y, 0, 37);
        ops.mulAdd(x, 0, x, 1, y, 0, 37);
        ops.mix(x, 0, x, 1, x, 2, y, 0, 37);
        ops.axpy(0.5f, x, 0, y, 0, 37);
        ops.broadcastRows(x, 0, y, 0, 3, 37, 40, true);
        ops.sumRows(x, 0, 3, 37, 40, y, 200);
        if (ops.sumSquares(x, 0, 37) < 0) {
            throw new AssertionError();
        }
    }
}
