package org.rnnatlas.spi.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnatlas.core.kernel.ScalarOps;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.Cell;
import org.rnnatlas.spi.CellKernel;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.Named;
import org.rnnatlas.spi.Ops;
import org.rnnatlas.spi.ParamBlock;

/**
 * The contract every {@link Cell} plugin passes. A plugin's test is
 *
 * <pre>
 * class GruCellTest extends CellContract {
 *     protected Cell cell() { return new GruCell(); }
 * }
 * </pre>
 *
 * plus, for a cell whose biases do not start at 0, an override of {@link #expectedInitialBias}.
 *
 * <p>What is checked, for both activations, sizes (M, N) ∈ {(3,5), (1,8), (4,7)} and every seed of {@link #seeds}
 * ({@code -Drnnatlas.tests.seed=S} replays one; each failure message starts with the case):
 * <ul>
 *   <li>identity: a valid name, found by {@link ServiceLoader} under that name, a description;</li>
 *   <li>layout: the blocks are consistent with {@link Cell#parameterCount}; initialisation is bit-identical for a
 *       seed, finite, biases as {@link #expectedInitialBias} says, weights with mean 0 and standard deviation
 *       1/√fanIn (checked statistically at N=96);</li>
 *   <li>the double path: {@link Cell#stepBackward} against central finite differences of {@code L = g·F(s, x)} with
 *       respect to s, x and every parameter; closed-form Jacobians against finite differences and against
 *       stepBackward ({@code gS = Jᵀg}); backpropagation through a 5-step sequence by chaining stepBackward against
 *       finite differences of the whole sequence loss. Relu kinks: see {@link GradientCheck};</li>
 *   <li>the float kernel ({@link ScalarOps} and, when core provides it, {@code Kernels.ops()}): forward states over
 *       7 steps with batch 3 against the double step, the backward gradient for random dH against chained double
 *       stepBackward, once more at batch 64 and N = 64; determinism; no allocation in steady state (measured with
 *       {@code ThreadMXBean.getCurrentThreadAllocatedBytes}); clear {@link IllegalArgumentException}s for wrong
 *       sizes at the kernel and the double-path boundary;</li>
 *   <li>the batched double path ({@link Cell#stepBatch}, {@link Cell#stepBackwardBatch}), at (M, N) ∈ {(3,13),
 *       (2,32), (4,7)} and batches 1, 3, 17 and 64, under {@link ScalarOps} and {@code Kernels.ops()}: every row
 *       agrees with {@link Cell#step} and {@link Cell#stepBackward} to 1e-12 relative, whatever the scratch held
 *       before, and the inputs are left unchanged; an empty batch is accepted; with
 *       {@link #batchedStateVjpWorksInPlace} the VJP is also checked with {@code gS == g}. For a cell that overrides
 *       them: clear
 *       {@link IllegalArgumentException}s for wrong sizes, and no allocation in steady state (in this JVM with
 *       ScalarOps; with the Vector API kernels in a fresh JVM, {@link BatchAllocationProbe}).</li>
 * </ul>
 */
public abstract class CellContract {

    /** A fresh instance of the cell under test. */
    protected abstract Cell cell();

    /**
     * The value the cell's initialisation gives entry {@code index} of bias block {@code block}: 0 by default (SPEC
     * §1). Gated cells override it for their gate biases.
     */
    protected double expectedInitialBias(CellSpec spec, ParamBlock block, int index) {
        return 0.0;
    }

    /**
     * Whether the cell promises that {@link Cell#stepBackwardBatch} may be called with {@code g} and {@code gS} the
     * same array (the SPI does not require it): false by default; a cell that documents it returns true, and the
     * contract checks that the in-place result equals the out-of-place one exactly.
     */
    protected boolean batchedStateVjpWorksInPlace() {
        return false;
    }

    private static final int[][] SIZES = {{3, 5}, {1, 8}, {4, 7}};
    private static final long[] DEFAULT_SEEDS = {42L, 20260101L};
    /** Finite-difference step; see {@link GradientCheck} for the error budget. */
    private static final double FD_STEP = 1e-6;
    private static final double FD_TOL = 1e-6;

    /** The seeds: {@code -Drnnatlas.tests.seed} when set, otherwise two fixed ones. */
    public static Stream<Long> seeds() {
        String s = System.getProperty("rnnatlas.tests.seed");
        if (s != null && !s.isBlank()) {
            return Stream.of(Long.parseLong(s.trim()));
        }
        return Arrays.stream(DEFAULT_SEEDS).boxed();
    }

    /** Every activation × size × seed. */
    public static Stream<CellCase> cases() {
        List<CellCase> out = new ArrayList<>();
        for (Activation a : Activation.values()) {
            for (int[] size : SIZES) {
                seeds().forEach(seed -> out.add(new CellCase(a, size[0], size[1], seed)));
            }
        }
        return out.stream();
    }

    /** Every activation × seed, at the sizes the fused-path check uses. */
    public static Stream<CellCase> largeCases() {
        List<CellCase> out = new ArrayList<>();
        for (Activation a : Activation.values()) {
            seeds().forEach(seed -> out.add(new CellCase(a, 3, 64, seed)));
        }
        return out.stream();
    }

    /** Sizes (M, N) of the batched-path checks: N = 13 and 7 are not multiples of any lane count. */
    private static final int[][] BATCH_SIZES = {{3, 13}, {2, 32}, {4, 7}};
    /** Batch sizes of the batched-path checks. */
    private static final int[] BATCHES = {1, 3, 17, 64};
    /** Agreement of a batched row with the row-by-row method: both are the same sums, up to their order. */
    private static final double BATCH_TOL = 1e-12;

    /** Every activation × batched-path size × seed. */
    public static Stream<CellCase> batchCases() {
        List<CellCase> out = new ArrayList<>();
        for (Activation a : Activation.values()) {
            for (int[] size : BATCH_SIZES) {
                seeds().forEach(seed -> out.add(new CellCase(a, size[0], size[1], seed)));
            }
        }
        return out.stream();
    }

    // ---------------------------------------------------------------- identity and layout

