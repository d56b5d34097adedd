package org.rnnatlas.spi;

import java.util.regex.Pattern;

/**
 * Something a user names on the command line and a store records: a cell, a task or a metric.
 *
 * <p>Names are API. They are persisted in every store's manifest, so a name never changes meaning: a plugin that
 * computes something new takes a new name.
 */
public interface Named {

    /** What a valid name looks like: lower-case ASCII, starting with a letter, at most 32 characters. */
    Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    /** The stable lower-case name, for example {@code "gru"}; must match {@link #NAME}. */
    String name();

    /** One line for {@code rnnatlas plugins} and {@code --help}. */
    default String description() {
        return "";
    }

    /**
     * The plugin's version: by default the {@code Implementation-Version} of its jar's manifest, or {@code "dev"}
     * when the class was not loaded from a packaged jar.
     */
    default String version() {
        String v = getClass().getPackage() == null ? null : getClass().getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
