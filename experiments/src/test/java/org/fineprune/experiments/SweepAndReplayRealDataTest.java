package org.fineprune.experiments;

import java.io.IOException;
import java.nio.file.Path;
import org.fineprune.core.testing.SharedCsaw;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/** {@link SweepAndReplayContract} on the real lab3 BadNet and data of {@code ../shared/csaw}. */
@Tag("real-data")
class SweepAndReplayRealDataTest extends SweepAndReplayContract {
    @TempDir
    static Path dir;

    @BeforeAll
    static void sweep() throws IOException {
        sweepOnce(dir, SharedCsaw.file("data"), SharedCsaw.file("models/bd_weights.h5"));
    }
}
