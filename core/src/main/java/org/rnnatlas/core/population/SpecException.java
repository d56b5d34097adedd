package org.rnnatlas.core.population;

/** A population spec is malformed or contradicts itself or the store it is run against. */
public final class SpecException extends IllegalArgumentException {
    public SpecException(String message) {
        super(message);
    }
}
