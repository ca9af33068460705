package org.fineprune.experiments.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The folder a command writes its results to. One that already holds results is refused unless the
 * user forces it; forcing deletes only the files an earlier run of the command wrote, never anything
 * else in the folder.
 */
final class OutputFolder {
    private OutputFolder() {}

    /**
     * Checks {@code dir} before any work is done.
     *
     * @param isResult whether a file name is one the command writes
     * @throws IOException if it holds earlier results and {@code force} is off, or is not a folder
     */
    static Path prepare(Path dir, boolean force, Predicate<String> isResult) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a folder");
        }
        List<Path> earlier = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> isResult.test(f.getFileName().toString())).sorted().forEach(earlier::add);
            }
        }
        if (!earlier.isEmpty()) {
            if (!force) {
                throw new IOException(dir + ": already holds results (" + earlier.get(0).getFileName()
                        + (earlier.size() > 1 ? " and " + (earlier.size() - 1) + " more" : "")
                        + "); use --force to replace them or choose another --out");
            }
            for (Path file : earlier) {
                Files.delete(file);
            }
        }
        return dir;
    }
}
