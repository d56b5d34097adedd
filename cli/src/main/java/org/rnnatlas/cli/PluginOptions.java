package org.rnnatlas.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rnnatlas.core.registry.Plugins;
import picocli.CommandLine.Option;

/** {@code --plugin-dir}, shared by every command that loads plugins. */
public final class PluginOptions {
    @Option(names = "--plugin-dir", paramLabel = "DIR",
            description = "Folder of extra plugin jars (every *.jar directly inside it is loaded). Repeatable."
                    + " Jars in the folders named by the RNNATLAS_PLUGIN_PATH environment variable (separated by"
                    + " '${sys:path.separator}') are loaded too.")
    List<Path> pluginDirs = new ArrayList<>();

    Plugins load() {
        List<Path> dirs = new ArrayList<>();
        String env = System.getenv("RNNATLAS_PLUGIN_PATH");
        if (env != null && !env.isBlank()) {
            for (String p : env.split(java.io.File.pathSeparator)) {
                if (!p.isBlank()) {
                    dirs.add(Path.of(p));
                }
            }
        }
        dirs.addAll(pluginDirs);
        return Plugins.load(dirs);
    }
}
