package org.rnnatlas.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training process killed with SIGKILL part-way loses only the networks in flight: a rerun of the same command
 * finishes the rest, and the store equals, byte for byte, one trained without interruption.
 */
class KillAndResumeTest {
    @TempDir
    Path dir;

    private static final String[] ARGS = {"train", "--task", "flipflop", "--cell", "vanilla,gru,lstm,ugrnn",
        "--activation", "tanh,relu", "--units", "16", "--iterations", "400", "--threads", "1", "--optimizer", "adam",
        "--lr", "0.01"};

    private static String[] with(String out) {
        String[] a = java.util.Arrays.copyOf(ARGS, ARGS.length + 2);
        a[ARGS.length] = "--out";
        a[ARGS.length + 1] = out;
        return a;
    }

    private static long finished(Path store) throws Exception {
        Path nets = store.resolve("networks");
        if (!Files.isDirectory(nets)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(nets)) {
            return s.filter(p -> Files.exists(p.resolve("network.json"))).count();
        }
    }

    @Test
    void killedRunResumesToTheSameStore() throws Exception {
        Path killed = dir.resolve("killed");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Drnnatlas.simd=" + System.getProperty("rnnatlas.simd", "auto"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(with(killed.toString())));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (finished(killed) < 1 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(p.isAlive(), "the child should still be training when killed; log:\n"
                + Files.readString(dir.resolve("child.log")));
        p.destroyForcibly().waitFor();
        long done = finished(killed);
        assertTrue(done >= 1 && done < 8, "killed after " + done + " of 8 networks");

        Cli.Result resumed = Cli.run(with(killed.toString()));
        assertEquals(0, resumed.code(), resumed::toString);
        assertTrue(resumed.out().contains(done + " already finished"), resumed::toString);

        Path clean = dir.resolve("clean");
        Cli.Result straight = Cli.run(with(clean.toString()));
        assertEquals(0, straight.code(), straight::toString);
        Map<String, byte[]> a = Cli.deterministicFiles(killed);
        Map<String, byte[]> b = Cli.deterministicFiles(clean);
        assertEquals(b.keySet(), a.keySet(), "same files, and no temporaries left behind");
        for (String k : a.keySet()) {
            assertArrayEquals(b.get(k), a.get(k), k);
        }
        try (Stream<Path> s = Files.walk(killed)) {
            assertTrue(s.noneMatch(f -> f.getFileName().toString().contains(".tmp-")), "temporaries cleaned");
        }
        assertTrue(new File(killed.toFile(), "runs.log").length() > 0);
    }
}
