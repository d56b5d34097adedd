package org.rnnatlas.store.hadoop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnatlas.core.io.AtomicFiles;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.io.Npy;
import org.rnnatlas.core.io.StorePaths;

/**
 * The provider against Hadoop's local filesystem (test scheme {@code hadoop-file}): every write is checked through
 * the default filesystem (java.io's view of the same disk) and every read against bytes written by the JDK.
 */
class HadoopFileSystemProviderTest {
    @TempDir
    Path local;
    /** The same folder as {@link #local}, through Hadoop. */
    Path root;

    @BeforeEach
    void open() {
        root = StorePaths.of("hadoop-file://" + local.toAbsolutePath());
        assertInstanceOf(HadoopPath.class, root);
    }

    /** The default-filesystem twin of a Hadoop path under {@link #root}. */
    private Path twin(Path p) {
        return local.resolve(root.relativize(p).toString());
    }

    @Test
    void installedAndFoundByScheme() {
        List<String> schemes = new ArrayList<>(StorePaths.schemes());
        assertTrue(schemes.containsAll(List.of("hdfs", "viewfs", "s3a", "abfs", "abfss", "gs", "hadoop-file")),
                schemes.toString());
        Path hdfs = StorePaths.of("hdfs://nn.example:8020/study");
        assertEquals("hdfs://nn.example:8020/study", hdfs.toString());
        assertEquals("/study/networks", ((HadoopPath) hdfs.resolve("networks")).pathString());
        assertTrue(((HadoopFileSystem) hdfs.getFileSystem()).atomicRename());
    }

    @Test
    void writesAreWhatTheDiskHoldsAndReadsAreWhatTheDiskHeld() throws IOException {
        byte[] data = new byte[200_000];
        new SplittableRandom(3).nextBytes(data);
        Path f = root.resolve("a.bin");
        Files.write(f, data);
        assertArrayEquals(data, Files.readAllBytes(twin(f)));
        assertArrayEquals(data, Files.readAllBytes(f));
        assertEquals(data.length, Files.size(f));
        assertFalse(Files.exists(local.resolve(".a.bin.crc")), "RawLocalFileSystem writes no checksum file");

        Files.write(local.resolve("b.txt"), List.of("one", "two"));
        assertEquals(List.of("one", "two"), Files.readAllLines(root.resolve("b.txt")));
        Files.writeString(root.resolve("b.txt"), "three\n", StandardOpenOption.APPEND);
        assertEquals("one\ntwo\nthree\n", Files.readString(local.resolve("b.txt")));

        try (SeekableByteChannel ch = Files.newByteChannel(f)) {
            assertEquals(data.length, ch.size());
            ch.position(150_000);
            ByteBuffer b = ByteBuffer.allocate(10);
            assertEquals(10, ch.read(b));
            for (int i = 0; i < 10; i++) {
                assertEquals(data[150_000 + i], b.get(i));
            }
            ByteBuffer direct = ByteBuffer.allocateDirect(100);
            ch.position(data.length - 40);
            assertEquals(40, ch.read(direct));
            direct.flip();
            for (int i = 0; i < 40; i++) {
                assertEquals(data[data.length - 40 + i], direct.get(i));
            }
            assertEquals(-1, ch.read(direct.clear()));
            ch.position(data.length + 5);
            assertEquals(-1, ch.read(ByteBuffer.allocate(1)));
        }
        try (InputStream in = Files.newInputStream(f)) {
            assertEquals(data[0], (byte) in.read());
        }
        try (OutputStream out = Files.newOutputStream(root.resolve("c.bin"))) {
            out.write(data, 0, 1000);
        }
        assertEquals(1000, Files.size(local.resolve("c.bin")));
    }

