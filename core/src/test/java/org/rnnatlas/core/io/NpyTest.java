package org.rnnatlas.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's array format against files NumPy wrote (see the README beside the golden files). */
class NpyTest {
    @TempDir
    Path dir;

    private static byte[] golden(String name) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void writesTheBytesNumpyWrites() throws IOException {
        float[] a = new float[6];
        for (int i = 0; i < 6; i++) {
            a[i] = i * 0.5f - 1f;
        }
        Npy.write(dir.resolve("a.npy"), a, 2, 3);
        assertArrayEquals(golden("f32_2x3.npy"), Files.readAllBytes(dir.resolve("a.npy")));

        Npy.write(dir.resolve("b.npy"), new double[] {1.0, -2.5, 3.25, 1e-300, -0.0}, 5);
        assertArrayEquals(golden("f64_5.npy"), Files.readAllBytes(dir.resolve("b.npy")));

        float[] c = {0, 1, 2, 3, 4, 5};
        Npy.write(dir.resolve("c.npy"), c, 2, 1, 3);
        assertArrayEquals(golden("f32_2x1x3.npy"), Files.readAllBytes(dir.resolve("c.npy")));
    }

    @Test
    void readsWhatNumpyWrote() throws IOException {
        Path p = dir.resolve("g.npy");
        Files.write(p, golden("f32_2x1x3.npy"));
        Npy.Array arr = Npy.read(p);
        assertArrayEquals(new int[] {2, 1, 3}, arr.shape());
        assertEquals("<f4", arr.dtype());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, arr.data());
        Files.write(p, golden("f64_5.npy"));
        arr = Npy.read(p);
        assertArrayEquals(new int[] {5}, arr.shape());
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(arr.data()[4]));
    }

    @Test
    void rejectsShapeMismatchAndForeignFiles() throws IOException {
        var e = assertThrows(IllegalArgumentException.class, () -> Npy.write(dir.resolve("x.npy"), new float[5], 2, 3));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        Path bad = dir.resolve("bad.npy");
        Files.writeString(bad, "definitely not numpy");
        var io = assertThrows(IOException.class, () -> Npy.read(bad));
        assertTrue(io.getMessage().contains("not a .npy file"), io.getMessage());
    }

    @Test
    void atomicWriteLeavesNoTemporary() throws IOException {
        Npy.write(dir.resolve("sub/z.npy"), new float[] {1, 2}, 2);
        try (var s = Files.list(dir.resolve("sub"))) {
            assertEquals(1, s.count());
        }
        Files.writeString(dir.resolve("sub/.z.npy" + AtomicFiles.TMP_INFIX + "7"), "partial");
        assertEquals(1, AtomicFiles.removeTemporaries(dir));
        assertTrue(Files.exists(dir.resolve("sub/z.npy")));
    }
}
