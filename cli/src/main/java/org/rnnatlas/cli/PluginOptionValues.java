package org.rnnatlas.cli;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;

/** Parses repeatable {@code --option PLUGIN.KEY=VALUE} flags into per-plugin option maps. */
final class PluginOptionValues {
    private PluginOptionValues() {
    }

    /**
     * @param example shown in the error for a malformed value, e.g. {@code cka.estimator=debiased}
     * @return options by plugin name, each sorted by key
     */
    static Map<String, Map<String, String>> parse(List<String> values, CommandLine commandLine, String example) {
        Map<String, Map<String, String>> per = new TreeMap<>();
        for (String o : values) {
            int dot = o.indexOf('.');
            int eq = o.indexOf('=');
            if (dot < 1 || eq < dot + 2 || eq == o.length() - 1) {
                throw new CommandLine.ParameterException(commandLine, "--option '" + o
                        + "' is not PLUGIN.KEY=VALUE (e.g. " + example + ")");
            }
            per.computeIfAbsent(o.substring(0, dot), k -> new TreeMap<>()).put(o.substring(dot + 1, eq),
                    o.substring(eq + 1));
        }
        return per;
    }
}
