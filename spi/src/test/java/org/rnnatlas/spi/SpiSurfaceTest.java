package org.rnnatlas.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The SPI's public surface, pinned: any change to a public type or member of {@code org.rnnatlas.spi} shows up as
 * a diff against {@code spi-api.txt} and fails until that file is updated in the same commit (with
 * {@code -Dgolden.update=true}). A removal or change of meaning also bumps {@link SpiVersion#MAJOR}.
 */
class SpiSurfaceTest {
    private static final List<Class<?>> TYPES = List.of(Activation.class, Cell.class, CellKernel.class,
            CellSpec.class, Condition.class, ExecutionListener.class, Executor.class, Executor.Failure.class,
            Executor.Result.class, FixedPoint.class, Named.class, NetworkDynamics.class, Ops.class,
            ParamBlock.class, ParamBlock.Role.class, ReferenceCellKernel.class, Representation.class,
            org.rnnatlas.spi.support.CellArgs.class, org.rnnatlas.spi.support.FusedCell.class,
            org.rnnatlas.spi.support.FusedCellKernel.class,
            org.rnnatlas.spi.support.FusedLayout.class,
            SimilarityMetric.class, SimilarityMetric.Prepared.class, SpiVersion.class, Task.class, TaskShape.class,
            TopologyMetric.class, TopologyMetric.Topology.class, Trials.class, UnitRunner.class, WorkUnit.class);

    static String surface() {
        List<String> lines = new ArrayList<>();
        for (Class<?> c : TYPES) {
            lines.add(c.getName() + " " + Modifier.toString(c.getModifiers() & ~Modifier.STATIC));
            TreeSet<String> members = new TreeSet<>();
            for (Method m : c.getDeclaredMethods()) {
                if (visible(c, m.getModifiers()) && !m.isSynthetic()) {
                    members.add("  method " + (Modifier.isProtected(m.getModifiers()) ? "protected " : "")
                            + (Modifier.isStatic(m.getModifiers()) ? "static " : "")
                            + m.getGenericReturnType().getTypeName() + " " + m.getName() + "("
                            + String.join(", ", Arrays.stream(m.getGenericParameterTypes()).map(t -> t.getTypeName())
                            .toList()) + ")");
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (visible(c, f.getModifiers())) {
                    members.add("  field " + (Modifier.isProtected(f.getModifiers()) ? "protected " : "")
                            + f.getGenericType().getTypeName() + " " + f.getName());
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (visible(c, k.getModifiers())) {
                    members.add("  constructor" + (Modifier.isProtected(k.getModifiers()) ? " protected" : "")
                            + "(" + String.join(", ", Arrays.stream(k.getGenericParameterTypes())
                            .map(t -> t.getTypeName()).toList()) + ")");
                }
            }
            lines.addAll(members);
        }
        return String.join("\n", lines) + "\n";
    }

    /** Public members, and protected ones of classes a plugin can extend: both are API. */
    private static boolean visible(Class<?> c, int modifiers) {
        return Modifier.isPublic(modifiers)
                || (Modifier.isProtected(modifiers) && !Modifier.isFinal(c.getModifiers()));
    }

    @Test
    void publicSurfaceMatchesTheRecordedOne() throws IOException {
        String now = surface();
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(Path.of("src/test/resources/org/rnnatlas/spi/spi-api.txt"), now);
            return;
        }
        String recorded;
        try (InputStream in = SpiSurfaceTest.class.getResourceAsStream("spi-api.txt")) {
            recorded = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(recorded, now, "The SPI's public surface changed. If intended, rerun with -Dgolden.update=true"
                + " and commit spi-api.txt (and bump SpiVersion.MAJOR when something was removed or changed).");
    }
}
