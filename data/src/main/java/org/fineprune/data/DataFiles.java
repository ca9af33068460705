package org.fineprune.data;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fineprune.core.DataFormatException;

/** Checks shared by the readers, so that a missing input is reported the same way by each. */
public final class DataFiles {
    private DataFiles() {}

    /** Throws a {@link DataFormatException} naming {@code file} unless it is a readable file. */
    public static void requireReadableFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new DataFormatException(file + ": a directory, not a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw new DataFormatException(file + ": file is not readable (permission denied)");
        }
    }
}
