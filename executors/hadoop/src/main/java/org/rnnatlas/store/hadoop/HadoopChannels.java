package org.rnnatlas.store.hadoop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.SeekableByteChannel;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.StreamCapabilities;

/** SeekableByteChannels over Hadoop's streams: a seekable reader and an append-only writer. */
final class HadoopChannels {
    /** Bytes moved per copy between a heap array and a direct buffer. */
    private static final int CHUNK = 1 << 16;

    private HadoopChannels() {
    }

    /** Reads an {@link FSDataInputStream}; {@code position(n)} seeks, {@code size()} is the length when opened. */
    static final class Reader implements SeekableByteChannel {
        private final FSDataInputStream in;
        private final long size;
        private long position;
        private boolean open = true;

        Reader(FSDataInputStream in, long size) {
            this.in = in;
            this.size = size;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            ensureOpen();
            if (!dst.hasRemaining()) {
                return 0;
            }
            if (position >= size) {
                return -1;
            }
            int n;
            if (dst.hasArray()) {
                n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
            } else {
                byte[] buf = new byte[Math.min(dst.remaining(), CHUNK)];
                n = in.read(buf, 0, buf.length);
                if (n > 0) {
                    dst.put(buf, 0, n);
                }
            }
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() throws IOException {
            ensureOpen();
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            ensureOpen();
            if (newPosition < 0) {
                throw new IllegalArgumentException("negative position " + newPosition);
            }
            // Hadoop streams refuse to seek past the end; java.nio allows it (reads then return -1)
            if (newPosition < size) {
                in.seek(newPosition);
            }
            position = newPosition;
            return this;
        }

        @Override
        public long size() throws IOException {
            ensureOpen();
            return size;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            if (open) {
                open = false;
                in.close();
            }
        }

        private void ensureOpen() throws ClosedChannelException {
            if (!open) {
                throw new ClosedChannelException();
            }
        }
    }

    /**
     * Writes an {@link FSDataOutputStream} from its start (or its end, when appending). Hadoop files are written
     * once, front to back: seeking and truncating are refused. On close the data is made durable with
     * {@code hsync()} where the stream supports it (HDFS, the local filesystem) before the stream closes, which is
     * what {@code FileChannel.force(true)} gives on the default filesystem; object stores (S3A, GCS) have no sync and
     * make the object visible, whole, when the stream closes.
     */
    static final class Writer implements SeekableByteChannel {
        private final FSDataOutputStream out;
        private final boolean syncEachWrite;
        private long position;
        private boolean open = true;

        /** {@code start}: the length of the file when appending; {@code syncEachWrite}: SYNC or DSYNC was asked. */
        Writer(FSDataOutputStream out, long start, boolean syncEachWrite) {
            this.out = out;
            this.position = start;
            this.syncEachWrite = syncEachWrite;
        }

        @Override
        public int read(ByteBuffer dst) {
            throw new NonReadableChannelException();
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            ensureOpen();
            int n = src.remaining();
            if (src.hasArray()) {
                out.write(src.array(), src.arrayOffset() + src.position(), n);
                src.position(src.limit());
            } else {
                byte[] buf = new byte[Math.min(n, CHUNK)];
                while (src.hasRemaining()) {
                    int k = Math.min(buf.length, src.remaining());
                    src.get(buf, 0, k);
                    out.write(buf, 0, k);
                }
            }
            position += n;
            if (syncEachWrite && out.hasCapability(StreamCapabilities.HSYNC)) {
                out.hsync();
            }
            return n;
        }

        @Override
        public long position() throws IOException {
            ensureOpen();
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            if (newPosition != position()) {
                throw new UnsupportedOperationException("Hadoop files are written front to back: cannot move the"
                        + " write position from " + position() + " to " + newPosition);
            }
            return this;
        }

        @Override
        public long size() throws IOException {
            return position();
        }

        @Override
        public SeekableByteChannel truncate(long size) throws IOException {
            if (size < position()) {
                throw new UnsupportedOperationException("Hadoop files cannot be truncated while being written");
            }
            return this;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            if (open) {
                open = false;
                try (out) {
                    if (out.hasCapability(StreamCapabilities.HSYNC)) {
                        out.hsync();
                    }
                }
            }
        }

        private void ensureOpen() throws ClosedChannelException {
            if (!open) {
                throw new ClosedChannelException();
            }
        }
    }
}
