package org.rnnatlas.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Crash-safe file writes: every file is written to a temporary sibling ({@code .NAME.tmp-<thread>}), forced to disk
 * and renamed over the target in one atomic step. A kill at any moment leaves either the old file, the new file, or
 * a stray temporary that {@link #removeTemporaries} cleans up and no reader ever opens.
 *
 * <p>Any java.nio provider works (only {@link Files} is used). Where the provider cannot rename atomically (S3A,
 * GCS: a copy then a delete) the rename falls back to a plain replacing move; a crash during it leaves the target
 * absent or whole, never torn, since an object store makes an object visible only when it is complete.
 */
public final class AtomicFiles {
    /** Temporary files carry this infix, so they are recognisable and never read. */
    public static final String TMP_INFIX = ".tmp-";

    private AtomicFiles() {
    }

    /** What a streamed atomic write puts into the temporary file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(WritableByteChannel channel) throws IOException;
    }

    /** Writes {@code content} to {@code target} atomically (see the class comment). */
    public static void write(Path target, ByteBuffer content) throws IOException {
        write(target, ch -> {
            while (content.hasRemaining()) {
                ch.write(content);
            }
        });
    }

    /**
     * Streams a file too large for one buffer atomically: {@code content} writes to a temporary sibling, which is then
     * made durable and renamed over {@code target}. If {@code content} throws, the temporary is deleted and
     * {@code target} is left as it was. Works on any java.nio provider.
     */
    public static void write(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + TMP_INFIX + Thread.currentThread().threadId());
        // on the default filesystem this is a FileChannel, forced to disk before the rename; other providers make
        // the bytes durable when the channel closes (the Hadoop one hsyncs where the filesystem can)
        try (SeekableByteChannel ch = Files.newByteChannel(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            content.writeTo(ch);
            if (ch instanceof FileChannel fc) {
                fc.force(true);
            }
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Deletes temporaries left by a killed run under {@code root} (recursively); returns how many. */
    public static int removeTemporaries(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int[] count = {0};
        try (var paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") && name.contains(TMP_INFIX) && Files.isRegularFile(p)) {
                    Files.deleteIfExists(p);
                    count[0]++;
                }
            }
        }
        return count[0];
    }

    /** True when {@code dir} exists and holds no entries. */
    public static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            return !ds.iterator().hasNext();
        }
    }
}
