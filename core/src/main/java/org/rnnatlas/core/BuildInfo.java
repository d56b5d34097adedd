package org.rnnatlas.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The rnnatlas version and the git commit it was built from (written at build time). */
public final class BuildInfo {
    private static final Properties PROPS = load();

    private BuildInfo() {
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/org/rnnatlas/core/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to defaults: provenance then says "unknown"
        }
        return p;
    }

    public static String version() {
        return PROPS.getProperty("version", "unknown");
    }

    public static String commit() {
        return PROPS.getProperty("commit", "unknown");
    }

    /** The Java runtime: vendor and version, e.g. {@code "Eclipse Adoptium 25.0.1"}. */
    public static String jdk() {
        return System.getProperty("java.vendor") + " " + Runtime.version();
    }
}
