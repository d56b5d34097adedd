package org.rnnatlas.cli;

import org.rnnatlas.core.BuildInfo;
import org.rnnatlas.core.kernel.Kernels;
import org.rnnatlas.spi.SpiVersion;
import picocli.CommandLine;

/** {@code rnnatlas --version}: version, git commit, SPI version, the kernel in use and the JDK. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "rnnatlas " + BuildInfo.version() + " (commit " + BuildInfo.commit() + ")",
            "SPI " + SpiVersion.string(),
            "kernel " + Kernels.describe(),
            "JDK " + BuildInfo.jdk()
        };
    }
}
