package org.fineprune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.fineprune.core.FinepruneException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints domain and file errors as one line naming the file and the fault, with exit code
 * {@link FinepruneCli#INPUT_ERROR}; the stack trace follows only when the failing command was given
 * {@code -v}.
 */
final class OneLineErrors implements IExecutionExceptionHandler {
    private static final String DISK_FULL = "No space left on device";

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) throws Exception {
        if (!(e instanceof FinepruneException || e instanceof IOException || e instanceof IllegalArgumentException)) {
            throw e;
        }
        PrintWriter err = cmd.getErr();
        err.println("fineprune " + cmd.getCommandName() + ": error: " + message(e));
        // parsed is the top-level command's result; the subcommand's own options are in its result.
        if (cmd.getParseResult().hasMatchedOption(VerboseOption.NAME)) {
            e.printStackTrace(err);
        }
        err.flush();
        return FinepruneCli.INPUT_ERROR;
    }

    /** The one line for {@code e}. */
    static String message(Exception e) {
        if (e instanceof NoSuchFileException missing) {
            return missing.getFile() + ": no such file";
        }
        if (e instanceof FileSystemException failed && mentions(e, DISK_FULL)) {
            return failed.getFile() + ": no space left on device";
        }
        return e.getMessage();
    }

    private static boolean mentions(Throwable e, String text) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }
}
