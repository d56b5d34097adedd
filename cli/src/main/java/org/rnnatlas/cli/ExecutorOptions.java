package org.rnnatlas.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rnnatlas.core.exec.LocalExecutor;
import org.rnnatlas.core.registry.Plugins;
import org.rnnatlas.spi.Executor;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --executor}, {@code --executor-option} and {@code --master}, shared by train, compare, dynamics and study:
 * where the work units run, with the same help text and checks everywhere.
 */
public final class ExecutorOptions {
    @Option(names = "--executor", paramLabel = "NAME", order = 90,
            description = "Where the work runs: local (threads in this JVM, the default) or spark (one Spark task"
                    + " per unit: a network to train, a search trial, one network's dynamics, one tile of a"
                    + " distance matrix; ./rnnatlas builds the optional spark module and puts it on the class path"
                    + " only then). Results do not depend on it; see docs/spark.md.")
    String executorName;

    @Option(names = "--executor-option", paramLabel = "KEY=VALUE", order = 91,
            description = "An executor option, e.g. master=local[2] or spark.executor.memory=4g. Repeatable.")
    List<String> executorOptions = new ArrayList<>();

    @Option(names = "--master", paramLabel = "URL", order = 92,
            description = "Spark master (local[N], spark://HOST:7077, yarn, k8s://...): --executor spark with"
                    + " --executor-option master=URL. The store must be on a filesystem every executor reaches.")
    String master;

    /** The executor's name: --executor, else spark when --master is given, else local. */
    String name() {
        return executorName != null ? executorName : master != null ? "spark" : LocalExecutor.NAME;
    }

    /** Whether the work runs on the default local executor. */
    boolean local() {
        return name().equals(LocalExecutor.NAME);
    }

    /** The flags as given, to pass on to another command (study's steps). */
    List<String> args() {
        List<String> a = new ArrayList<>();
        if (executorName != null) {
            a.add("--executor");
            a.add(executorName);
        }
        for (String o : executorOptions) {
            a.add("--executor-option");
            a.add(o);
        }
        if (master != null) {
            a.add("--master");
            a.add(master);
        }
        return a;
    }

    /**
     * The executor named by the flags, configured with their options; the caller closes it. Creates nothing heavy
     * (Spark starts its context at the first units), so commands call it before writing anything: unknown keys,
     * --master with another executor and an executor that is not installed are usage errors on {@code cl}.
     */
    Executor open(Plugins plugins, CommandLine cl) {
        String name = name();
        Map<String, String> opts = new TreeMap<>();
        for (String o : executorOptions) {
            int eq = o.indexOf('=');
            if (eq < 1 || eq == o.length() - 1) {
                throw new CommandLine.ParameterException(cl, "--executor-option '" + o
                        + "' is not KEY=VALUE (e.g. master=local[2])");
            }
            opts.put(o.substring(0, eq), o.substring(eq + 1));
        }
        if (master != null) {
            if (!name.equals("spark")) {
                throw new CommandLine.ParameterException(cl, "--master is a Spark setting; it cannot be used with"
                        + " --executor " + name);
            }
            opts.put("master", master);
        }
        if (!plugins.executors().contains(name)) {
            String hint = name.equals("spark") ? " The spark executor is an optional module: run through ./rnnatlas,"
                    + " which builds executors/spark and adds it to the class path for --executor spark, or put"
                    + " executors/spark/target/rnnatlas-executor-spark-*.jar and its lib/ on the class path."
                    : " Is its jar on the class path or in --plugin-dir?";
            throw new CommandLine.ParameterException(cl, "Unknown executor '" + name + "'. Installed: "
                    + plugins.executors().names() + "." + hint);
        }
        try {
            return plugins.executors().get(name).configure(opts);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--executor-option: " + e.getMessage());
        }
    }
}
