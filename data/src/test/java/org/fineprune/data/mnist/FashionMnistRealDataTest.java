package org.fineprune.data.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fineprune.core.DataFormatException;
import org.fineprune.core.testing.RealData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Reads the real Fashion-MNIST files in {@link FashionMnist#defaultDir()}, which Debian's package
 * {@code dataset-fashion-mnist} installs. Without them the tests fail in CI (where {@code CI} is
 * set) and are skipped elsewhere.
 */
@Tag("real-data")
class FashionMnistRealDataTest {
    private static final List<String> BASE_NAMES = List.of(FashionMnist.TRAIN_IMAGES,
            FashionMnist.TRAIN_LABELS, FashionMnist.TEST_IMAGES, FashionMnist.TEST_LABELS);
    private static final int GZIP_FLAG_NAME = 0x08;

    private static FashionMnist data;

    /** The data folder, or a failure (in CI) or skip (elsewhere) when it is missing. */
    private static Path dir() {
        return RealData.require(FashionMnist.defaultDir(), "train-labels-idx1-ubyte.gz",
                "install Fashion-MNIST with `apt-get install dataset-fashion-mnist`");
    }

    /** Both splits, read once for the whole class. */
    private static synchronized FashionMnist data() throws IOException {
        if (data == null) {
            data = FashionMnist.load(dir());
        }
        return data;
    }

    @Test
    void holds_60000_training_and_10000_test_images_of_28x28() throws IOException {
        assertEquals(60_000, data().train().size());
        assertEquals(10_000, data().test().size());
        for (FashionMnist.Split split : List.of(data().train(), data().test())) {
            assertEquals(FashionMnist.ROWS, split.rows());
            assertEquals(FashionMnist.COLS, split.cols());
        }
    }

    @Test
    void every_class_has_6000_training_and_1000_test_images() throws IOException {
        int[] train = new int[FashionMnist.CLASSES];
        int[] test = new int[FashionMnist.CLASSES];
        Arrays.fill(train, 6_000);
        Arrays.fill(test, 1_000);

        assertArrayEquals(train, data().train().classCounts());
        assertArrayEquals(test, data().test().classCounts());
    }

    @Test
    void the_first_labels_are_the_published_ones() throws IOException {
        // The first training and test images are both ankle boots.
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5},
                data().train().labels(0, 10));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7},
                data().test().labels(0, 10));
        assertEquals("Ankle boot", FashionMnist.CLASS_NAMES.get(data().train().label(0)));
    }

    @Test
    void a_full_batch_spans_0_to_255() throws IOException {
        float[] batch = data().test().batch(0, data().test().size());

        assertEquals(10_000L * 784, batch.length);
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : batch) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(255f, max);
    }

    @Test
    void every_file_holds_the_published_content() throws IOException {
        for (Path file : shippedFiles()) {
            assertDoesNotThrow(() -> FashionMnist.verifyContent(file), file.toString());
        }
    }

    /**
     * The official {@code .gz} files keep their name in the gzip header; Debian's package
     * recompresses them without it, so their bytes (and MD5) differ although the content matches
     * ({@link #every_file_holds_the_published_content}). An upstream copy must match the official
     * MD5; a recompressed one must be refused with a message naming the file.
     */
    @Test
    void gz_files_match_the_official_md5_unless_recompressed() throws IOException {
        List<Path> gzipped = shippedFiles().stream()
                .filter(f -> f.getFileName().toString().endsWith(".gz")).toList();
        assumeTrue(!gzipped.isEmpty(), "no .gz files in " + dir());

        for (Path file : gzipped) {
            if (hasGzipName(file)) {
                assertDoesNotThrow(() -> FashionMnist.verify(file), file.toString());
            } else {
                DataFormatException e = assertThrows(DataFormatException.class,
                        () -> FashionMnist.verify(file), file.toString());
                assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
                assertTrue(e.getMessage().contains("verifyContent"), e.getMessage());
            }
        }
    }

    private static List<Path> shippedFiles() {
        List<Path> files = new ArrayList<>();
        for (String base : BASE_NAMES) {
            Path plain = dir().resolve(base);
            Path gz = dir().resolve(base + ".gz");
            if (Files.exists(plain)) {
                files.add(plain);
            }
            if (Files.exists(gz)) {
                files.add(gz);
            }
        }
        assertFalse(files.isEmpty());
        return files;
    }

    private static boolean hasGzipName(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(4);
            return header.length == 4 && (header[3] & GZIP_FLAG_NAME) != 0;
        }
    }
}
