package org.rnnatlas.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.io.Npy;
import org.rnnatlas.core.population.NetworkRecord;

/** The same spec gives the same bytes with 1 or 2 threads; a rerun resumes and changes nothing. */
class ReproducibilityTest {
    @TempDir
    Path dir;

    static final String[] POPULATION = {"train", "--task", "cdi,flipflop", "--cell", "vanilla,ugrnn,gru,lstm",
        "--activation", "tanh,relu", "--units", "6", "--seeds", "0,1", "--iterations", "8", "--search-trials", "2",
        "--search-iterations", "4", "--optimizer", "sgd"};

    static String[] with(String... more) {
        String[] all = new String[POPULATION.length + more.length];
        System.arraycopy(POPULATION, 0, all, 0, POPULATION.length);
        System.arraycopy(more, 0, all, POPULATION.length, more.length);
        return all;
    }

    @Test
    void oneAndTwoThreadsGiveBitIdenticalStores() throws Exception {
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        Cli.Result r1 = Cli.run(with("--threads", "1", "--out", one.toString()));
        assertEquals(0, r1.code(), r1::toString);
        Cli.Result r2 = Cli.run(with("--threads", "2", "--out", two.toString()));
        assertEquals(0, r2.code(), r2::toString);
        Map<String, byte[]> a = Cli.deterministicFiles(one);
        Map<String, byte[]> b = Cli.deterministicFiles(two);
        assertEquals(a.keySet(), b.keySet());
        // 2 tasks x 4 cells x 2 activations x 2 seeds
        assertEquals(32, a.keySet().stream().filter(k -> k.endsWith("network.json")).count());
        assertEquals(32, a.keySet().stream().filter(k -> k.startsWith("search")).count());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), b.get(k), k + " differs between 1 and 2 threads");
        }

        // each configuration's networks train with its best search trial: lowest validation MSE, iterations reset
        String config = "flipflop-gru-relu-n6-l2_1e-04";
        var t0 = Json.read(one.resolve("search/" + config + "/trial-0.json"),
                org.rnnatlas.core.population.SearchTrialRecord.class);
        var t1 = Json.read(one.resolve("search/" + config + "/trial-1.json"),
                org.rnnatlas.core.population.SearchTrialRecord.class);
        var best = t0.diverged() || (!t1.diverged() && t1.validationMse() < t0.validationMse()) ? t1 : t0;
        NetworkRecord net = Json.read(one.resolve("networks/" + config + "-s1/network.json"), NetworkRecord.class);
        if (best.diverged()) {
            assertEquals("spec", net.hyperparameterSource(), "every trial diverged: the spec's values are used");
        } else {
            assertEquals("search:" + config + "#" + best.trial(), net.hyperparameterSource());
            assertEquals(best.hyperparameters().learningRate(), net.hyperparameters().learningRate());
            assertEquals(best.hyperparameters().clip(), net.hyperparameters().clip());
            assertEquals(4, best.hyperparameters().iterations());
            assertEquals(8, net.hyperparameters().iterations());
        }

        Cli.Result again = Cli.run(with("--threads", "2", "--out", one.toString()));
        assertEquals(0, again.code(), again::toString);
        assertTrue(again.out().contains("0 trained, 0 diverged, 32 already finished"), again::toString);
        Map<String, byte[]> c = Cli.deterministicFiles(one);
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), c.get(k), k + " changed on rerun");
        }
    }

    @Test
    void storedFilesDescribeThemselves() throws Exception {
        Path store = dir.resolve("s");
        Cli.Result r = Cli.run("train", "--task", "cdi", "--cell", "lstm", "--units", "5", "--iterations", "4",
                "--out", store.toString());
        assertEquals(0, r.code(), r::toString);
        Path net = store.resolve("networks/cdi-lstm-tanh-n5-l2_1e-04-s0");
        NetworkRecord rec = Json.read(net.resolve("network.json"), NetworkRecord.class);
        assertEquals("trained", rec.status());
        assertEquals(10, rec.stateSize(), "LSTM state is [h; c]");
        assertEquals("lstm", rec.provenance().cell().name());
        assertTrue(rec.provenance().cell().jar().startsWith("rnnatlas-cell-lstm"), rec.provenance().toString());
        assertEquals("cdi", rec.provenance().task().name());
        assertTrue(rec.provenance().kernel().length() > 0);
        // every array the record names exists with the recorded shape
        for (NetworkRecord.StoredArray a : rec.parameters()) {
            Npy.Array arr = Npy.read(net.resolve(a.file()));
            assertEquals(a.shape(), java.util.Arrays.stream(arr.shape()).boxed().toList(), a.file());
        }
        Npy.Array states = Npy.read(net.resolve(rec.probeStates().file()));
        assertArrayEquals(new int[] {54, 30, 10}, states.shape());
        Npy.Array inputs = Npy.read(store.resolve("tasks/cdi/probe_inputs.npy"));
        assertArrayEquals(new int[] {54, 30, 4}, inputs.shape());
        Npy.Array w = Npy.read(net.resolve("params/W.npy"));
        assertArrayEquals(new int[] {5, 20}, w.shape(), "W is N x 4N for the LSTM");
        assertTrue(Files.exists(net.resolve("init/W.npy")));
        assertEquals(4, Npy.read(net.resolve("loss.npy")).size());
    }
}
