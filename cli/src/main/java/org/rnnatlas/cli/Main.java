package org.rnnatlas.cli;

import java.io.PrintWriter;
import org.rnnatlas.core.population.SpecException;
import org.rnnatlas.core.registry.PluginException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rnnatlas} command. {@link #run} is the test seam: it never calls {@code System.exit}.
 *
 * <p>Exit codes: 0 success, 1 failure (a run that could not finish, or some networks that failed with an error),
 * 2 bad usage or bad input (unknown option or plugin, malformed or contradictory spec, unusable output folder).
 */
@Command(name = "rnnatlas",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Train populations of recurrent networks and study which properties of their dynamics are universal.",
            "",
            "Typical use:",
            "  rnnatlas demo                                      the demo study (a small population)",
            "  rnnatlas study population.json                     train, compare, dynamics, report on a spec",
            "  rnnatlas plugins                                   list installed cells, tasks and metrics",
            "  rnnatlas train --task flipflop --cell gru,lstm --activation tanh --units 64 --seeds 0,1 --out store",
            "  rnnatlas train --spec population.json --out store  the same from a JSON spec (see docs/store.md)",
            "  rnnatlas compare store --metric svcca,cka          distance matrices and MDS of every pair",
            ""},
        subcommands = {DemoCommand.class, StudyCommand.class, TrainCommand.class, CompareCommand.class, DynamicsCommand.class, ReportCommand.class, ScaleTestCommand.class, PluginsCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 failure, 2 usage or bad input. Logs and progress go to stderr, results to"
                + " stdout.", "Select the kernel with -Drnnatlas.simd=auto|scalar|panama (see --version)."})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(out, err, args));
    }

    /** Runs the command line; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine(out, err);
        return cl.execute(args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(Main::exitCode);
        cl.setUsageHelpAutoWidth(true);
        // store folders may be URIs on a Hadoop filesystem (hdfs://, s3a://, ...) when rnnatlas-store-hadoop is loaded
        cl.registerConverter(java.nio.file.Path.class, org.rnnatlas.core.io.StorePaths::of);
        // bad usage gets one line naming the problem and where help is, not the whole usage text
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            String name = c.getCommandSpec().qualifiedName();
            c.getErr().println(name + ": error: " + ex.getMessage());
            c.getErr().println("Try '" + name + " --help' for the options.");
            c.getErr().flush();
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            int code = exitCode(ex);
            String name = commandLine.getCommandName();
            String prefix = "rnnatlas".equals(name) ? "rnnatlas" : "rnnatlas " + name;
            commandLine.getErr().println(prefix + ": error: " + message(ex));
            if (code == FAILURE && Boolean.getBoolean("rnnatlas.debug")) {
                ex.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return code;
        });
        return cl;
    }

    static int exitCode(Throwable ex) {
        if (ex instanceof CommandLine.ParameterException || ex instanceof SpecException
                || ex instanceof PluginException || ex instanceof IllegalArgumentException) {
            return USAGE;
        }
        return FAILURE;
    }

    static String message(Throwable ex) {
        String m = ex.getMessage();
        if (m == null || m.isBlank()) {
            return ex.getClass().getSimpleName();
        }
        return m;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
