package org.rnnatlas.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store locations: plain paths and URIs, and the store's writers on a provider other than the default one (the
 * JDK's zip filesystem, which has no FileChannel-backed files and no {@code toFile()}).
 */
class StorePathsTest {

    @Test
    void plainPathsAndFileUrisAreDefaultFilesystemPaths(@TempDir Path dir) {
        assertEquals(Path.of("/shared/study"), StorePaths.of("/shared/study"));
        assertEquals(Path.of("study/a"), StorePaths.of("study/a"));
        assertEquals(Path.of("/shared/a b"), StorePaths.of("file:///shared/a%20b"));
        assertEquals(dir, StorePaths.of(dir.toUri().toString()));
        for (Path p : new Path[] {dir, dir.resolve("a b"), Path.of("rel/x"), dir.resolve("50%")}) {
            assertEquals(p, StorePaths.of(StorePaths.toArg(p)), p.toString());
            assertTrue(StorePaths.isDefault(p));
        }
    }

    @Test
    void anUnknownSchemeNamesTheAvailableOnesAndTheJarThatBringsHadoops() {
        var e = assertThrows(IllegalArgumentException.class, () -> StorePaths.of("nosuchfs://host/study"));
        assertTrue(e.getMessage().contains("No filesystem for scheme 'nosuchfs'"), e.getMessage());
        assertTrue(e.getMessage().contains("file") && e.getMessage().contains("jar"), e.getMessage());
        assertTrue(e.getMessage().contains("rnnatlas-store-hadoop"), e.getMessage());
        assertTrue(StorePaths.schemes().contains("file"));
    }

    @Test
    void aColonInARelativeFolderNameIsNoScheme() {
        assertEquals(Path.of("exp:1"), StorePaths.of("exp:1"));
        assertEquals(Path.of("runs:a/b"), StorePaths.of("runs:a/b"));
        assertEquals(Path.of("exp:1"), StorePaths.of(StorePaths.toArg(Path.of("exp:1"))));
    }

    @Test
    void storeFilesWriteAndReadOnAnotherProviderByteForByte(@TempDir Path dir) throws IOException {
        URI zip = URI.create("jar:" + dir.resolve("store.zip").toUri());
        double[] d = new SplittableRandom(11).doubles(24).toArray();
        record Rec(String name, int units) {
        }
        try (FileSystem fs = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
            Path root = fs.getPath("/study");
            assertFalse(StorePaths.isDefault(root));
            // the provider is installed, so the store argument comes back as the same path
            assertEquals(root, StorePaths.of(StorePaths.toArg(root)));
            Npy.write(root.resolve("n/params/W.npy"), d, 4, 6);
            Npy.write(dir.resolve("n/params/W.npy"), d, 4, 6);
            Json.write(root.resolve("n/network.json"), new Rec("gru", 4));
            Json.write(dir.resolve("n/network.json"), new Rec("gru", 4));
            Npy.write(root.resolve("n/params/W.npy"), d, 6, 4);
            Npy.write(dir.resolve("n/params/W.npy"), d, 6, 4);
            for (String f : new String[] {"n/params/W.npy", "n/network.json"}) {
                assertArrayEquals(Files.readAllBytes(dir.resolve(f)), Files.readAllBytes(root.resolve(f)), f);
            }
            assertArrayEquals(d, Npy.read(root.resolve("n/params/W.npy")).data());
            assertArrayEquals(new int[] {6, 4}, Npy.read(root.resolve("n/params/W.npy")).shape());
            assertEquals(new Rec("gru", 4), Json.read(root.resolve("n/network.json"), Rec.class));
            assertEquals("gru", Json.readTree(root.resolve("n/network.json")).path("name").asText());
            Files.writeString(root.resolve("n/.x" + AtomicFiles.TMP_INFIX + "1"), "torn");
            assertEquals(1, AtomicFiles.removeTemporaries(root));
            assertFalse(AtomicFiles.isEmptyDirectory(root.resolve("n")));
        }
    }

    @Test
    void aStreamedWriteThatFailsLeavesTheTargetAndNoTemporary(@TempDir Path dir) throws IOException {
        URI zip = URI.create("jar:" + dir.resolve("s.zip").toUri());
        try (FileSystem fs = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
            for (Path root : new Path[] {dir, fs.getPath("/study")}) {
                Path target = root.resolve("m/matrix.npy");
                AtomicFiles.write(target, ch -> {
                    for (int i = 0; i < 3; i++) {
                        ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) i, (byte) (i + 10)}));
                    }
                });
                assertArrayEquals(new byte[] {0, 10, 1, 11, 2, 12}, Files.readAllBytes(target), root.toString());
                var e = assertThrows(IOException.class, () -> AtomicFiles.write(target, ch -> {
                    ch.write(java.nio.ByteBuffer.wrap(new byte[] {9, 9}));
                    throw new IOException("disk full");
                }));
                assertEquals("disk full", e.getMessage());
                assertArrayEquals(new byte[] {0, 10, 1, 11, 2, 12}, Files.readAllBytes(target), root.toString());
                try (var s = Files.list(target.getParent())) {
                    assertEquals(java.util.List.of(target), s.toList(), root.toString());
                }
            }
        }
    }
}
