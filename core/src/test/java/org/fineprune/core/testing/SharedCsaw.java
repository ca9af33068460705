package org.fineprune.core.testing;

import java.nio.file.Path;

/**
 * Locates the real lab3 material ({@code ../shared/csaw}) for tests.
 *
 * <p>The folder comes from the environment variable {@code CSAW_DIR}, else from the system property
 * {@code csaw.dir} that Surefire sets. When it is missing, a test fails in CI (where {@code CI} is
 * set) and is skipped elsewhere, with a message saying how to point at the data.
 */
public final class SharedCsaw {
    private SharedCsaw() {}

    /** The csaw folder, or a failure (in CI) or skip (elsewhere) when it cannot be found. */
    public static Path dir() {
        String configured = System.getenv("CSAW_DIR");
        if (configured == null || configured.isBlank()) {
            configured = System.getProperty("csaw.dir", "../shared/csaw");
        }
        return RealData.require(Path.of(configured).toAbsolutePath().normalize(), "models/bd_weights.h5",
                "set CSAW_DIR to the shared csaw folder (models/, data/, images/, reference/)");
    }

    /** A file inside the csaw folder, for example {@code models/bd_weights.h5}. */
    public static Path file(String relative) {
        return dir().resolve(relative);
    }
}
