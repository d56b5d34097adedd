package org.rnnatlas.core.geometry;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The header of a 2-D float64 {@code .npy} file (version 1.0, little-endian, C order), for matrices streamed to disk
 * band by band instead of held whole. Byte-identical to the header {@link org.rnnatlas.core.io.Npy} writes (tested).
 */
final class NpyStream {
    private NpyStream() {
    }

    static ByteBuffer header(long rows, long cols) {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        // magic(6) + version(2) + header length(2) + dict + newline, padded with spaces to a multiple of 64
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        byte[] h = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h);
        return b.flip();
    }
}