    @Test
    void openOptionsFollowJavaNio() throws IOException {
        Path f = root.resolve("x");
        assertThrows(NoSuchFileException.class, () -> Files.readAllBytes(f));
        assertThrows(NoSuchFileException.class, () -> Files.newByteChannel(f, StandardOpenOption.WRITE));
        assertThrows(NoSuchFileException.class, () -> Files.writeString(root.resolve("no/such/dir/x"), "a"));
        Files.writeString(f, "abc", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        assertThrows(FileAlreadyExistsException.class,
                () -> Files.writeString(f, "abc", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        var inPlace = assertThrows(UnsupportedOperationException.class,
                () -> Files.writeString(f, "z", StandardOpenOption.WRITE));
        assertTrue(inPlace.getMessage().contains("TRUNCATE_EXISTING"), inPlace.getMessage());
        Files.writeString(f, "de");
        assertEquals("de", Files.readString(local.resolve("x")));
        var channel = assertThrows(UnsupportedOperationException.class, () -> FileChannel.open(f));
        assertTrue(channel.getMessage().contains("Files.newByteChannel"), channel.getMessage());
        assertThrows(java.nio.file.FileSystemException.class, () -> Files.readAllBytes(root));
    }

    @Test
    void directoriesListCreateAndDelete() throws IOException {
        Path deep = root.resolve("a/b/c");
        Files.createDirectories(deep);
        assertTrue(Files.isDirectory(local.resolve("a/b/c")));
        assertTrue(Files.isDirectory(deep));
        Files.createDirectories(deep); // again: no error
        assertThrows(FileAlreadyExistsException.class, () -> Files.createDirectory(deep));
        assertThrows(NoSuchFileException.class, () -> Files.createDirectory(root.resolve("p/q")));
        for (String n : List.of("one.npy", "two.npy", "three.json")) {
            Files.writeString(root.resolve("a").resolve(n), n);
        }
        List<String> npy = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root.resolve("a"), "*.npy")) {
            ds.forEach(p -> npy.add(p.getFileName().toString()));
        }
        npy.sort(null);
        assertEquals(List.of("one.npy", "two.npy"), npy);
        try (Stream<Path> s = Files.list(root.resolve("a"))) {
            assertEquals(4, s.count());
        }
        assertThrows(NotDirectoryException.class, () -> Files.list(root.resolve("a/one.npy")).close());

        // Files.walk sees what java.io sees, with the same attributes
        TreeMap<String, String> viaHadoop = new TreeMap<>();
        TreeMap<String, String> viaJdk = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                viaHadoop.put(root.relativize(p).toString(), a.isDirectory() + " " + a.isRegularFile() + " "
                        + (a.isDirectory() ? 0 : a.size()) + " " + a.lastModifiedTime().toMillis() / 1000);
            }
        }
        try (Stream<Path> s = Files.walk(local)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                viaJdk.put(local.relativize(p).toString(), a.isDirectory() + " " + a.isRegularFile() + " "
                        + (a.isDirectory() ? 0 : a.size()) + " " + a.lastModifiedTime().toMillis() / 1000);
            }
        }
        assertEquals(viaJdk, viaHadoop);
        var attrs = Files.readAttributes(root.resolve("a/two.npy"), "basic:size,isDirectory");
        assertEquals(7L, attrs.get("size"));
        assertEquals(false, attrs.get("isDirectory"));

        assertThrows(DirectoryNotEmptyException.class, () -> Files.delete(root.resolve("a")));
        Files.delete(root.resolve("a/one.npy"));
        assertFalse(Files.exists(local.resolve("a/one.npy")));
        assertThrows(NoSuchFileException.class, () -> Files.delete(root.resolve("a/one.npy")));
        assertFalse(Files.deleteIfExists(root.resolve("a/one.npy")));
        assertTrue(Files.deleteIfExists(root.resolve("a/b/c")));
        assertFalse(Files.exists(local.resolve("a/b/c")));
        assertThrows(NoSuchFileException.class, () -> root.resolve("gone").getFileSystem().provider()
                .checkAccess(root.resolve("gone")));
        assertTrue(Files.isReadable(root.resolve("a")) && Files.isWritable(root.resolve("a/two.npy")));
    }

    @Test
    void moveAndCopy() throws IOException {
        Path a = root.resolve("a");
        Path b = root.resolve("b");
        Files.writeString(a, "first");
        Files.writeString(b, "second");
        assertThrows(FileAlreadyExistsException.class, () -> Files.move(a, b));
        // the test scheme's rename is delete-then-rename, as on object stores: ATOMIC_MOVE is refused
        assertThrows(AtomicMoveNotSupportedException.class, () -> Files.move(a, b, StandardCopyOption.ATOMIC_MOVE));
        Files.move(a, b, StandardCopyOption.REPLACE_EXISTING);
        assertFalse(Files.exists(local.resolve("a")));
        assertEquals("first", Files.readString(local.resolve("b")));
        Files.move(b, root.resolve("c"));
        assertEquals("first", Files.readString(local.resolve("c")));
        assertThrows(NoSuchFileException.class, () -> Files.move(b, a));

        Files.copy(root.resolve("c"), root.resolve("d"));
        assertEquals("first", Files.readString(local.resolve("d")));
        assertThrows(FileAlreadyExistsException.class, () -> Files.copy(root.resolve("c"), root.resolve("d")));
        Files.writeString(local.resolve("e"), "other");
        Files.copy(root.resolve("e"), root.resolve("d"), StandardCopyOption.REPLACE_EXISTING);
        assertEquals("other", Files.readString(local.resolve("d")));
        // across providers the JDK copies through streams
        Files.copy(root.resolve("d"), local.resolve("f"));
        assertEquals("other", Files.readString(local.resolve("f")));
        Files.copy(local.resolve("f"), root.resolve("g"));
        assertEquals("other", Files.readString(local.resolve("g")));

        FileTime t = FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(root.resolve("g"), t);
        assertEquals(t, Files.getLastModifiedTime(local.resolve("g")));
        assertTrue(Files.isSameFile(root.resolve("g"), root.resolve("x/../g")));
        assertTrue(Files.isHidden(root.resolve(".tmp")));
    }

    @Test
    void storeFilesAreByteIdenticalToTheDefaultFilesystemsAndAtomicWritesLeaveNoTemporaries(@TempDir Path other)
            throws IOException {
        double[] d = new SplittableRandom(7).doubles(60).toArray();
        float[] f = new float[12];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) d[i];
        }
        Npy.write(root.resolve("n/params/W.npy"), d, 6, 10);
        Npy.write(other.resolve("n/params/W.npy"), d, 6, 10);
        Npy.write(root.resolve("n/b.npy"), f, 12);
        Npy.write(other.resolve("n/b.npy"), f, 12);
        record Rec(String name, int units, double value) {
        }
        Json.write(root.resolve("n/network.json"), new Rec("gru", 4, 0.25));
        Json.write(other.resolve("n/network.json"), new Rec("gru", 4, 0.25));
        for (String s : List.of("n/params/W.npy", "n/b.npy", "n/network.json")) {
            assertArrayEquals(Files.readAllBytes(other.resolve(s)), Files.readAllBytes(local.resolve(s)), s);
        }
        // overwriting replaces, and no temporary stays behind
        Npy.write(root.resolve("n/b.npy"), new float[] {1, 2}, 2);
        assertArrayEquals(new double[] {1, 2}, Npy.read(root.resolve("n/b.npy")).data());
        assertArrayEquals(d, Npy.read(root.resolve("n/params/W.npy")).data());
        assertEquals(new Rec("gru", 4, 0.25), Json.read(root.resolve("n/network.json"), Rec.class));
        assertEquals(4, Json.readTree(root.resolve("n/network.json")).path("units").asInt());
        try (Stream<Path> s = Files.walk(local)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().contains(AtomicFiles.TMP_INFIX))
                    .toList());
        }
        Files.writeString(local.resolve("n/.x.npy" + AtomicFiles.TMP_INFIX + "9"), "torn");
        assertEquals(1, AtomicFiles.removeTemporaries(root));
        assertFalse(Files.exists(local.resolve("n/.x.npy" + AtomicFiles.TMP_INFIX + "9")));
        assertNull(Files.readAttributes(root, BasicFileAttributes.class).fileKey());
    }
}
