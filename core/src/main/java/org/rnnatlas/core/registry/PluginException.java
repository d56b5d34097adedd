package org.rnnatlas.core.registry;

/** A plugin could not be found or loaded. The message says what is wrong and what is installed. */
public class PluginException extends RuntimeException {
    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
