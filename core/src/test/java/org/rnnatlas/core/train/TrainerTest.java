package org.rnnatlas.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnnatlas.core.kernel.ScalarOps;
import org.rnnatlas.spi.Activation;
import org.rnnatlas.spi.CellSpec;
import org.rnnatlas.spi.ParamBlock;

class TrainerTest {
    private static final int N = 5;
    private static final int B = 4;

    private static Model model(Activation act) {
        return new Model(new TinyCell(), new CellSpec(2, N, act), 2);
    }

    /**
     * The objective in double precision, straight from the definitions (SPEC §3): MSE over batch, time and outputs
     * of the readout of the cell's double-precision step, plus L2 times the sum of squares of every weight block.
     */
    private static double referenceObjective(Model model, double[] p, float[] xs, float[] ys, double l2) {
        DelayTask task = new DelayTask();
        int t = task.shape().steps();
        int k = model.outputs();
        double[][] s = new double[B][model.stateSize()];
        double[] next = new double[model.stateSize()];
        double[] scratch = new double[N];
        double sum = 0;
        int wo = model.readoutWeightOffset();
        int bo = model.readoutBiasOffset();
        for (int step = 0; step < t; step++) {
            for (int b = 0; b < B; b++) {
                double[] x = {xs[(step * B + b) * 2], xs[(step * B + b) * 2 + 1]};
                model.cell().step(model.spec(), p, s[b], x, next, scratch);
                s[b] = next.clone();
                for (int j = 0; j < k; j++) {
                    double y = p[bo + j];
                    for (int i = 0; i < N; i++) {
                        y += s[b][i] * p[wo + i * k + j];
                    }
                    double e = y - ys[(step * B + b) * k + j];
                    sum += e * e;
                }
            }
        }
        double penalty = 0;
        for (int i = 0; i < model.blocks().size(); i++) {
            ParamBlock blk = model.blocks().get(i);
            if (blk.decays()) {
                for (int j = 0; j < blk.size(); j++) {
                    penalty += p[model.offset(i) + j] * p[model.offset(i) + j];
                }
            }
        }
        return sum / (t * B * k) + l2 * penalty;
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheDoubleObjective() {
        for (Activation act : Activation.values()) {
            Model model = model(act);
            DelayTask task = new DelayTask();
            Trainer trainer = new Trainer(model, task, ScalarOps.INSTANCE, B);
            float[] params = model.initialize(new SplittableRandom(11));
            double l2 = 0.01;
            float[] grad = new float[params.length];
            trainer.objectiveAndGradient(params, l2, new SplittableRandom(3), grad);
            float[] xs = new float[DelayTask.STEPS * B * 2];
            float[] ys = new float[DelayTask.STEPS * B * 2];
            task.sample(new SplittableRandom(3), B, xs, ys);
            double[] p = new double[params.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = params[i];
            }
            double h = 1e-6;
            double maxErr = 0;
            double scale = 0;
            for (int i = 0; i < p.length; i++) {
                double keep = p[i];
                p[i] = keep + h;
                double up = referenceObjective(model, p, xs, ys, l2);
                p[i] = keep - h;
                double down = referenceObjective(model, p, xs, ys, l2);
                p[i] = keep;
                double fd = (up - down) / (2 * h);
                maxErr = Math.max(maxErr, Math.abs(fd - grad[i]));
                scale = Math.max(scale, Math.abs(fd));
            }
            // the trainer computes in float: agreement to ~1e-5 of the gradient's scale is float rounding
            assertTrue(maxErr < 1e-4 * scale, act + ": max |fd - grad| = " + maxErr + " at scale " + scale);
        }
    }

    @Test
    void sameSeedsGiveBitIdenticalTraining() {
        Model model = model(Activation.TANH);
        Hyperparameters hp = new Hyperparameters(Optimizer.SGD, 0.05, 0.5, 50, 0.9, 1.0, B, 50);
        float[] a = model.initialize(new SplittableRandom(1));
        float[] b = model.initialize(new SplittableRandom(1));
        assertArrayEquals(a, b);
        var ra = new Trainer(model, new DelayTask(), ScalarOps.INSTANCE, B).train(a, hp, 1e-3, new SplittableRandom(2), null);
        var rb = new Trainer(model, new DelayTask(), ScalarOps.INSTANCE, B).train(b, hp, 1e-3, new SplittableRandom(2), null);
        assertArrayEquals(ra.params(), rb.params());
        assertArrayEquals(ra.mse(), rb.mse());
    }

    @Test
    void trainingLowersTheLossWithEitherOptimizer() {
        for (Optimizer opt : Optimizer.values()) {
            Model model = model(Activation.TANH);
            Trainer trainer = new Trainer(model, new DelayTask(), ScalarOps.INSTANCE, B);
            float[] params = model.initialize(new SplittableRandom(4));
            double lr = opt == Optimizer.SGD ? 0.1 : 0.01;
            var hp = new Hyperparameters(opt, lr, 0.5, 400, 0.9, 5.0, B, 400);
            var probe = new DelayTask().probe();
            double before = trainer.evaluate(params, probe, null);
            TrainResult r = trainer.train(params, hp, 0, new SplittableRandom(5), null);
            double after = trainer.evaluate(params, probe, null);
            assertFalse(r.diverged());
            assertEquals(400, r.iterationsRun());
            assertTrue(after < 0.5 * before, opt + ": probe MSE " + before + " -> " + after);
        }
    }

    @Test
    void divergenceIsRecordedNotThrown() {
        Model model = model(Activation.RELU);
        Trainer trainer = new Trainer(model, new DelayTask(), ScalarOps.INSTANCE, B);
        float[] params = model.initialize(new SplittableRandom(4));
        // an absurd rate with no effective clipping drives relu units to overflow
        var hp = new Hyperparameters(Optimizer.SGD, 1e30, 1.0, 1, 0.0, 1e30, B, 100);
        TrainResult r = trainer.train(params, hp, 0, new SplittableRandom(5), null);
        assertTrue(r.diverged());
        assertTrue(r.iterationsRun() < 100);
        assertTrue(Double.isFinite(r.lastFiniteLoss()));
    }

    @Test
    void anIterationAllocatesNothing() {
        Model model = model(Activation.TANH);
        Trainer trainer = new Trainer(model, new DelayTask(), ScalarOps.INSTANCE, B);
        float[] params = model.initialize(new SplittableRandom(4));
        var hp = new Hyperparameters(Optimizer.ADAM, 1e-3, 0.5, 10, 0.9, 1.0, B, 2000);
        SplittableRandom data = new SplittableRandom(9);
        trainer.train(params, hp, 1e-4, data, null); // warm up the JIT
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = bean.getCurrentThreadAllocatedBytes();
        trainer.train(params, hp, 1e-4, data, null);
        long allocated = bean.getCurrentThreadAllocatedBytes() - before;
        // train() allocates its two loss curves (2 × 2000 floats) and the result; nothing per iteration
        assertTrue(allocated < 2 * 4 * 2000 + 4096, "allocated " + allocated + " bytes in 2000 iterations");
    }
}
