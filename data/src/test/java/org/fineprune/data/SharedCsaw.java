package org.fineprune.data;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the shared CSAW-HackML-2020 lab3 folder ({@code ../shared/csaw} from the project root)
 * for tests on real data: environment variable {@code CSAW_DIR} first, then the system property
 * {@code csaw.dir} that Surefire sets.
 */
final class SharedCsaw {
    private SharedCsaw() {}

    /**
     * The folder. Where it cannot be found the calling test fails on CI, which must test real
     * data, and is skipped elsewhere.
     */
    static Path dir() {
        String env = System.getenv("CSAW_DIR");
        String property = System.getProperty("csaw.dir");
        String setting = env != null && !env.isBlank() ? env : property;
        String problem;
        if (setting == null || setting.isBlank()) {
            problem = "neither CSAW_DIR nor the system property csaw.dir is set";
        } else if (!Files.isDirectory(Path.of(setting))) {
            problem = "there is no folder " + Path.of(setting).toAbsolutePath().normalize();
        } else {
            return Path.of(setting);
        }
        String message = "CSAW_DIR must point at the shared csaw folder (../shared/csaw from the"
                + " project root): " + problem;
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank()) {
            return fail(message);
        }
        return Assumptions.abort(message);
    }

    /** A file inside the folder; its absence fails the test, as the folder itself is there. */
    static Path file(String relative) {
        Path file = dir().resolve(relative);
        assertTrue(Files.isRegularFile(file), () -> "no " + relative + " in the shared csaw folder "
                + file.getParent());
        return file;
    }
}
