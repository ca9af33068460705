package org.fineprune.experiments.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import org.fineprune.core.DjlOffline;
import org.fineprune.core.FinepruneException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** The {@code fineprune} command: detect and repair backdoored neural networks. */
@Command(
        name = "fineprune",
        mixinStandardHelpOptions = true,
        version = "fineprune 0.1.0",
        description = "Detects and repairs backdoored neural networks (BadNets).",
        subcommands = {EvaluateCommand.class, ClassifyCommand.class, PruneCommand.class, SweepCommand.class,
                ReportCommand.class, ReproduceCommand.class, BenchmarkCommand.class, PruningBenchmarkCommand.class, CompareCommand.class,
                DemoCommand.class})
public final class FinepruneCli {
    /** Exit code for a model, data or file problem the user can fix. */
    public static final int INPUT_ERROR = 1;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given output streams and returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        DjlOffline.enforce();
        CommandLine cli = new CommandLine(new FinepruneCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new OneLineErrors());
        return cli.execute(args);
    }

    /** Prints domain and file errors as one line; stack traces only with {@code -v}. */
    private static final class OneLineErrors implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) throws Exception {
            if (!(e instanceof FinepruneException || e instanceof IOException
                    || e instanceof IllegalArgumentException)) {
                throw e;
            }
            PrintWriter err = cmd.getErr();
            err.println("fineprune " + cmd.getCommandName() + ": error: " + message(e));
            if (parsed.hasMatchedOption("-v")) {
                e.printStackTrace(err);
            }
            err.flush();
            return INPUT_ERROR;
        }

        private static String message(Exception e) {
            if (e instanceof NoSuchFileException missing) {
                return missing.getFile() + ": no such file";
            }
            return e.getMessage();
        }
    }
}
