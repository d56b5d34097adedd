package org.rnnatlas.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.Proxy;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.rnnatlas.spi.Ops;

class KernelsTest {

    private static final Kernels.Availability MISSING =
            new Kernels.Availability(Optional.empty(), "module jdk.incubator.vector is not in the boot layer");

    /** A stand-in for PanamaOps so the selection logic is tested whether or not this JVM has the Vector API. */
    private static final Ops FAKE_PANAMA = (Ops) Proxy.newProxyInstance(Ops.class.getClassLoader(),
            new Class<?>[] {Ops.class}, (proxy, method, args) -> switch (method.getName()) {
                case "name" -> "panama-test";
                case "hashCode" -> 1;
                case "equals" -> proxy == args[0];
                default -> throw new UnsupportedOperationException(method.getName());
            });

    private static Kernels.Availability present() {
        return new Kernels.Availability(Optional.of(FAKE_PANAMA), "FloatVector, 16 lanes");
    }

    @Test
    void badValueNamesTheAllowedValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.select("avx", MISSING, silent()));
        assertTrue(e.getMessage().contains("'avx'"), e.getMessage());
        assertTrue(e.getMessage().contains("rnnatlas.simd"), e.getMessage());
        assertTrue(e.getMessage().contains("auto, scalar, panama"), e.getMessage());
    }

    @Test
    void scalarRequestedGivesScalarWithoutWarning() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Kernels.Selection s = Kernels.select("scalar", present(), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertSame(ScalarOps.INSTANCE, s.ops());
        assertEquals("scalar (requested scalar)", s.description());
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void panamaRequestedButMissingFailsNamingTheFix() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Kernels.select("panama", MISSING, silent()));
        assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
        assertTrue(e.getMessage().contains("not in the boot layer"), e.getMessage());
    }

    @Test
    void autoWithoutVectorApiFallsBackWithOneWarningLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Kernels.Selection s = Kernels.select("auto", MISSING, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertSame(ScalarOps.INSTANCE, s.ops());
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains("add --add-modules jdk.incubator.vector"), text);
        assertTrue(s.description().startsWith("scalar ("), s.description());
        assertTrue(s.description().endsWith("requested auto)"), s.description());
    }

    @Test
    void autoWithUnsupportedVectorWidthWarnsWithoutTheModuleFix() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Kernels.Availability narrow = new Kernels.Availability(Optional.empty(), "cannot build " + Kernels.PANAMA_CLASS
                + ": java.lang.UnsupportedOperationException: PanamaOps supports 4, 8 or 16 float lanes");
        Kernels.Selection s = Kernels.select("auto", narrow, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertSame(ScalarOps.INSTANCE, s.ops());
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains("4, 8 or 16 float lanes"), text);
        assertTrue(!text.contains("--add-modules"), text);
    }

    @Test
    void autoWithVectorApiUsesIt() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Kernels.Selection s = Kernels.select(null, present(), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertSame(FAKE_PANAMA, s.ops());
        assertEquals(FAKE_PANAMA.name() + " (FloatVector, 16 lanes, requested auto)", s.description());
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void valuesAreCaseAndSpaceInsensitive() {
        assertSame(FAKE_PANAMA, Kernels.select(" PANAMA ", present(), silent()).ops());
        assertSame(ScalarOps.INSTANCE, Kernels.select("Scalar", present(), silent()).ops());
    }

    @Test
    void probeMatchesTheBootLayer() {
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        Kernels.Availability a = Kernels.probePanama();
        assertEquals(module, a.ops().isPresent(), a.detail());
        a.ops().ifPresent(ops -> {
            assertTrue(ops.name().matches("panama-\\d+"), ops.name());
            assertTrue(a.detail().matches("FloatVector, \\d+ lanes(, 16-register tiles)?"), a.detail());
        });
        assertEquals(a.ops().isPresent(), Kernels.panama().isPresent());
    }

    @Test
    void selectedKernelsFollowTheProperty() {
        String property = System.getProperty(Kernels.PROPERTY, "auto");
        Ops ops = Kernels.ops();
        assertSame(ops, Kernels.ops(), "decided once");
        String d = Kernels.describe();
        assertTrue(d.startsWith(ops.name() + " ("), d);
        switch (property.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "scalar" -> assertSame(Kernels.scalar(), ops);
            case "panama" -> assertEquals(Kernels.panama().orElseThrow(), ops);
            default -> assertEquals(Kernels.panama().isPresent(), ops != Kernels.scalar(), d);
        }
        assertTrue(d.endsWith("requested " + property.trim().toLowerCase(java.util.Locale.ROOT) + ")"), d);
    }

    private static PrintStream silent() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
