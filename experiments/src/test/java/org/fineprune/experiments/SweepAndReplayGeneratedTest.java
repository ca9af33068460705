package org.fineprune.experiments;

import java.io.IOException;
import java.nio.file.Path;
import org.fineprune.data.testing.LabFolderFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SweepAndReplayContract} without {@code ../shared}: on a generated lab folder (a DeepID with
 * seeded random weights and HDF5 files it labels itself), so that the runner, replay and resumption
 * are tested wherever the build runs.
 */
class SweepAndReplayGeneratedTest extends SweepAndReplayContract {
    @TempDir
    static Path dir;

    @BeforeAll
    static void sweep() throws IOException {
        LabFolderFixture.LabFolder lab = LabFolderFixture.write(dir.resolve("generated"), 7);
        sweepOnce(dir.resolve("work"), lab.dataDir(), lab.weights());
    }
}
