package org.rnnatlas.core.train;

import java.util.Arrays;
import java.util.Locale;

/** The update rule. SGD with classical momentum is the paper's; Adam is an option (SPEC §3). */
public enum Optimizer {
    SGD, ADAM;

    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static Optimizer of(String id) {
        for (Optimizer o : values()) {
            if (o.id().equals(id)) {
                return o;
            }
        }
        throw new IllegalArgumentException("Unknown optimizer '" + id + "'. Allowed: "
                + Arrays.stream(values()).map(Optimizer::id).toList());
    }
}
