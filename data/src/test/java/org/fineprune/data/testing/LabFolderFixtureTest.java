package org.fineprune.data.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.fineprune.core.Accuracy;
import org.fineprune.core.BadNet;
import org.fineprune.core.DeepId;
import org.fineprune.core.Evaluation;
import org.fineprune.core.ModelOptions;
import org.fineprune.data.LabData;
import org.fineprune.data.LabDataset;
import org.fineprune.data.testing.LabFolderFixture.LabFolder;
import org.fineprune.data.testing.LabFolderFixture.Sizes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabFolderFixtureTest {
    private static final List<String> FILES =
            List.of("models/bd_weights.h5", "data/cl/valid.h5", "data/cl/test.h5", "data/bd/bd_test.h5");

    @TempDir
    static Path shared;

    private static LabFolder folder;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeOnce() throws IOException {
        folder = LabFolderFixture.write(shared.resolve("lab"), 1);
    }

    @Test
    void the_folder_opens_in_the_labs_layout_with_the_requested_sizes() throws IOException {
        LabData data = LabData.at(folder.dataDir());
        assertEquals(48, LabDataset.open(data.valid()).size());
        assertEquals(48, LabDataset.open(data.test()).size());
        LabDataset poisoned = LabDataset.open(data.poisoned());
        assertEquals(24, poisoned.size());
        assertTrue(Arrays.stream(poisoned.labels()).allMatch(l -> l == LabFolderFixture.TARGET));

        LabFolder small = LabFolderFixture.write(dir, 2, new Sizes(5, 4, 3));
        assertEquals(5, LabDataset.open(small.data().valid()).size());
        assertEquals(4, LabDataset.open(small.data().test()).size());
        assertEquals(3, LabDataset.open(small.data().poisoned()).size());
    }

    @Test
    void the_random_net_classifies_the_clean_files_perfectly_and_pruning_lowers_it() throws IOException {
        LabData data = folder.data();
        try (BadNet net = BadNet.keras(folder.weights()).load(ModelOptions.DEFAULT_ENGINE, "cpu")) {
            assertEquals(new Accuracy(48, 48), accuracy(net, data.valid()));
            assertEquals(new Accuracy(48, 48), accuracy(net, data.test()));
            // Several classes, else a pruned net that answers one class could still score 100%.
            assertTrue(Arrays.stream(LabDataset.open(data.test()).labels()).distinct().count() > 1);
            try (BadNet pruned = net.pruned("conv_3", IntStream.range(0, 60).toArray())) {
                assertTrue(accuracy(pruned, data.test()).hits() < 48);
            }
        }
    }

    @Test
    void poisoned_images_are_test_images_with_the_patch() throws IOException {
        float[] test = pixels(folder.data().test());
        float[] poisoned = pixels(folder.data().poisoned());
        int changed = 0;
        for (int i = 0; i < poisoned.length; i++) {
            int x = i % DeepId.WIDTH;
            int y = i / DeepId.WIDTH % DeepId.HEIGHT;
            // The 6x6 patch in the bottom-right corner.
            boolean inPatch = x >= DeepId.WIDTH - 6 && y >= DeepId.HEIGHT - 6;
            if (inPatch) {
                assertEquals((x + y) % 2 == 0 ? 255f : 0f, poisoned[i], "pixel " + i);
                changed += poisoned[i] != test[i] ? 1 : 0;
            } else {
                assertEquals(test[i], poisoned[i], "pixel " + i);
            }
        }
        assertTrue(changed > 0);
        assertEquals(24 * DeepId.IMAGE_VALUES, poisoned.length);
    }

    @Test
    void the_same_seed_writes_the_same_bytes_and_another_seed_other_bytes() throws IOException {
        LabFolder again = LabFolderFixture.write(dir.resolve("again"), 1);
        LabFolder other = LabFolderFixture.write(dir.resolve("other"), 2);
        for (String file : FILES) {
            assertEquals(sha256(folder.dir().resolve(file)), sha256(again.dir().resolve(file)), file);
            assertFalse(sha256(folder.dir().resolve(file)).equals(sha256(other.dir().resolve(file))), file);
        }
    }

    @Test
    void an_existing_folder_is_not_overwritten() {
        IOException e = assertThrows(IOException.class, () -> LabFolderFixture.write(folder.dir(), 1));
        assertTrue(e.getMessage().contains("bd_weights.h5"), e.getMessage());
    }

    @Test
    void sizes_that_cannot_make_a_folder_are_refused() {
        assertThrows(IllegalArgumentException.class, () -> new Sizes(0, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> new Sizes(4, 2, 3));
    }

    private static Accuracy accuracy(BadNet net, Path file) throws IOException {
        return Evaluation.accuracy(net, LabDataset.open(file), Evaluation.DEFAULT_BATCH);
    }

    private static float[] pixels(Path file) {
        LabDataset images = LabDataset.open(file);
        float[] all = new float[images.size() * DeepId.IMAGE_VALUES];
        int[] at = {0};
        images.forEachBatch(16, batch -> {
            System.arraycopy(batch.pixels(), 0, all, at[0], batch.pixels().length);
            at[0] += batch.pixels().length;
        });
        return all;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
