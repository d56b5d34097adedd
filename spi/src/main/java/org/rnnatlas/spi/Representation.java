package org.rnnatlas.spi;

/**
 * A network's representation for geometry (SPEC §4): its states on the probe set, {@code samples × units},
 * row-major, in double precision and not yet centred.
 */
public record Representation(int samples, int units, double[] data) {
    public Representation {
        if (data.length != samples * units) {
            throw new IllegalArgumentException("data has " + data.length + " entries, expected " + samples + "x" + units);
        }
    }
}
