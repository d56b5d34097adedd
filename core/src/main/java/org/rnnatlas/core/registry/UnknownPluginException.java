package org.rnnatlas.core.registry;

import java.util.Collection;

/** No plugin of the requested kind has the requested name. */
public final class UnknownPluginException extends PluginException {
    private final String kind;
    private final String requested;

    public UnknownPluginException(String kind, String requested, Collection<String> installed) {
        super("No " + kind + " named '" + requested + "'. Installed: " + installed
                + ". Is its jar on the class path or in --plugin-dir?");
        this.kind = kind;
        this.requested = requested;
    }

    public String kind() {
        return kind;
    }

    public String requested() {
        return requested;
    }
}
