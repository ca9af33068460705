package org.fineprune.cli;

import java.io.PrintWriter;
import org.fineprune.core.DjlOffline;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterExceptionHandler;

/**
 * The {@code fineprune} command: detect and repair backdoored neural networks. Every subcommand
 * takes {@code -v} ({@link VerboseOption}); errors are printed by {@link OneLineErrors}.
 */
@Command(
        name = "fineprune",
        mixinStandardHelpOptions = true,
        version = "fineprune 0.1.0",
        description = "Detects and repairs backdoored neural networks (BadNets).",
        subcommands = {EvaluateCommand.class, ClassifyCommand.class, PruneCommand.class, SweepCommand.class,
                ReportCommand.class, LeaderboardCommand.class, ReproduceCommand.class, BenchmarkCommand.class,
                PruningBenchmarkCommand.class, CompareCommand.class, DemoCommand.class, DefensesCommand.class,
                WorkerCommand.class})
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
        IParameterExceptionHandler usage = cli.getParameterExceptionHandler();
        cli.setParameterExceptionHandler((e, arguments) -> usage.handleParseException(
                RepeatedOptions.explain(e, arguments), arguments));
        cli.getSubcommands().values().forEach(command -> command.addMixin("verbose", new VerboseOption()));
        return cli.execute(args);
    }
}
