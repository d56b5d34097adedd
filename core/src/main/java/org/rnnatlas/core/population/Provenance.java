package org.rnnatlas.core.population;

import java.nio.file.Path;
import org.rnnatlas.core.BuildInfo;
import org.rnnatlas.core.registry.Registry;
import org.rnnatlas.spi.Named;
import org.rnnatlas.spi.SpiVersion;

/**
 * Where a stored result came from: the plugins (name, version, class, jar file), the SPI version, the kernel, the
 * JDK and the rnnatlas build. Jar locations are recorded by file name, so that the same computation stores the same
 * bytes on any machine.
 */
public record Provenance(String rnnatlasVersion, String rnnatlasCommit, String spiVersion, String kernel, String jdk,
                         PluginRef cell, PluginRef task) {

    /** One plugin as recorded in a store. */
    public record PluginRef(String name, String version, String className, String jar) {
        public static PluginRef of(Registry.Entry<? extends Named> e) {
            String source = e.source();
            String jar;
            try {
                jar = Path.of(source).getFileName().toString();
            } catch (RuntimeException ex) {
                jar = source;
            }
            return new PluginRef(e.name(), e.version(), e.className(), jar);
        }
    }

    public static Provenance of(String kernel, PluginRef cell, PluginRef task) {
        return new Provenance(BuildInfo.version(), BuildInfo.commit(), SpiVersion.string(), kernel, BuildInfo.jdk(),
                cell, task);
    }
}
