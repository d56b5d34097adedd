package org.rnnatlas.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnatlas.core.io.Json;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.core.registry.Registry;
import org.rnnatlas.spi.Named;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnnatlas plugins}: what is installed. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = {"List the installed cells, tasks, metrics and executors with their versions and the jars they come from.",
            "Plugins are found on the class path and in --plugin-dir folders; a new jar needs no change to rnnatlas."})
final class PluginsCommand implements Callable<Integer> {
    @Mixin
    PluginOptions plugins;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Plugins p = plugins.load();
        List<Map<String, String>> rows = new ArrayList<>();
        add(rows, p.cells());
        add(rows, p.tasks());
        add(rows, p.similarityMetrics());
        add(rows, p.topologyMetrics());
        add(rows, p.executors());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.print(Json.write(rows));
        } else {
            out.printf("%-18s %-10s %-16s %-44s %s%n", "KIND", "NAME", "VERSION", "CLASS", "JAR");
            for (var r : rows) {
                out.printf("%-18s %-10s %-16s %-44s %s%n", r.get("kind"), r.get("name"), r.get("version"),
                        r.get("class"), r.get("jar"));
            }
        }
        out.flush();
        return Main.OK;
    }

    private static <S extends Named> void add(List<Map<String, String>> rows, Registry<S> reg) {
        for (var e : reg.entries()) {
            Map<String, String> r = new LinkedHashMap<>();
            r.put("kind", reg.kind());
            r.put("name", e.name());
            r.put("version", e.version());
            r.put("description", ((Named) e.plugin()).description());
            r.put("class", e.className());
            r.put("jar", e.source());
            rows.add(r);
        }
    }
}
