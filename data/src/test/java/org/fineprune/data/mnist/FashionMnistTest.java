package org.fineprune.data.mnist;

import static org.fineprune.data.mnist.IdxFixtures.COLS;
import static org.fineprune.data.mnist.IdxFixtures.ROWS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.fineprune.core.DataFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FashionMnistTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void loads_both_splits_from_plain_or_gzipped_files(boolean gzipped) throws IOException {
        IdxFixtures.writeDataset(dir, 12, 5, gzipped);

        FashionMnist data = FashionMnist.load(dir);

        assertEquals(dir, data.dir());
        assertSplit(data.train(), "train", 12);
        assertSplit(data.test(), "test", 5);
    }

    @Test
    void accepts_a_folder_mixing_plain_and_gzipped_files() throws IOException {
        IdxFixtures.writeDataset(dir, 4, 3, true);
        Path gz = dir.resolve(FashionMnist.TEST_IMAGES + ".gz");
        Files.delete(gz);
        IdxFixtures.write(dir.resolve(FashionMnist.TEST_IMAGES), IdxFixtures.images(3));

        FashionMnist data = FashionMnist.load(dir);

        assertSplit(data.train(), "train", 4);
        assertSplit(data.test(), "test", 3);
    }

    @Test
    void images_are_unsigned_floats_0_to_255() throws IOException {
        FashionMnist.Split train = FashionMnist.load(IdxFixtures.writeDataset(dir, 3, 1, false))
                .train();
        byte[] pixels = IdxFixtures.pixels(3);

        float[] image = train.image(1);

        assertEquals(ROWS * COLS, image.length);
        for (int k = 0; k < image.length; k++) {
            assertEquals(pixels[ROWS * COLS + k] & 0xFF, image[k], 0f);
        }
        float[] all = train.batch(0, 3);
        assertEquals(255f, max(all), 0f, "byte 0xFF reads as 255, not -1");
        assertTrue(min(all) >= 0f);
    }

    @Test
    void a_batch_is_nchw_of_consecutive_images() throws IOException {
        FashionMnist.Split train = FashionMnist.load(IdxFixtures.writeDataset(dir, 7, 1, true))
                .train();

        float[] batch = train.batch(2, 5);

        assertEquals(3 * ROWS * COLS, batch.length);
        assertArrayEquals(new long[] {3, 1, ROWS, COLS}, train.batchShape(3));
        for (int n = 0; n < 3; n++) {
            assertArrayEquals(train.image(2 + n),
                    Arrays.copyOfRange(batch, n * ROWS * COLS, (n + 1) * ROWS * COLS));
        }
        assertArrayEquals(new int[] {2, 3, 4}, train.labels(2, 5));
        assertEquals(0, train.batch(7, 7).length);
    }

    @Test
    void indices_outside_the_split_are_refused() throws IOException {
        FashionMnist.Split test = FashionMnist.load(IdxFixtures.writeDataset(dir, 2, 4, false))
                .test();

        assertThrows(IndexOutOfBoundsException.class, () -> test.image(4));
        assertThrows(IndexOutOfBoundsException.class, () -> test.image(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> test.label(4));
        assertThrows(IndexOutOfBoundsException.class, () -> test.batch(2, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> test.batch(3, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> test.labels(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> test.batchShape(-1));
    }

    @Test
    void class_counts_follow_the_labels() throws IOException {
        FashionMnist.Split train = FashionMnist.load(IdxFixtures.writeDataset(dir, 23, 1, false))
                .train();

        assertArrayEquals(new int[] {3, 3, 3, 2, 2, 2, 2, 2, 2, 2}, train.classCounts());
    }

    @Test
    void class_names_are_the_ten_published_ones() {
        assertEquals(FashionMnist.CLASSES, FashionMnist.CLASS_NAMES.size());
        assertEquals("T-shirt/top", FashionMnist.CLASS_NAMES.get(0));
        assertEquals("Shirt", FashionMnist.CLASS_NAMES.get(6));
        assertEquals("Ankle boot", FashionMnist.CLASS_NAMES.get(9));
    }

    @Test
    void a_label_out_of_range_names_the_file_and_index() throws IOException {
        IdxFixtures.writeDataset(dir, 4, 2, false);
        Path labels = dir.resolve(FashionMnist.TRAIN_LABELS);
        IdxFixtures.write(labels, IdxFixtures.labels(new byte[] {0, 1, 10, 2}));

        assertError(() -> FashionMnist.load(dir), labels.toString(),
                "label 10 at index 2 is outside 0..9");
    }

    @Test
    void a_label_over_127_is_read_unsigned() throws IOException {
        IdxFixtures.writeDataset(dir, 4, 2, true);
        Path labels = dir.resolve(FashionMnist.TEST_LABELS + ".gz");
        IdxFixtures.write(labels, IdxFixtures.gzip(IdxFixtures.labels(new byte[] {(byte) 200, 1})));

        assertError(() -> FashionMnist.load(dir), labels.toString(), "label 200 at index 0");
    }

    @Test
    void a_count_mismatch_names_both_files() throws IOException {
        IdxFixtures.writeDataset(dir, 4, 2, false);
        Path images = dir.resolve(FashionMnist.TEST_IMAGES);
        Path labels = dir.resolve(FashionMnist.TEST_LABELS);
        IdxFixtures.write(labels, IdxFixtures.labels(new byte[] {1, 2, 3}));

        assertError(() -> FashionMnist.load(dir), images.toString(), "holds 2 images but",
                labels + " holds 3 labels");
    }

    @Test
    void a_missing_folder_says_how_to_get_the_data() {
        Path missing = dir.resolve("no-such-folder");

        DataFormatException e = assertError(() -> FashionMnist.load(missing),
                "Fashion-MNIST folder not found: " + missing,
                "apt-get install dataset-fashion-mnist",
                "zalandoresearch/fashion-mnist", "t10k-labels-idx1-ubyte.gz");
        assertTrue(e.getMessage().contains(FashionMnist.defaultDir().toString()), e.getMessage());
    }

    @Test
    void a_file_named_as_the_folder_is_not_a_directory() throws IOException {
        Path file = Files.writeString(dir.resolve("train-images-idx3-ubyte"), "x");

        assertError(() -> FashionMnist.load(file), file + ": not a directory");
    }

    @Test
    void a_missing_file_names_both_accepted_names() throws IOException {
        IdxFixtures.writeDataset(dir, 4, 2, true);
        Files.delete(dir.resolve(FashionMnist.TRAIN_LABELS + ".gz"));

        assertError(() -> FashionMnist.load(dir), dir.toString(),
                "neither train-labels-idx1-ubyte nor train-labels-idx1-ubyte.gz found",
                "apt-get install dataset-fashion-mnist");
    }

    @Test
    void a_bad_idx_file_is_reported_by_load_with_its_name() throws IOException {
        IdxFixtures.writeDataset(dir, 4, 2, false);
        Path images = dir.resolve(FashionMnist.TRAIN_IMAGES);
        IdxFixtures.write(images, IdxFixtures.labels(new byte[] {1}));

        assertError(() -> FashionMnist.load(dir), images.toString(), "wrong magic number");
    }

    @Test
    void train_and_test_images_must_share_a_size() throws IOException {
        IdxFixtures.writeDataset(dir, 4, 2, false);
        IdxFixtures.write(dir.resolve(FashionMnist.TEST_IMAGES),
                IdxFixtures.idx(IdxFile.IMAGES_MAGIC, new int[] {2, 2, 2}, new byte[8]));

        assertError(() -> FashionMnist.load(dir), dir.toString(), "3x2 but test images 2x2");
    }

    @Test
    void default_dir_is_debians_folder() {
        assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), FashionMnist.defaultDir());
    }

    @Test
    void split_validates_sizes_and_labels() {
        byte[] pixels = new byte[2 * 4];
        assertThrows(IllegalArgumentException.class,
                () -> new FashionMnist.Split(" ", 2, 2, pixels, new byte[2]));
        assertThrows(IllegalArgumentException.class,
                () -> new FashionMnist.Split("s", 0, 2, pixels, new byte[2]));
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> new FashionMnist.Split("s", 2, 2, pixels, new byte[3]));
        assertTrue(size.getMessage().contains("need 12 pixels, got 8"), size.getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> new FashionMnist.Split("s", 2, 2, new byte[4], new byte[] {-1}));
        assertTrue(label.getMessage().contains("label 255 at index 0"), label.getMessage());
    }

    @Test
    void a_split_copies_its_arrays_in_and_out() {
        byte[] pixels = {1, 2, 3, 4};
        byte[] labels = {7};
        FashionMnist.Split split = new FashionMnist.Split("s", 2, 2, pixels, labels);

        pixels[0] = 99;
        labels[0] = 1;
        split.pixels()[1] = 99;
        split.labels()[0] = 2;

        assertArrayEquals(new float[] {1, 2, 3, 4}, split.image(0));
        assertEquals(7, split.label(0));
        assertEquals(new FashionMnist.Split("s", 2, 2, new byte[] {1, 2, 3, 4}, new byte[] {7}),
                split);
        assertNotEquals(new FashionMnist.Split("s", 2, 2, new byte[] {1, 2, 3, 5}, new byte[] {7}),
                split);
        assertEquals("Split[s: 1 images 2x2]", split.toString());
    }

    @Test
    void verify_refuses_a_file_whose_md5_is_not_the_official_one() throws IOException {
        Path file = IdxFixtures.write(dir.resolve(FashionMnist.TRAIN_IMAGES + ".gz"),
                IdxFixtures.gzip(IdxFixtures.images(3)));

        assertError(() -> FashionMnist.verify(file), file.toString(),
                "differs from the official 8d4fb7e6c68d591d4c3dfef9ec88bf0d",
                "of train-images-idx3-ubyte.gz");
    }

    @Test
    void verify_needs_one_of_the_four_gz_names() throws IOException {
        Path file = IdxFixtures.write(dir.resolve("train-images.gz"),
                IdxFixtures.gzip(IdxFixtures.images(3)));
        Path plain = IdxFixtures.write(dir.resolve(FashionMnist.TRAIN_IMAGES),
                IdxFixtures.images(3));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FashionMnist.verify(file));
        assertTrue(e.getMessage().contains("no published checksum for train-images.gz"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.verify(plain));
    }

    @Test
    void verify_names_a_missing_file() {
        Path file = dir.resolve(FashionMnist.TEST_LABELS + ".gz");

        assertError(() -> FashionMnist.verify(file), file.toString(), "no such file");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void verify_content_checks_the_decompressed_bytes(boolean gzipped) throws IOException {
        byte[] content = IdxFixtures.labels(new byte[] {1, 2, 3});
        String name = FashionMnist.TEST_LABELS + (gzipped ? ".gz" : "");
        Path file = IdxFixtures.write(dir.resolve(name),
                gzipped ? IdxFixtures.gzip(content) : content);

        assertError(() -> FashionMnist.verifyContent(file), file.toString(),
                "MD5 of the IDX content " + FashionMnist.md5Hex(new ByteArrayInputStream(content)),
                "differs from the published 15d484375f8d13e6eb1aabb0c3f46965");
    }

    @Test
    void verify_content_needs_a_known_name() throws IOException {
        Path file = IdxFixtures.write(dir.resolve("labels.gz"), new byte[] {1});

        assertThrows(IllegalArgumentException.class, () -> FashionMnist.verifyContent(file));
    }

    @Test
    void md5_matches_known_digests() throws IOException {
        assertEquals("d41d8cd98f00b204e9800998ecf8427e",
                FashionMnist.md5Hex(new ByteArrayInputStream(new byte[0])));
        assertEquals("9e107d9d372bb6826bd81d3542a419d6", FashionMnist.md5Hex(
                new ByteArrayInputStream("The quick brown fox jumps over the lazy dog"
                        .getBytes(StandardCharsets.US_ASCII))));
    }

    private static void assertSplit(FashionMnist.Split split, String name, int count) {
        assertEquals(name, split.name());
        assertEquals(count, split.size());
        assertEquals(ROWS, split.rows());
        assertEquals(COLS, split.cols());
        assertEquals(ROWS * COLS, split.imageSize());
        assertArrayEquals(IdxFixtures.pixels(count), split.pixels());
        assertArrayEquals(IdxFixtures.labelValues(count), split.labels());
        for (int i = 0; i < count; i++) {
            assertEquals(i % 10, split.label(i));
        }
    }

    private static DataFormatException assertError(Executable load, String start,
            String... parts) {
        DataFormatException e = assertThrows(DataFormatException.class, load);
        assertTrue(e.getMessage().startsWith(start), () -> "starts with " + start + ": "
                + e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + part + "' in: " + e.getMessage());
        }
        return e;
    }

    private static float max(float[] values) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    private static float min(float[] values) {
        float min = Float.POSITIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
        }
        return min;
    }
}
