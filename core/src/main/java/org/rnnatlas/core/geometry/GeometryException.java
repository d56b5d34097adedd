package org.rnnatlas.core.geometry;

/**
 * Input a geometry computation cannot use: a network that is not finished or has no states of the requested kind,
 * probe sets that differ between networks, a malformed distance matrix. The message names what is wrong and what
 * is allowed; the CLI reports it as a usage error.
 */
public final class GeometryException extends IllegalArgumentException {
    public GeometryException(String message) {
        super(message);
    }
}
