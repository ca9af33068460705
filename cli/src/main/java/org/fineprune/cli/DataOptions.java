package org.fineprune.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fineprune.data.LabData;
import picocli.CommandLine.Option;

/**
 * The one way every command takes lab data: a folder in the lab's layout ({@code --data DIR}, see
 * {@link LabData#at}) or the files one by one ({@code --valid}, {@code --test}, {@code --poisoned}).
 * A command asks only for the files it reads; a mix of both spellings, or a file it needs and was
 * not given, is refused in one line.
 */
final class DataOptions {
    static final String HEADING = "Data: --data DIR, or the files --valid, --test, --poisoned%n";

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder in the lab's layout: cl/valid.h5, cl/test.h5, bd/bd_test.h5.")
    Path dir;

    @Option(names = "--valid", paramLabel = "V.h5",
            description = "Clean labelled validation images: the only data a defense looks at.")
    Path valid;

    // --clean is the lab's eval.py spelling of the clean test file, kept because its users know it.
    @Option(names = {"--test", "--clean"}, paramLabel = "T.h5", description = "Clean labelled test images.")
    Path test;

    @Option(names = "--poisoned", paramLabel = "P.h5",
            description = "Poisoned test images labelled with the attack's target.")
    Path poisoned;

    /** Whether any data option was given. */
    boolean given() {
        return dir != null || valid != null || test != null || poisoned != null;
    }

    /** The validation, test and poisoned files. */
    LabData all() {
        return new LabData(valid(), test(), poisoned());
    }

    /** The validation file. */
    Path valid() {
        return folder() != null ? folder().valid() : require(valid, "--valid");
    }

    /** The clean test file. */
    Path test() {
        return folder() != null ? folder().test() : require(test, "--test");
    }

    /** The poisoned test file. */
    Path poisoned() {
        return folder() != null ? folder().poisoned() : require(poisoned, "--poisoned");
    }

    /** The poisoned test file, or null where it is optional and was not given. */
    Path poisonedIfGiven() {
        return folder() != null ? folder().poisoned() : poisoned;
    }

    private LabData folder() {
        if (dir == null) {
            return null;
        }
        List<String> files = new ArrayList<>();
        if (valid != null) {
            files.add("--valid");
        }
        if (test != null) {
            files.add("--test");
        }
        if (poisoned != null) {
            files.add("--poisoned");
        }
        if (!files.isEmpty()) {
            throw new IllegalArgumentException("--data " + dir + " names all the files; drop "
                    + String.join(", ", files) + " or --data");
        }
        return LabData.at(dir);
    }

    private Path require(Path file, String option) {
        if (file == null) {
            throw new IllegalArgumentException(option + " is missing: give --data DIR (the lab's layout) or "
                    + option + " FILE");
        }
        return file;
    }
}
