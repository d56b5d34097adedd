package org.rnnatlas.core.dynamics;

/** A problem with the input of a dynamics analysis (a network that cannot be analysed, a bad option): exit code 2. */
public final class DynamicsException extends IllegalArgumentException {
    public DynamicsException(String message) {
        super(message);
    }
}