    @Test
    public void nameIsValidAndDiscoverable() {
        Cell cell = cell();
        String name = cell.name();
        assertNotNull(name, "name()");
        assertTrue(Named.NAME.matcher(name).matches(), "name '" + name + "' must match " + Named.NAME.pattern());
        assertFalse(cell.description().isBlank(), name + ": description() is blank");
        List<String> found = new ArrayList<>();
        boolean match = false;
        for (ServiceLoader.Provider<Cell> p : ServiceLoader.load(Cell.class).stream().toList()) {
            Cell c = p.get();
            found.add(c.name() + " (" + p.type().getName() + ")");
            if (c.name().equals(name)) {
                assertEquals(cell.getClass(), p.type(), "ServiceLoader finds '" + name + "' as another class");
                match = true;
            }
        }
        assertTrue(match, "ServiceLoader does not find a cell named '" + name + "'; found " + found
                + ". Is META-INF/services/" + Cell.class.getName() + " present?");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    public void parameterLayoutIsConsistent(CellCase c) {
        Cell cell = cell();
        CellSpec spec = c.spec();
        List<ParamBlock> blocks = cell.parameters(spec);
        assertFalse(blocks.isEmpty(), c + " no parameter blocks");
        int total = 0;
        HashSet<String> names = new HashSet<>();
        for (ParamBlock b : blocks) {
            assertTrue(names.add(b.name()), c + " duplicate block name " + b.name());
            total += b.size();
        }
        assertEquals(total, cell.parameterCount(spec), c + " parameterCount vs sum of block sizes");
        assertTrue(cell.stateSize(spec) >= spec.hidden(), c + " stateSize < N");
        assertTrue(cell.gates() >= 1, c + " gates() < 1");
        assertTrue(cell.scratchSize(spec) >= 0, c + " negative scratchSize");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    public void initialisationIsDeterministicFiniteAndBiasedAsSpecified(CellCase c) {
        Cell cell = cell();
        CellSpec spec = c.spec();
        double[] p1 = new double[cell.parameterCount(spec)];
        double[] p2 = new double[p1.length];
        double[] p3 = new double[p1.length];
        Arrays.fill(p2, Double.NaN); // initialisation must overwrite every entry
        cell.initialize(spec, new SplittableRandom(c.seed()), p1);
        cell.initialize(spec, new SplittableRandom(c.seed()), p2);
        cell.initialize(spec, new SplittableRandom(c.seed() + 1), p3);
        assertArrayEquals(p1, p2, c + " same seed, different parameters");
        assertFalse(Arrays.equals(p1, p3), c + " different seeds, same parameters");
        int off = 0;
        for (ParamBlock b : cell.parameters(spec)) {
            for (int i = 0; i < b.size(); i++) {
                double v = p1[off + i];
                assertTrue(Double.isFinite(v), c + " block " + b.name() + "[" + i + "] = " + v);
                if (b.role() == ParamBlock.Role.BIAS) {
                    assertEquals(expectedInitialBias(spec, b, i), v, 0.0,
                            c + " initial bias " + b.name() + "[" + i + "]");
                }
            }
            off += b.size();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Activation.class)
    public void initialWeightsHaveStandardDeviationOneOverRootFanIn(Activation act) {
        Cell cell = cell();
        CellSpec spec = new CellSpec(40, 96, act);
        double[] p = new double[cell.parameterCount(spec)];
        cell.initialize(spec, new SplittableRandom(seeds().findFirst().orElseThrow()), p);
        int off = 0;
        for (ParamBlock b : cell.parameters(spec)) {
            if (b.role() != ParamBlock.Role.BIAS) {
                double sum = 0.0;
                double sq = 0.0;
                for (int i = 0; i < b.size(); i++) {
                    sum += p[off + i];
                    sq += p[off + i] * p[off + i];
                }
                int n = b.size();
                double mean = sum / n;
                double sd = Math.sqrt(sq / n - mean * mean);
                double want = 1.0 / Math.sqrt(b.fanIn());
                // sampling error of the mean is sd/√n and of the sd about sd/√(2n); allow 5 of each
                assertTrue(Math.abs(mean) < 5 * want / Math.sqrt(n),
                        act + " block " + b.name() + ": mean " + mean + " for " + n + " draws");
                assertEquals(want, sd, 5 * want / Math.sqrt(2.0 * n),
                        act + " block " + b.name() + ": standard deviation vs 1/sqrt(fanIn=" + b.fanIn() + ")");
            }
            off += b.size();
        }
    }

    // ---------------------------------------------------------------- the double path

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    public void stepBackwardMatchesFiniteDifferences(CellCase c) {
        Cell cell = cell();
        CellSpec spec = c.spec();
        SplittableRandom rng = c.random();
        int sz = cell.stateSize(spec);
        int m = spec.inputs();
        double[] p = c.randomParameters(cell, rng);
        double[] s = c.randomState(cell, rng);
        double[] x = CellCase.gaussian(rng, m);
        double[] g = CellCase.gaussian(rng, sz);
        double[] scratch = new double[cell.scratchSize(spec)];
        double[] sNext = new double[sz];

        double[] sCopy = s.clone();
        double[] xCopy = x.clone();
        double[] pCopy = p.clone();
        cell.step(spec, p, s, x, sNext, scratch);
        for (double v : sNext) {
            assertTrue(Double.isFinite(v), c + " step produced " + v);
        }
        assertArrayEquals(sCopy, s, c + " step modified s");
        assertArrayEquals(xCopy, x, c + " step modified x");
        assertArrayEquals(pCopy, p, c + " step modified p");

        // gS and gX are overwritten (NaN-filled to prove it), gP is added into (offset to prove it)
        double[] gS = new double[sz];
        double[] gX = new double[m];
        Arrays.fill(gS, Double.NaN);
        Arrays.fill(gX, Double.NaN);
        double[] gP = new double[p.length];
        Arrays.fill(gP, 0.5);
        cell.stepBackward(spec, p, s, x, g, gS, gX, gP, scratch);
        for (int i = 0; i < gP.length; i++) {
            gP[i] -= 0.5;
        }
        cell.stepBackward(spec, p, s, x, g, null, null, null, scratch); // nulls are allowed

        GradientCheck.Loss loss = () -> {
            cell.step(spec, p, s, x, sNext, scratch);
            return dot(g, sNext);
        };
        boolean kinks = c.activation() == Activation.RELU;
        report(c, GradientCheck.check("dL/ds", s, gS, loss, FD_STEP, FD_TOL, kinks, c.toString()));
        report(c, GradientCheck.check("dL/dx", x, gX, loss, FD_STEP, FD_TOL, kinks, c.toString()));
        report(c, GradientCheck.check("dL/dp", p, gP, loss, FD_STEP, FD_TOL, kinks, c.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    public void jacobiansMatchFiniteDifferencesAndStepBackward(CellCase c) {
        Cell cell = cell();
        CellSpec spec = c.spec();
        SplittableRandom rng = c.random();
        int sz = cell.stateSize(spec);
        int m = spec.inputs();
        double[] p = c.randomParameters(cell, rng);
        double[] s = c.randomState(cell, rng);
        double[] x = CellCase.gaussian(rng, m);
        double[] scratch = new double[cell.scratchSize(spec)];
        double[] js = new double[sz * sz];
        double[] jx = new double[sz * m];
        cell.stateJacobian(spec, p, s, x, js, scratch);
        cell.inputJacobian(spec, p, s, x, jx, scratch);

        // columns by central differences of F itself
        double[] fp = new double[sz];
        double[] fm = new double[sz];
        boolean kinks = c.activation() == Activation.RELU;
        double errS = jacobianVsDifferences(c, cell, p, s, x, s, js, sz, fp, fm, scratch, kinks, "dF/ds");
        double errX = jacobianVsDifferences(c, cell, p, s, x, x, jx, m, fp, fm, scratch, kinks, "dF/dx");
        System.out.printf("%s %s Jacobians vs finite differences: max scaled error dF/ds %.2e, dF/dx %.2e%n",
                cell.name(), c, errS, errX);

        // Jᵀg from the Jacobians equals stepBackward's gS and gX up to rounding
        double[] g = CellCase.gaussian(rng, sz);
        double[] gS = new double[sz];
        double[] gX = new double[m];
        cell.stepBackward(spec, p, s, x, g, gS, gX, null, scratch);
        double worst = 0.0;
        worst = Math.max(worst, compareTransposedProduct(c, "gS", js, sz, sz, g, gS));
        worst = Math.max(worst, compareTransposedProduct(c, "gX", jx, sz, m, g, gX));
        System.out.printf("%s %s Jacobian-transpose product vs stepBackward: max scaled difference %.2e%n",
                cell.name(), c, worst);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    public void backpropagationThroughTimeMatchesFiniteDifferences(CellCase c) {
        Cell cell = cell();
        CellSpec spec = c.spec();
        SplittableRandom rng = c.random();
        int steps = 5;
        int sz = cell.stateSize(spec);
        int n = spec.hidden();
        int m = spec.inputs();
        double[] p = c.randomParameters(cell, rng);
        double[] s0 = c.randomState(cell, rng);
        double[] xs = CellCase.gaussian(rng, steps * m);
        double[] readout = CellCase.gaussian(rng, steps * n); // L = Σ_t r_t · h_{t+1}
        double[] scratch = new double[cell.scratchSize(spec)];
        double[][] states = new double[steps + 1][sz];
        double[] x = new double[m];

        GradientCheck.Loss loss = () -> {
            System.arraycopy(s0, 0, states[0], 0, sz);
            double l = 0.0;
            for (int t = 0; t < steps; t++) {
                System.arraycopy(xs, t * m, x, 0, m);
                cell.step(spec, p, states[t], x, states[t + 1], scratch);
                for (int i = 0; i < n; i++) {
                    l += readout[t * n + i] * states[t + 1][i];
                }
            }
            return l;
        };
        loss.value();
        double[] gP = new double[p.length];
        double[] gXs = new double[steps * m];
        double[] carry = new double[sz];
        double[] g = new double[sz];
        double[] gX = new double[m];
        for (int t = steps - 1; t >= 0; t--) {
            System.arraycopy(carry, 0, g, 0, sz);
            for (int i = 0; i < n; i++) {
                g[i] += readout[t * n + i];
            }
            System.arraycopy(xs, t * m, x, 0, m);
            cell.stepBackward(spec, p, states[t], x, g, carry, gX, gP, scratch);
            System.arraycopy(gX, 0, gXs, t * m, m);
        }
        boolean kinks = c.activation() == Activation.RELU;
        report(c, GradientCheck.check("BPTT dL/dp", p, gP, loss, FD_STEP, FD_TOL, kinks, c.toString()));
        report(c, GradientCheck.check("BPTT dL/ds0", s0, carry, loss, FD_STEP, FD_TOL, kinks, c.toString()));
        report(c, GradientCheck.check("BPTT dL/dxs", xs, gXs, loss, FD_STEP, FD_TOL, kinks, c.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    public void doublePathRejectsWrongSizes(CellCase c) {
        Cell cell = cell();
        CellSpec spec = c.spec();
        int sz = cell.stateSize(spec);
        double[] p = new double[cell.parameterCount(spec)];
        double[] s = new double[sz];
        double[] x = new double[spec.inputs()];
        double[] out = new double[sz];
        double[] scratch = new double[cell.scratchSize(spec)];
        cell.step(spec, p, s, x, out, scratch);
        expectIllegalArgument(c, "short p", () -> cell.step(spec, new double[p.length - 1], s, x, out, scratch));
        expectIllegalArgument(c, "short s", () -> cell.step(spec, p, new double[sz - 1], x, out, scratch));
        expectIllegalArgument(c, "short x", () -> cell.step(spec, p, s, new double[x.length - 1], out, scratch));
        expectIllegalArgument(c, "short sNext", () -> cell.step(spec, p, s, x, new double[sz - 1], scratch));
        if (scratch.length > 0) {
            expectIllegalArgument(c, "short scratch",
                    () -> cell.step(spec, p, s, x, out, new double[scratch.length - 1]));
        }
        expectIllegalArgument(c, "short g",
                () -> cell.stepBackward(spec, p, s, x, new double[sz - 1], null, null, null, scratch));
        expectIllegalArgument(c, "short gP",
                () -> cell.stepBackward(spec, p, s, x, out, null, null, new double[p.length - 1], scratch));
    }

    // ---------------------------------------------------------------- the batched double path

    @ParameterizedTest(name = "{0}")
    @MethodSource("batchCases")
    public void batchedStepAndStateVjpMatchRowByRow(CellCase c) {
        Cell cell = cell();
        CellSpec spec = c.spec();
        double[] p = c.randomParameters(cell, c.random());
        double[] none = new double[0];
        for (Ops ops : opsUnderTest()) {
            // an empty batch is allowed and needs no room
            double[] scratch = new double[cell.batchScratchSize(spec, 0)];
            cell.stepBatch(spec, ops, p, 0, none, none, none, scratch);
            cell.stepBackwardBatch(spec, ops, p, 0, none, none, none, none, scratch);
            for (int batch : BATCHES) {
                batchVersusRows(c, ops, batch);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batchCases")
    public void batchedStateVjpInPlaceWhenPromised(CellCase c) {
        org.junit.jupiter.api.Assumptions.assumeTrue(batchedStateVjpWorksInPlace(),
                cell().name() + " does not promise an in-place batched state VJP");
        Cell cell = cell();
        CellSpec spec = c.spec();
        SplittableRandom rng = c.random();
        int batch = 17;
        int sz = cell.stateSize(spec);
        double[] p = c.randomParameters(cell, rng);
        double[] s = new double[batch * sz];
        for (int i = 0; i < s.length; i++) {
            s[i] = rng.nextDouble(-1.0, 1.0);
        }
        double[] x = CellCase.gaussian(rng, batch * spec.inputs());
        double[] g = CellCase.gaussian(rng, batch * sz);
        double[] scratch = new double[cell.batchScratchSize(spec, batch)];
        for (Ops ops : opsUnderTest()) {
            double[] gS = new double[batch * sz];
            cell.stepBackwardBatch(spec, ops, p, batch, s, x, g, gS, scratch);
            double[] inPlace = g.clone();
            cell.stepBackwardBatch(spec, ops, p, batch, s, x, inPlace, inPlace, scratch);
            assertArrayEquals(gS, inPlace, c + " " + ops.name() + ": stepBackwardBatch with gS == g differs");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    public void batchedMethodsRejectWrongSizes(CellCase c) {
        Cell cell = cell();
        // the SPI's row-by-row defaults do no boundary checks of their own; a cell that overrides them must
        org.junit.jupiter.api.Assumptions.assumeTrue(overridesBatchedMethods(cell),
                cell.name() + " uses the default batched methods");
        CellSpec spec = c.spec();
        int batch = 3;
        int sz = cell.stateSize(spec);
        int m = spec.inputs();
        Ops ops = ScalarOps.INSTANCE;
        double[] p = new double[cell.parameterCount(spec)];
        double[] s = new double[batch * sz];
        double[] x = new double[batch * m];
        double[] out = new double[batch * sz];
        double[] g = new double[batch * sz];
        int scratchLength = cell.batchScratchSize(spec, batch);
        assertTrue(scratchLength >= 0, c + " negative batchScratchSize");
        double[] scratch = new double[scratchLength];
        cell.stepBatch(spec, ops, p, batch, s, x, out, scratch);
        cell.stepBackwardBatch(spec, ops, p, batch, s, x, g, out, scratch);
        expectIllegalArgument(c, "batch -1",
                () -> cell.stepBatch(spec, ops, p, -1, s, x, out, scratch));
        expectIllegalArgument(c, "backward batch -1",
                () -> cell.stepBackwardBatch(spec, ops, p, -1, s, x, g, out, scratch));
        expectIllegalArgument(c, "short p",
                () -> cell.stepBatch(spec, ops, new double[p.length - 1], batch, s, x, out, scratch));
        expectIllegalArgument(c, "short s",
                () -> cell.stepBatch(spec, ops, p, batch, new double[s.length - 1], x, out, scratch));
        expectIllegalArgument(c, "short x",
                () -> cell.stepBatch(spec, ops, p, batch, s, new double[x.length - 1], out, scratch));
        expectIllegalArgument(c, "short sNext",
                () -> cell.stepBatch(spec, ops, p, batch, s, x, new double[out.length - 1], scratch));
        expectIllegalArgument(c, "backward short s",
                () -> cell.stepBackwardBatch(spec, ops, p, batch, new double[s.length - 1], x, g, out, scratch));
        expectIllegalArgument(c, "short g",
                () -> cell.stepBackwardBatch(spec, ops, p, batch, s, x, new double[g.length - 1], out, scratch));
        expectIllegalArgument(c, "short gS",
                () -> cell.stepBackwardBatch(spec, ops, p, batch, s, x, g, new double[out.length - 1], scratch));
        if (scratchLength > 0) {
            expectIllegalArgument(c, "short scratch",
                    () -> cell.stepBatch(spec, ops, p, batch, s, x, out, new double[scratchLength - 1]));
            expectIllegalArgument(c, "backward short scratch",
                    () -> cell.stepBackwardBatch(spec, ops, p, batch, s, x, g, out, new double[scratchLength - 1]));
        }
    }

    /**
     * The overridden batched methods allocate nothing per call once warm, with ScalarOps in this JVM (the cell's own
     * code allocates in no JIT tier; the Vector API kernels are checked in a fresh JVM below).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Activation.class)
    public void batchedMethodsAllocateNothingInSteadyState(Activation act) {
        Cell cell = cell();
        org.junit.jupiter.api.Assumptions.assumeTrue(overridesBatchedMethods(cell),
                cell.name() + " uses the default batched methods, which allocate row buffers by design");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!mx.isThreadAllocatedMemorySupported()) {
            return;
        }
        mx.setThreadAllocatedMemoryEnabled(true);
        BatchAllocationProbe.Run r = new BatchAllocationProbe.Run(cell, new CellSpec(3, 13, act),
                ScalarOps.INSTANCE, 17, new SplittableRandom(1));
        // as for the kernel: a one-off event can cost a few hundred bytes once, a per-call allocation shows in every
        // window, so the best of up to five windows must be 0
        long allocated = Long.MAX_VALUE;
        for (int window = 0; window < 5 && allocated != 0; window++) {
            for (int i = 0; i < 300; i++) {
                r.stepAndBackward();
            }
            long empty0 = mx.getCurrentThreadAllocatedBytes();
            long empty1 = mx.getCurrentThreadAllocatedBytes();
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 30; i++) {
                r.stepAndBackward();
            }
            allocated = Math.min(allocated, (mx.getCurrentThreadAllocatedBytes() - before) - (empty1 - empty0));
        }
        assertEquals(0, allocated, cell.name() + " " + act + " scalar: stepBatch + stepBackwardBatch allocated "
                + allocated + " bytes over 30 calls after warm-up");
    }

    /**
     * The overridden batched methods on the Vector API kernels allocate nothing per call in steady state, measured by
     * {@link BatchAllocationProbe} in a fresh JVM for the reason {@link CellAllocationProbe} gives; bound 1 KB over
     * 50 calls, as for the fused kernel.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Activation.class)
    public void vectorBatchedMethodsAllocateNothingInSteadyState(Activation act) throws Exception {
        Cell cell = cell();
        org.junit.jupiter.api.Assumptions.assumeTrue(overridesBatchedMethods(cell),
                cell.name() + " uses the default batched methods");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                org.rnnatlas.core.kernel.Kernels.panama().isPresent(), "Vector API kernels unavailable");
        String javaExe = ProcessHandle.current().info().command().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(javaExe != null, "cannot locate the java executable");
        Process p = new ProcessBuilder(javaExe, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), BatchAllocationProbe.class.getName(), cell.getClass().getName(),
                act.id()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, java.util.concurrent.TimeUnit.SECONDS), "probe timed out");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("allocated=(\\d+)").matcher(out);
        assertTrue(p.exitValue() == 0 && m.find(), "probe failed:\n" + out);
        long allocated = Long.parseLong(m.group(1));
        assertTrue(allocated < 1024, cell.name() + " " + act.id() + ": 50 warm stepBatch + stepBackwardBatch calls ("
                + BatchAllocationProbe.describe() + ") allocated " + allocated + " bytes");
    }

    /** Whether the cell overrides both {@link Cell#stepBatch} and {@link Cell#stepBackwardBatch}. */
    protected static boolean overridesBatchedMethods(Cell cell) {
        try {
            Class<?> step = cell.getClass().getMethod("stepBatch", CellSpec.class, Ops.class, double[].class,
                    int.class, double[].class, double[].class, double[].class, double[].class).getDeclaringClass();
            Class<?> back = cell.getClass().getMethod("stepBackwardBatch", CellSpec.class, Ops.class,
                    double[].class, int.class, double[].class, double[].class, double[].class, double[].class,
                    double[].class).getDeclaringClass();
            return step != Cell.class && back != Cell.class;
        } catch (NoSuchMethodException e) {
            throw new AssertionError("Cell has no batched methods: " + e.getMessage(), e);
        }
    }

    private void batchVersusRows(CellCase c, Ops ops, int batch) {
        Cell cell = cell();
        CellSpec spec = c.spec();
        SplittableRandom rng = new SplittableRandom(c.seed() * 31 + batch);
        int sz = cell.stateSize(spec);
        int m = spec.inputs();
        double[] p = c.randomParameters(cell, rng);
        double[] s = new double[batch * sz];
        for (int i = 0; i < s.length; i++) {
            s[i] = rng.nextDouble(-1.0, 1.0);
        }
        double[] x = CellCase.gaussian(rng, batch * m);
        double[] g = CellCase.gaussian(rng, batch * sz);
        double[] pCopy = p.clone();
        double[] sCopy = s.clone();
        double[] xCopy = x.clone();
        double[] gCopy = g.clone();
        // NaN in the outputs proves they are overwritten, NaN in the scratch that its contents are not read
        double[] sNext = new double[batch * sz];
        double[] gS = new double[batch * sz];
        double[] scratch = new double[cell.batchScratchSize(spec, batch)];
        Arrays.fill(sNext, Double.NaN);
        Arrays.fill(gS, Double.NaN);
        Arrays.fill(scratch, Double.NaN);
        cell.stepBatch(spec, ops, p, batch, s, x, sNext, scratch);
        Arrays.fill(scratch, Double.NaN);
        cell.stepBackwardBatch(spec, ops, p, batch, s, x, g, gS, scratch);
        String where = c + " " + ops.name() + " B=" + batch;
        assertArrayEquals(pCopy, p, where + ": batched methods modified p");
        assertArrayEquals(sCopy, s, where + ": batched methods modified s");
        assertArrayEquals(xCopy, x, where + ": batched methods modified x");
        assertArrayEquals(gCopy, g, where + ": stepBackwardBatch modified g");

        double[] rs = new double[sz];
        double[] rx = new double[m];
        double[] rg = new double[sz];
        double[] want = new double[sz];
        double[] wantS = new double[sz];
        double[] rowScratch = new double[cell.scratchSize(spec)];
        double worstStep = 0.0;
        double worstBack = 0.0;
        for (int b = 0; b < batch; b++) {
            System.arraycopy(s, b * sz, rs, 0, sz);
            System.arraycopy(x, b * m, rx, 0, m);
            System.arraycopy(g, b * sz, rg, 0, sz);
            cell.step(spec, p, rs, rx, want, rowScratch);
            cell.stepBackward(spec, p, rs, rx, rg, wantS, null, null, rowScratch);
            worstStep = Math.max(worstStep, compareRow(where, "stepBatch", b, want, sNext, b * sz));
            worstBack = Math.max(worstBack, compareRow(where, "stepBackwardBatch", b, wantS, gS, b * sz));
        }
        System.out.printf("%s %s: batched vs row-by-row max relative difference: step %.2e, state VJP %.2e%n",
                cell.name(), where, worstStep, worstBack);
    }

    /** max_i |got − want| / (1 + |want|) over one row; fails above {@link #BATCH_TOL} or on a non-finite entry. */
    private static double compareRow(String where, String what, int row, double[] want, double[] got, int off) {
        double worst = 0.0;
        for (int i = 0; i < want.length; i++) {
            double w = want[i];
            double v = got[off + i];
            double err = Math.abs(v - w) / (1.0 + Math.abs(w));
            if (!(err <= BATCH_TOL)) {
                fail(String.format("%s: %s row %d entry %d is %.17g, row-by-row gives %.17g (relative difference "
                        + "%.3e > %.0e)", where, what, row, i, v, w, err, BATCH_TOL));
            }
            worst = Math.max(worst, err);
        }
        return worst;
    }

    // ---------------------------------------------------------------- the float kernel

    /** ScalarOps, and {@code org.rnnatlas.core.kernel.Kernels.ops()} when core has it and it is another kernel. */
    public static List<Ops> opsUnderTest() {
        List<Ops> out = new ArrayList<>();
        out.add(ScalarOps.INSTANCE);
        try {
            Object o = Class.forName("org.rnnatlas.core.kernel.Kernels").getMethod("ops").invoke(null);
            if (o instanceof Ops ops && !ops.name().equals(ScalarOps.INSTANCE.name())) {
                out.add(ops);
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            // core without a kernel selector: the scalar kernel is the only one
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    public void kernelMatchesDoublePath(CellCase c) {
        for (Ops ops : opsUnderTest()) {
            kernelVersusDouble(c, ops, 3, 7);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("largeCases")
    void kernelMatchesDoublePathAtBatch64(CellCase c) {
        for (Ops ops : opsUnderTest()) {
            kernelVersusDouble(c, ops, 64, 6);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    public void kernelIsDeterministic(CellCase c) {
        Cell cell = cell();
        CellSpec spec = c.spec();
        SplittableRandom rng = c.random();
        int batch = 3;
        int steps = 4;
        for (Ops ops : opsUnderTest()) {
            KernelRun r = new KernelRun(cell, spec, ops, batch, steps, steps, rng);
            r.forwardBackward();
            float[] states = r.states.clone();
            float[] grad = r.grad.clone();
            r.forwardBackward();
            assertArrayEquals(states, r.states, c + " " + ops.name() + ": forward not deterministic");
            assertArrayEquals(grad, r.grad, c + " " + ops.name() + ": backward not deterministic");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Activation.class)
    public void kernelAllocatesNothingInSteadyState(Activation act) {
        Cell cell = cell();
        CellSpec spec = new CellSpec(3, 8, act);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!mx.isThreadAllocatedMemorySupported()) {
            return;
        }
        mx.setThreadAllocatedMemoryEnabled(true);
        // the cell's own code allocates nothing in any JIT tier; the vector kernels are checked in a fresh JVM below
        KernelRun r = new KernelRun(cell, spec, ScalarOps.INSTANCE, 4, 6, 6, new SplittableRandom(1));
        // a one-off event in the measured window (a deoptimisation, a lazily built switch map) can cost a few hundred
        // bytes once; an allocation per pass shows in every window, so the best of up to five windows must be 0
        long allocated = Long.MAX_VALUE;
        for (int window = 0; window < 5 && allocated != 0; window++) {
            for (int i = 0; i < 200; i++) {
                r.forwardBackward();
            }
            long empty0 = mx.getCurrentThreadAllocatedBytes();
            long empty1 = mx.getCurrentThreadAllocatedBytes();
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20; i++) {
                r.forwardBackward();
            }
            allocated = Math.min(allocated, (mx.getCurrentThreadAllocatedBytes() - before) - (empty1 - empty0));
        }
        assertEquals(0, allocated, act + " scalar: kernel allocated " + allocated
                + " bytes over 20 forward+backward calls after warm-up");
    }

    /**
     * The fused kernel on the Vector API allocates nothing per pass in the steady state of training, measured by
     * {@link CellAllocationProbe} in a fresh JVM (see there why). The bound is 1 KB over 50 passes rather than 0: a
     * rare deoptimisation during the measured block runs a few operations in the interpreter, which boxes vectors;
     * any real per-pass allocation is far above it.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Activation.class)
    public void vectorKernelAllocatesNothingInSteadyState(Activation act) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                org.rnnatlas.core.kernel.Kernels.panama().isPresent(), "Vector API kernels unavailable");
        String javaExe = ProcessHandle.current().info().command().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(javaExe != null, "cannot locate the java executable");
        Process p = new ProcessBuilder(javaExe, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), CellAllocationProbe.class.getName(), cell().getClass().getName(),
                act.id()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assertions.assertTrue(p.waitFor(180, java.util.concurrent.TimeUnit.SECONDS),
                "probe timed out");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("allocated=(\\d+)").matcher(out);
        org.junit.jupiter.api.Assertions.assertTrue(p.exitValue() == 0 && m.find(), "probe failed:\n" + out);
        long allocated = Long.parseLong(m.group(1));
        org.junit.jupiter.api.Assertions.assertTrue(allocated < 1024, cell().name() + " " + act.id()
                + ": 50 warm forward+backward passes (N=64, batch 64, 20 steps) allocated " + allocated + " bytes");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    public void kernelRejectsWrongSizes(CellCase c) {
        Cell cell = cell();
        CellSpec spec = c.spec();
        int batch = 2;
        int steps = 3;
        int sz = cell.stateSize(spec);
        int n = spec.hidden();
        int m = spec.inputs();
        CellKernel k = cell.kernel(ScalarOps.INSTANCE, spec, batch, steps);
        assertEquals(batch, k.batch(), c + " batch()");
        assertEquals(steps, k.maxSteps(), c + " maxSteps()");
        assertEquals(spec, k.spec(), c + " spec()");
        float[] p = new float[cell.parameterCount(spec)];
        float[] xs = new float[steps * batch * m];
        float[] states = new float[(steps + 1) * batch * sz];
        float[] dH = new float[steps * batch * n];
        float[] grad = new float[p.length];
        k.forward(p, xs, steps, states);
        k.backward(p, xs, steps, states, dH, grad);
        k.forward(p, xs, 0, states);
        k.backward(p, xs, 0, states, dH, grad);
        expectIllegalArgument(c, "steps > maxSteps", () -> k.forward(p, new float[xs.length + batch * m], steps + 1,
                new float[states.length + batch * sz]));
        expectIllegalArgument(c, "negative steps", () -> k.forward(p, xs, -1, states));
        expectIllegalArgument(c, "short params", () -> k.forward(new float[p.length - 1], xs, steps, states));
        expectIllegalArgument(c, "short xs", () -> k.forward(p, new float[xs.length - 1], steps, states));
        expectIllegalArgument(c, "short states", () -> k.forward(p, xs, steps, new float[states.length - 1]));
        expectIllegalArgument(c, "null xs", () -> k.forward(p, null, steps, states));
        expectIllegalArgument(c, "short dH",
                () -> k.backward(p, xs, steps, states, new float[dH.length - 1], grad));
        expectIllegalArgument(c, "short grad",
                () -> k.backward(p, xs, steps, states, dH, new float[grad.length - 1]));
    }

    // ---------------------------------------------------------------- helpers

    /** One kernel with random float inputs; the double reference reads the same float values widened. */
    private static final class KernelRun {
        final Cell cell;
        final CellSpec spec;
        final CellKernel kernel;
        final int batch;
        final int steps;
        final float[] params;
        final float[] xs;
        final float[] states;
        final float[] dH;
        final float[] grad;

        KernelRun(Cell cell, CellSpec spec, Ops ops, int batch, int steps, int maxSteps, SplittableRandom rng) {
            this.cell = cell;
            this.spec = spec;
            this.batch = batch;
            this.steps = steps;
            this.kernel = cell.kernel(ops, spec, batch, maxSteps);
            CellCase c = new CellCase(spec.activation(), spec.inputs(), spec.hidden(), 0);
            double[] p = c.randomParameters(cell, rng);
            params = new float[p.length];
            for (int i = 0; i < p.length; i++) {
                params[i] = (float) p[i];
            }
            int sz = cell.stateSize(spec);
            xs = toFloat(CellCase.gaussian(rng, maxSteps * batch * spec.inputs()));
            states = new float[(maxSteps + 1) * batch * sz];
            for (int i = 0; i < batch * sz; i++) {
                states[i] = (float) rng.nextDouble(-1.0, 1.0);
            }
            dH = toFloat(CellCase.gaussian(rng, maxSteps * batch * spec.hidden()));
            grad = new float[params.length];
        }

        void forwardBackward() {
            kernel.forward(params, xs, steps, states);
            Arrays.fill(grad, 0f);
            kernel.backward(params, xs, steps, states, dH, grad);
        }
    }

    private void kernelVersusDouble(CellCase c, Ops ops, int batch, int steps) {
        Cell cell = cell();
        CellSpec spec = c.spec();
        SplittableRandom rng = c.random();
        int sz = cell.stateSize(spec);
        int n = spec.hidden();
        int m = spec.inputs();
        // maxSteps larger than steps, so that offsets past the used prefix are exercised
        KernelRun r = new KernelRun(cell, spec, ops, batch, steps, steps + 2, rng);
        r.kernel.forward(r.params, r.xs, steps, r.states);
        Arrays.fill(r.grad, 0.25f); // backward adds into grad
        r.kernel.backward(r.params, r.xs, steps, r.states, r.dH, r.grad);

        double[] p = new double[r.params.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = r.params[i];
        }
        double[] scratch = new double[cell.scratchSize(spec)];
        double[][] st = new double[steps + 1][sz];
        double[] x = new double[m];
        double[] g = new double[sz];
        double[] carry = new double[sz];
        double[] gP = new double[p.length];
        double stateErr = 0.0;
        double stateScale = 0.0;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < sz; i++) {
                st[0][i] = r.states[b * sz + i];
            }
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < m; i++) {
                    x[i] = r.xs[(t * batch + b) * m + i];
                }
                cell.step(spec, p, st[t], x, st[t + 1], scratch);
                for (int i = 0; i < sz; i++) {
                    double want = st[t + 1][i];
                    double got = r.states[((t + 1) * batch + b) * sz + i];
                    double err = Math.abs(got - want) / (1.0 + Math.abs(want));
                    stateScale = Math.max(stateScale, Math.abs(want));
                    if (!(err <= 2e-5)) {
                        fail(String.format("%s %s B=%d: state[t=%d][b=%d][%d] kernel %.9g, double %.9g", c,
                                ops.name(), batch, t + 1, b, i, got, want));
                    }
                    stateErr = Math.max(stateErr, err);
                }
            }
            Arrays.fill(carry, 0.0);
            for (int t = steps - 1; t >= 0; t--) {
                System.arraycopy(carry, 0, g, 0, sz);
                for (int i = 0; i < n; i++) {
                    g[i] += r.dH[(t * batch + b) * n + i];
                }
                for (int i = 0; i < m; i++) {
                    x[i] = r.xs[(t * batch + b) * m + i];
                }
                cell.stepBackward(spec, p, st[t], x, g, carry, null, gP, scratch);
            }
        }
        double diff2 = 0.0;
        double ref2 = 0.0;
        double refMax = 0.0;
        double diffMax = 0.0;
        int worst = 0;
        for (int i = 0; i < gP.length; i++) {
            double got = r.grad[i] - 0.25;
            double d = got - gP[i];
            diff2 += d * d;
            ref2 += gP[i] * gP[i];
            refMax = Math.max(refMax, Math.abs(gP[i]));
            if (!(Math.abs(d) <= diffMax)) {
                diffMax = Math.abs(d);
                worst = i;
            }
        }
        double rel = Math.sqrt(diff2 / ref2);
        System.out.printf("%s %s %s B=%d T=%d: forward max rel error %.2e; gradient rel L2 error %.2e, "
                + "max abs error / max |grad| %.2e%n", cell.name(), c, ops.name(), batch, steps, stateErr, rel,
                diffMax / refMax);
        assertTrue(ref2 > 0, c + " reference gradient is zero");
        assertTrue(rel <= 1e-4 && diffMax <= 1e-4 * refMax, String.format(
                "%s %s B=%d: kernel gradient differs from the double path: relative L2 error %.3e, worst entry %d "
                        + "kernel %.9g double %.9g", c, ops.name(), batch, rel, worst, r.grad[worst] - 0.25,
                gP[worst]));
    }

    private static double jacobianVsDifferences(CellCase c, Cell cell, double[] p, double[] s, double[] x,
                                                double[] arg, double[] jac, int cols, double[] fp, double[] fm,
                                                double[] scratch, boolean kinks, String what) {
        CellSpec spec = c.spec();
        int rows = fp.length;
        double scale = 0.0;
        for (double v : jac) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0.0;
        for (int j = 0; j < cols; j++) {
            double v = arg[j];
            arg[j] = v + FD_STEP;
            cell.step(spec, p, s, x, fp, scratch);
            arg[j] = v - FD_STEP;
            cell.step(spec, p, s, x, fm, scratch);
            arg[j] = v;
            for (int i = 0; i < rows; i++) {
                double fd = (fp[i] - fm[i]) / (2 * FD_STEP);
                double an = jac[i * cols + j];
                double err = Math.abs(fd - an) / (Math.abs(an) + 0.01 * scale + 1e-12);
                if (err > FD_TOL) {
                    if (kinks) {
                        // a relu kink inside the step: the two one-sided differences disagree (see GradientCheck)
                        double[] f0 = new double[rows];
                        cell.step(spec, p, s, x, f0, scratch);
                        double fwd = (fp[i] - f0[i]) / FD_STEP;
                        double bwd = (f0[i] - fm[i]) / FD_STEP;
                        double jump = Math.abs(fwd - bwd);
                        if (jump > 1e-3 * (Math.abs(fwd) + Math.abs(bwd)) + 1e-7 && Math.abs(fd - an) <= jump) {
                            continue;
                        }
                    }
                    fail(String.format("%s %s[%d][%d]: closed form %.12g, central difference %.12g, scaled error "
                            + "%.3e", c, what, i, j, an, fd, err));
                }
                worst = Math.max(worst, err);
            }
        }
        return worst;
    }

    private static double compareTransposedProduct(CellCase c, String what, double[] jac, int rows, int cols,
                                                   double[] g, double[] fromBackward) {
        double scale = 0.0;
        double[] prod = new double[cols];
        for (int j = 0; j < cols; j++) {
            double acc = 0.0;
            double mag = 0.0;
            for (int i = 0; i < rows; i++) {
                acc += jac[i * cols + j] * g[i];
                mag += Math.abs(jac[i * cols + j] * g[i]);
            }
            prod[j] = acc;
            scale = Math.max(scale, mag);
        }
        double worst = 0.0;
        for (int j = 0; j < cols; j++) {
            double d = Math.abs(prod[j] - fromBackward[j]) / (scale + 1e-300);
            if (!(d <= 1e-12)) {
                fail(String.format("%s %s[%d]: Jᵀg = %.15g but stepBackward gives %.15g", c, what, j, prod[j],
                        fromBackward[j]));
            }
            worst = Math.max(worst, d);
        }
        return worst;
    }

    private void report(CellCase c, GradientCheck.Report r) {
        System.out.println(cell().name() + " " + c + " " + r);
    }

    private static void expectIllegalArgument(CellCase c, String what, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call,
                c + " " + what + " must raise IllegalArgumentException");
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), c + " " + what + ": message is empty");
    }

    private static double dot(double[] a, double[] b) {
        double acc = 0.0;
        for (int i = 0; i < a.length; i++) {
            acc += a[i] * b[i];
        }
        return acc;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /**
     * The closed-form Jacobians at sizes whose 4-wide blocks are full, ragged and absent (N = 1, 2, 3, 4, 5, 13, 64,
     * 67): every entry against the matrix assembled row by row from stepBackward with unit upstream vectors (itself
     * checked against finite differences by the contract), with scratch and output filled with NaN first so that a
     * read of stale scratch or an unwritten entry shows.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Activation.class)
    protected void jacobiansMatchStepBackwardAtBlockedSizes(Activation act) {
        Cell cell = cell();
        for (int n : new int[] {1, 2, 3, 4, 5, 13, 64, 67}) {
            CellSpec spec = new CellSpec(3, n, act);
            SplittableRandom rng = new SplittableRandom(7 + n);
            double[] p = jacobianParameters(cell, spec, rng);
            int sz = cell.stateSize(spec);
            int m = spec.inputs();
            double[] s = new double[sz];
            for (int i = 0; i < sz; i++) {
                s[i] = rng.nextDouble(-1.0, 1.0);
            }
            double[] x = new double[m];
            for (int j = 0; j < m; j++) {
                x[j] = rng.nextGaussian();
            }
            double[] scratch = new double[cell.scratchSize(spec)];
            double[] js = new double[sz * sz];
            double[] jx = new double[sz * m];
            Arrays.fill(scratch, Double.NaN);
            Arrays.fill(js, Double.NaN);
            Arrays.fill(jx, Double.NaN);
            cell.stateJacobian(spec, p, s, x, js, scratch);
            Arrays.fill(scratch, Double.NaN);
            cell.inputJacobian(spec, p, s, x, jx, scratch);

            double[] refS = new double[sz * sz];
            double[] refX = new double[sz * m];
            double[] g = new double[sz];
            double[] gS = new double[sz];
            double[] gX = new double[m];
            for (int i = 0; i < sz; i++) {
                Arrays.fill(g, 0.0);
                g[i] = 1.0;
                cell.stepBackward(spec, p, s, x, g, gS, gX, null, scratch);
                System.arraycopy(gS, 0, refS, i * sz, sz);
                System.arraycopy(gX, 0, refX, i * m, m);
            }
            String where = cell.name() + " " + act.id() + " N=" + n;
            assertClose(where + " dF/ds", refS, js);
            assertClose(where + " dF/dx", refX, jx);
        }
    }

    /** stateJacobian allocates nothing once compiled (N = 64; best of up to five windows of 50 calls). */
    @Test
    protected void stateJacobianAllocatesNothing() throws NoSuchMethodException {
        Cell cell = cell();
        if (cell.getClass().getMethod("stateJacobian", CellSpec.class, double[].class, double[].class, double[].class,
                double[].class, double[].class).getDeclaringClass() == Cell.class) {
            return; // the SPI's default assembles J from stepBackward and allocates; only closed forms are held to this
        }
        CellSpec spec = new CellSpec(3, 64, Activation.TANH);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!mx.isThreadAllocatedMemorySupported()) {
            return;
        }
        mx.setThreadAllocatedMemoryEnabled(true);
        SplittableRandom rng = new SplittableRandom(3);
        double[] p = jacobianParameters(cell, spec, rng);
        int sz = cell.stateSize(spec);
        double[] s = new double[sz];
        for (int i = 0; i < sz; i++) {
            s[i] = rng.nextDouble(-1.0, 1.0);
        }
        double[] x = new double[spec.inputs()];
        double[] jac = new double[sz * sz];
        double[] scratch = new double[cell.scratchSize(spec)];
        long allocated = Long.MAX_VALUE;
        for (int window = 0; window < 5 && allocated != 0; window++) {
            for (int i = 0; i < 500; i++) {
                cell.stateJacobian(spec, p, s, x, jac, scratch);
            }
            long empty0 = mx.getCurrentThreadAllocatedBytes();
            long empty1 = mx.getCurrentThreadAllocatedBytes();
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 50; i++) {
                cell.stateJacobian(spec, p, s, x, jac, scratch);
            }
            allocated = Math.min(allocated, (mx.getCurrentThreadAllocatedBytes() - before) - (empty1 - empty0));
        }
        assertEquals(0, allocated, cell.name() + ": stateJacobian allocated " + allocated + " bytes over 50 calls");
    }

    /** The cell's initialisation plus Normal(0, 0.5) on every parameter, so that no gate sits at a symmetric value. */
    private static double[] jacobianParameters(Cell cell, CellSpec spec, SplittableRandom rng) {
        double[] p = new double[cell.parameterCount(spec)];
        cell.initialize(spec, rng, p);
        for (int i = 0; i < p.length; i++) {
            p[i] += 0.5 * rng.nextGaussian();
        }
        return p;
    }

    /** Every entry within 1e-12 of the largest reference entry (at least 1): the two sum in different orders. */
    private static void assertClose(String what, double[] expected, double[] actual) {
        double scale = 1.0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            if (!(d <= 1e-12 * scale)) {
                fail(what + ": entry " + i + " is " + actual[i] + ", stepBackward gives " + expected[i]
                        + " (difference " + d + ", allowed " + 1e-12 * scale + ")");
            }
        }
    }
}
