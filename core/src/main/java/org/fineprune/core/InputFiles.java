package org.fineprune.core;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one check every reader makes before it opens an input file, so that each names the fault
 * the same way: a missing file, a directory, a FIFO or device, a symbolic link loop or a
 * permission problem, rather than a generic "no such file" or the parse error of whatever it
 * read.
 */
public final class InputFiles {
    private InputFiles() {}

    /**
     * Throws the exception {@code fault} makes from "{@code file}: <what is wrong>" unless
     * {@code file} is a readable regular file (after following symbolic links).
     */
    public static void requireReadable(Path file, Function<String, ? extends RuntimeException> fault) {
        Optional<String> problem = problem(file);
        if (problem.isPresent()) {
            throw fault.apply(file + ": " + problem.get());
        }
    }

    /** What keeps {@code file} from being read as a regular file, or empty if nothing does. */
    public static Optional<String> problem(Path file) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            return Optional.of(describe(file, e));
        }
        if (attributes.isDirectory()) {
            return Optional.of("is a directory, not a file");
        }
        if (!attributes.isRegularFile()) {
            // Reading a FIFO blocks and a device such as /dev/zero never ends.
            return Optional.of("not a regular file (a FIFO, device or socket)");
        }
        if (!Files.isReadable(file)) {
            return Optional.of("permission denied");
        }
        return Optional.empty();
    }

    /**
     * Throws the exception {@code fault} makes from "{@code dir}: <what is wrong>" unless {@code
     * dir} is a directory (after following symbolic links).
     */
    public static void requireDirectory(Path dir, Function<String, ? extends RuntimeException> fault) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(dir, BasicFileAttributes.class);
        } catch (IOException e) {
            throw fault.apply(dir + ": " + describe(dir, e, "directory"));
        }
        if (!attributes.isDirectory()) {
            throw fault.apply(dir + ": not a directory");
        }
    }

    /** The fault behind an exception from reading {@code file}'s attributes. */
    static String describe(Path file, IOException e) {
        return describe(file, e, "file");
    }

    private static String describe(Path file, IOException e, String kind) {
        if (e instanceof NoSuchFileException) {
            return Files.isSymbolicLink(file) ? "broken symbolic link (its target does not exist)"
                    : "no such " + kind;
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String reason = e instanceof FileSystemException fs && fs.getReason() != null
                ? fs.getReason() : String.valueOf(e.getMessage());
        // The JDK's text for ELOOP adds "or unable to access attributes of symbolic link".
        if (reason.startsWith("Too many levels of symbolic links")) {
            return "symbolic link loop (too many levels of symbolic links)";
        }
        return "cannot be read (" + reason + ")";
    }
}
