package org.rnnatlas.spi;

/**
 * Version of the SPI contracts. {@link #MAJOR} changes when a public member is removed or changes meaning; a plugin
 * built against another major version is refused at load time. {@link #MINOR} changes when members are added.
 */
public final class SpiVersion {
    public static final int MAJOR = 1;
    public static final int MINOR = 3;

    private SpiVersion() {
    }

    public static String string() {
        return MAJOR + "." + MINOR;
    }
}
