package org.fineprune.core.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real-data folders for tests: a missing folder fails the test in CI (where {@code CI} is set) and
 * skips it elsewhere, with a message that says how to get the data.
 */
public final class RealData {
    private RealData() {}

    /** {@code dir} when {@code present} is a file or folder inside it, else a failure or skip saying {@code howToGet}. */
    public static Path require(Path dir, String present, String howToGet) {
        if (!Files.exists(dir.resolve(present))) {
            String message = "real data not found at " + dir + ": " + howToGet;
            if (System.getenv("CI") != null) {
                fail(message);
            }
            assumeTrue(false, message);
        }
        return dir;
    }
}
