package org.rnnatlas.spi.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.rnnatlas.spi.Task;
import org.rnnatlas.spi.TaskShape;

/**
 * Golden-file check of a task's first batch: the batch of {@code batch} trials drawn from
 * {@code new SplittableRandom(seed)} is compared bit for bit with a text file in the test resources.
 *
 * <p>Format: two {@code #} header lines naming the task, its options, seed, batch and shape; then one line per step
 * and trial, {@code t b x_0 … x_{M−1} y_0 … y_{K−1}}, each value written with {@link Float#toString} (which
 * round-trips exactly). The header is compared too, so a changed option or shape is reported as such.
 *
 * <p>Regeneration is explicit: run the test with {@code -Dgolden.update=true}. The file is then written into the
 * source tree, {@code <basedir>/src/test/resources/<package of anchor>/<file>}, where basedir is the
 * {@code basedir} system property surefire sets (else the working directory, which surefire sets to the module).
 * Without the property a missing or different file fails the test.
 */
public final class TaskGolden {

    /** The system property that switches from checking to rewriting golden files. */
    public static final String UPDATE_PROPERTY = "golden.update";

    private TaskGolden() {
    }

    /** The golden text for {@code task}'s first batch of {@code batch} trials from {@code SplittableRandom(seed)}. */
    public static String render(Task task, long seed, int batch) {
        TaskShape s = task.shape();
        int m = s.inputs();
        int k = s.outputs();
        float[] x = new float[s.steps() * batch * m];
        float[] y = new float[s.steps() * batch * k];
        task.sample(new SplittableRandom(seed), batch, x, y);
        StringBuilder sb = new StringBuilder(64 * s.steps() * batch);
        sb.append(header(task, seed, batch)).append('\n');
        for (int t = 0; t < s.steps(); t++) {
            for (int b = 0; b < batch; b++) {
                sb.append(t).append(' ').append(b);
                for (int i = 0; i < m; i++) {
                    sb.append(' ').append(Float.toString(x[(t * batch + b) * m + i]));
                }
                for (int i = 0; i < k; i++) {
                    sb.append(' ').append(Float.toString(y[(t * batch + b) * k + i]));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static String header(Task task, long seed, int batch) {
        TaskShape s = task.shape();
        return "# rnnatlas task golden: task=" + task.name() + " options=" + new TreeMap<>(task.options())
                + " seed=" + seed + " generator=java.util.SplittableRandom batch=" + batch + "\n"
                + "# T=" + s.steps() + " M=" + s.inputs() + " K=" + s.outputs()
                + "; one line per (t, b): t b x_0..x_{M-1} y_0..y_{K-1}";
    }

    /**
     * Checks the golden file {@code fileName}, a test resource in {@code anchor}'s package, or rewrites it when
     * {@code -Dgolden.update=true}.
     */
    public static void verify(Task task, long seed, int batch, Class<?> anchor, String fileName) {
        Objects.requireNonNull(anchor, "anchor");
        String actual = render(task, seed, batch);
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Path file = sourcePath(anchor, fileName);
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("could not write golden file " + file, e);
            }
            System.err.println("[golden] wrote " + file);
            return;
        }
        String expected;
        try (InputStream in = anchor.getResourceAsStream(fileName)) {
            if (in == null) {
                fail("golden file " + fileName + " not found next to " + anchor.getName()
                        + " in the test resources; create it with -D" + UPDATE_PROPERTY + "=true");
                return;
            }
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        compare(expected, actual, fileName);
    }

    private static void compare(String expected, String actual, String fileName) {
        String hint = " (golden " + fileName + "; if the change is intended, regenerate with -D"
                + UPDATE_PROPERTY + "=true and say why in the commit)";
        List<String> e = lines(expected);
        List<String> a = lines(actual);
        for (int i = 0; i < Math.min(e.size(), a.size()); i++) {
            String el = e.get(i);
            String al = a.get(i);
            if (el.startsWith("#") || al.startsWith("#")) {
                assertEquals(el, al, "golden header line " + (i + 1) + " differs" + hint);
                continue;
            }
            String[] ef = el.trim().split("\\s+");
            String[] af = al.trim().split("\\s+");
            if (ef.length != af.length) {
                fail("line " + (i + 1) + " has " + af.length + " fields, golden has " + ef.length + hint);
            }
            for (int f = 2; f < ef.length; f++) {
                float ev = Float.parseFloat(ef[f]);
                float av = Float.parseFloat(af[f]);
                if (Float.floatToIntBits(ev) != Float.floatToIntBits(av)) {
                    fail("line " + (i + 1) + " (t=" + ef[0] + ", b=" + ef[1] + ") field " + (f - 2)
                            + ": golden " + ef[f] + ", now " + af[f] + hint);
                }
            }
            assertEquals(ef[0] + " " + ef[1], af[0] + " " + af[1], "line " + (i + 1) + " indices" + hint);
        }
        assertEquals(e.size(), a.size(), "number of lines" + hint);
    }

    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (String l : text.split("\\R")) {
            if (!l.isBlank()) {
                out.add(l);
            }
        }
        return out;
    }

    /** {@code <basedir>/src/test/resources/<anchor's package as a path>/<fileName>}. */
    static Path sourcePath(Class<?> anchor, String fileName) {
        String base = System.getProperty("basedir", System.getProperty("user.dir"));
        return Path.of(base, "src", "test", "resources")
                .resolve(anchor.getPackageName().replace('.', '/'))
                .resolve(fileName);
    }
}
