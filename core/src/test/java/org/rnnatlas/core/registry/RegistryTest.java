package org.rnnatlas.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnatlas.spi.Named;

class RegistryTest {
    /** A service type only this test uses, so that the class path's real plugins stay out of the way. */
    public interface Probe extends Named {
    }

    public static final class Alpha implements Probe {
        @Override
        public String name() {
            return "alpha";
        }
    }

    public static final class Beta implements Probe {
        @Override
        public String name() {
            return "beta";
        }
    }

    public static final class AlsoAlpha implements Probe {
        @Override
        public String name() {
            return "alpha";
        }
    }

    public static final class BadName implements Probe {
        @Override
        public String name() {
            return "Bad_Name";
        }
    }

    @TempDir
    Path dir;

    private ClassLoader loaderListing(Class<?>... classes) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        StringBuilder sb = new StringBuilder();
        for (Class<?> c : classes) {
            sb.append(c.getName()).append('\n');
        }
        Files.writeString(services.resolve(Probe.class.getName()), sb.toString());
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, RegistryTest.class.getClassLoader());
    }

    @Test
    void findsProvidersByName() throws IOException {
        Registry<Probe> r = Registry.load(Probe.class, "probe", loaderListing(Alpha.class, Beta.class));
        assertEquals(List.of("alpha", "beta"), List.copyOf(r.names()));
        assertEquals(Beta.class, r.get("beta").getClass());
    }

    @Test
    void unknownNameListsWhatIsInstalled() throws IOException {
        Registry<Probe> r = Registry.load(Probe.class, "probe", loaderListing(Alpha.class, Beta.class));
        var e = assertThrows(UnknownPluginException.class, () -> r.get("gamma"));
        assertEquals("No probe named 'gamma'. Installed: [alpha, beta]. Is its jar on the class path or in"
                + " --plugin-dir?", e.getMessage());
    }

    @Test
    void duplicateNameNamesBothClassesAndSources() throws IOException {
        var e = assertThrows(PluginException.class,
                () -> Registry.load(Probe.class, "probe", loaderListing(Alpha.class, AlsoAlpha.class)));
        assertTrue(e.getMessage().contains("Two probe plugins are named 'alpha'"), e.getMessage());
        assertTrue(e.getMessage().contains(Alpha.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(AlsoAlpha.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("test-classes"), "names where the classes came from: " + e.getMessage());
    }

    @Test
    void oneClassDeclaredByTwoSourcesIsRefused() throws IOException {
        Path second = dir.resolve("second");
        Path services = second.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(Probe.class.getName()), "# a copy of the same plugin\n" + Beta.class.getName() + "\n");
        ClassLoader first = loaderListing(Alpha.class, Beta.class);
        ClassLoader both = new URLClassLoader(new URL[] {second.toUri().toURL()}, first);
        var e = assertThrows(PluginException.class, () -> Registry.load(Probe.class, "probe", both));
        assertTrue(e.getMessage().contains("Two probe plugins provide the class " + Beta.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(second.toString()), e.getMessage());
    }

    @Test
    void invalidNameIsRefused() throws IOException {
        var e = assertThrows(PluginException.class,
                () -> Registry.load(Probe.class, "probe", loaderListing(BadName.class)));
        assertTrue(e.getMessage().contains("invalid name 'Bad_Name'"), e.getMessage());
    }

    @Test
    void pluginFolderMustExistAndHoldJars() throws IOException {
        var missing = assertThrows(PluginException.class, () -> Plugins.load(List.of(dir.resolve("nope"))));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        var none = assertThrows(PluginException.class, () -> Plugins.load(List.of(empty)));
        assertTrue(none.getMessage().contains("holds no .jar"), none.getMessage());
    }
}
