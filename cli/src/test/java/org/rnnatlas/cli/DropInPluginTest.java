package org.rnnatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.population.NetworkRecord;
import org.rnnatlas.spi.Cell;

/**
 * The drop-in story: a cell written by a third party, compiled against the SPI jar only and packaged as a jar that
 * is not on rnnatlas's class path, works when its jar is put in a plugin folder: it is listed and it trains.
 */
class DropInPluginTest {
    @TempDir
    Path dir;

    Path pluginDir;

    @BeforeEach
    void buildPluginJar() throws Exception {
        Path src = dir.resolve("src/org/example/leaky/LeakyCell.java");
        Files.createDirectories(src.getParent());
        try (InputStream in = DropInPluginTest.class.getResourceAsStream("/dropin/LeakyCell.java")) {
            Files.copy(in, src);
        }
        Path classes = Files.createDirectories(dir.resolve("classes"));
        String spiJar = Path.of(Cell.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "--release", "25", "-cp", spiJar, "-d", classes.toString(),
                src.toString());
        assertEquals(0, rc, "the test plugin compiles against the SPI alone");
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.example.leaky.LeakyCell"),
                "the plugin must not be on the CLI's class path");
        pluginDir = Files.createDirectories(dir.resolve("plugins"));
        Manifest mf = new Manifest();
        mf.getMainAttributes().putValue("Manifest-Version", "1.0");
        mf.getMainAttributes().putValue("Implementation-Version", "9.9.9");
        try (OutputStream os = Files.newOutputStream(pluginDir.resolve("leaky-cell.jar"));
             JarOutputStream jar = new JarOutputStream(os, mf)) {
            jar.putNextEntry(new JarEntry("org/example/leaky/LeakyCell.class"));
            jar.write(Files.readAllBytes(classes.resolve("org/example/leaky/LeakyCell.class")));
            jar.closeEntry();
            jar.putNextEntry(new JarEntry("META-INF/services/org.rnnatlas.spi.Cell"));
            jar.write("org.example.leaky.LeakyCell\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
    }

    @Test
    void droppedJarIsListedAndTrains() throws Exception {
        Cli.Result list = Cli.run("plugins", "--plugin-dir", pluginDir.toString());
        assertEquals(0, list.code(), list::toString);
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("cell") && l.contains("leaky")
                && l.contains("org.example.leaky.LeakyCell") && l.contains("leaky-cell.jar")), list::toString);

        Path store = dir.resolve("store");
        Cli.Result train = Cli.run("train", "--plugin-dir", pluginDir.toString(), "--task", "cdi", "--cell",
                "leaky,vanilla", "--units", "6", "--iterations", "20", "--optimizer", "adam", "--lr", "0.01",
                "--out", store.toString());
        assertEquals(0, train.code(), train::toString);
        NetworkRecord rec = Json.read(store.resolve("networks/cdi-leaky-tanh-n6-l2_1e-04-s0/network.json"),
                NetworkRecord.class);
        assertEquals("trained", rec.status());
        assertEquals("leaky-cell.jar", rec.provenance().cell().jar());
        assertEquals("9.9.9", rec.provenance().cell().version());
        assertTrue(rec.validationMse() < rec.initValidationMse(), "it learned something: " + rec.validationMse()
                + " vs untrained " + rec.initValidationMse());
    }

    @Test
    void withoutThePluginFolderTheCellIsUnknown() {
        Cli.Result r = Cli.run("train", "--task", "cdi", "--cell", "leaky", "--out", dir.resolve("s").toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("Unknown cell 'leaky'"), r::toString);
    }

    @Test
    void twoJarsWithTheSameCellNameAreRefusedByName() throws Exception {
        Files.copy(pluginDir.resolve("leaky-cell.jar"), pluginDir.resolve("leaky-copy.jar"));
        Cli.Result r = Cli.run("plugins", "--plugin-dir", pluginDir.toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("Two cell plugins provide the class org.example.leaky.LeakyCell"), r::toString);
        assertTrue(r.err().contains("leaky-cell.jar") && r.err().contains("leaky-copy.jar"), r::toString);
    }
}
