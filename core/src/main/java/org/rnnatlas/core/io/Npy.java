package org.rnnatlas.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format version 1.0), little-endian, C order: the store's array format,
 * readable with {@code numpy.load}. Supported dtypes: {@code <f4} (float32) and {@code <f8} (float64).
 *
 * <p>Writes go through {@link AtomicFiles}, so a reader never sees a half-written array.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** An array read from a file: its shape and its values widened to double. */
    public record Array(int[] shape, String dtype, double[] data) {
        public int size() {
            return data.length;
        }

        public float[] toFloats() {
            float[] f = new float[data.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) data[i];
            }
            return f;
        }
    }

    public static void write(Path file, float[] data, int... shape) throws IOException {
        checkShape(data.length, shape);
        ByteBuffer buf = header("<f4", shape, 4L * data.length);
        buf.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(data);
        AtomicFiles.write(file, buf.position(0));
    }

    public static void write(Path file, double[] data, int... shape) throws IOException {
        checkShape(data.length, shape);
        ByteBuffer buf = header("<f8", shape, 8L * data.length);
        buf.slice().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(data);
        AtomicFiles.write(file, buf.position(0));
    }

    private static void checkShape(int length, int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values, data has " + length);
        }
    }

    /** A buffer holding the header, positioned at the start of the data region, with room for {@code dataBytes}. */
    private static ByteBuffer header(String descr, int[] shape, long dataBytes) {
        StringBuilder sb = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            sb.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) {
                sb.append(shape.length == 1 ? "," : ", ");
            }
        }
        sb.append("), }");
        // magic(6) + version(2) + header length(2) + header, padded with spaces and a newline to a multiple of 64
        int unpadded = 10 + sb.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        sb.append(" ".repeat(pad)).append('\n');
        byte[] h = sb.toString().getBytes(StandardCharsets.US_ASCII);
        long total = 10L + h.length + dataBytes;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("array too large for one .npy buffer: " + total + " bytes");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        return buf;
    }

    public static Array read(Path file) throws IOException {
        // Files.newByteChannel is a FileChannel on the default filesystem and works on any other provider too
        try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new IOException(file + ": file too large");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // keep reading
            }
            buf.flip();
            byte[] magic = new byte[6];
            if (buf.remaining() < 10) {
                throw new IOException(file + ": not a .npy file (too short)");
            }
            buf.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + ": not a .npy file (bad magic)");
            }
            int major = buf.get();
            buf.get();
            int hlen = major == 1 ? Short.toUnsignedInt(buf.getShort()) : buf.getInt();
            byte[] h = new byte[hlen];
            buf.get(h);
            String header = new String(h, StandardCharsets.US_ASCII);
            String descr = find(DESCR, header, file);
            if ("True".equals(find(ORDER, header, file))) {
                throw new IOException(file + ": Fortran-order arrays are not supported");
            }
            String shapeText = find(SHAPE, header, file).trim();
            int[] shape = shapeText.isEmpty() ? new int[0]
                    : Arrays.stream(shapeText.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .mapToInt(Integer::parseInt).toArray();
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            ByteBuffer data = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
            double[] out = new double[n];
            switch (descr) {
                case "<f4" -> {
                    var fb = data.asFloatBuffer();
                    for (int i = 0; i < n; i++) {
                        out[i] = fb.get(i);
                    }
                }
                case "<f8" -> data.asDoubleBuffer().get(out);
                default -> throw new IOException(file + ": unsupported dtype " + descr + " (supported: <f4, <f8)");
            }
            return new Array(shape, descr, out);
        }
    }

    private static String find(Pattern p, String header, Path file) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": malformed .npy header: " + header.trim());
        }
        return m.group(1);
    }
}
