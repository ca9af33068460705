package org.fineprune.data;

import static org.fineprune.data.Hdf5Fixtures.C;
import static org.fineprune.data.Hdf5Fixtures.H;
import static org.fineprune.data.Hdf5Fixtures.W;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jhdf.HdfFile;
import io.jhdf.object.datatype.FixedPoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.fineprune.core.BadNet;
import org.fineprune.core.DataFormatException;
import org.fineprune.core.DeepId;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.testing.Hdf5HeaderPatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabDatasetTest {
    private static final int N = 5;

    @TempDir
    Path dir;

    @Test
    void reads_uint8_data_exactly_in_batches_that_do_not_divide_the_count() throws IOException {
        Path file = Hdf5Fixtures.writeUnsigned(dir.resolve("u8.h5"), Hdf5Fixtures.byteImages(N),
                Arrays.stream(Hdf5Fixtures.expectedLabels(N)).toArray());
        try (HdfFile hdf = new HdfFile(file)) {
            FixedPoint type = (FixedPoint) hdf.getDatasetByPath("data").getDataType();
            assertFalse(type.isSigned(), "the fixture must be uint8");
            assertEquals(8, type.getBitPrecision());
        }

        assertReadsFixture(LabDataset.open(file), 2, true);
    }

    @Test
    void reads_float32_data_exactly_with_float_labels() throws IOException {
        Path file = Hdf5Fixtures.write(dir.resolve("f32.h5"), Hdf5Fixtures.floatImages(N),
                Hdf5Fixtures.floatLabels(N));

        assertReadsFixture(LabDataset.open(file), 3, true);
    }

    @Test
    void reads_float64_data_exactly_with_double_labels() throws IOException {
        double[] labels = Arrays.stream(Hdf5Fixtures.expectedLabels(N)).asDoubleStream().toArray();
        Path file =
                Hdf5Fixtures.write(dir.resolve("f64.h5"), Hdf5Fixtures.doubleImages(N), labels);

        assertReadsFixture(LabDataset.open(file), 4, true);
    }

    @Test
    void reads_other_integer_data_types() throws IOException {
        long[] labels = Arrays.stream(Hdf5Fixtures.expectedLabels(N)).asLongStream().toArray();
        Path file =
                Hdf5Fixtures.write(dir.resolve("i16.h5"), Hdf5Fixtures.shortImages(N), labels);

        assertReadsFixture(LabDataset.open(file), N, true);
    }

    /**
     * A file written by the HDF5 library itself rather than jhdf: the {@link Hdf5Fixtures#pixel}
     * values as uint8 (5,3,55,47) in chunks (2,2,16,16), so that every dimension has a partial
     * edge chunk, compressed with gzip level 6, and float32 labels 0, 7, .., 28. Batches that
     * start inside a chunk check the sliced reads of chunked data (wrong before jhdf 0.11.0,
     * jhdf issue 727). The script {@code make-chunked-fixture.sh} next to the fixture in the
     * test resources regenerates it byte for byte with h5py.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5})
    void reads_chunked_compressed_data_exactly(int batchSize) throws Exception {
        Path file = Path.of(getClass().getResource("chunked-uint8-gzip.h5").toURI());

        assertReadsFixture(LabDataset.open(file), batchSize, true);
    }

    @Test
    void reads_the_file_afresh_on_every_pass() throws IOException {
        Path file = Hdf5Fixtures.write(dir.resolve("twice.h5"), Hdf5Fixtures.floatImages(N),
                Hdf5Fixtures.floatLabels(N));
        LabDataset dataset = LabDataset.open(file);

        assertReadsFixture(dataset, 2, true);
        assertReadsFixture(dataset, 1, true);
        assertReadsFixture(dataset, 100, true);
    }

    @Test
    void describes_its_file_size_and_labels() {
        Path file = Hdf5Fixtures.write(dir.resolve("named.h5"), Hdf5Fixtures.floatImages(N),
                Hdf5Fixtures.floatLabels(N));
        LabDataset dataset = LabDataset.open(file);

        assertEquals(file.toString(), dataset.name());
        assertEquals(file, dataset.file());
        assertEquals(N, dataset.size());
        assertTrue(dataset.labelled());
        assertArrayEquals(Hdf5Fixtures.expectedLabels(N), dataset.labels());
        dataset.labels()[0] = 99;
        assertEquals(0, dataset.labels()[0], "labels() returns a copy");
    }

    @Test
    void opens_a_file_without_labels_as_unlabelled() throws IOException {
        Path file =
                Hdf5Fixtures.write(dir.resolve("nolabel.h5"), Hdf5Fixtures.floatImages(N), null);
        LabDataset dataset = LabDataset.openUnlabelled(file);

        assertFalse(dataset.labelled());
        assertNull(dataset.labels());
        assertReadsFixture(dataset, 2, false);
    }

    @Test
    void open_unlabelled_ignores_labels_that_are_there() throws IOException {
        Path file = Hdf5Fixtures.write(dir.resolve("ignored.h5"), Hdf5Fixtures.floatImages(N),
                new float[] {-1, 0, 0, 0, 0});

        assertReadsFixture(LabDataset.openUnlabelled(file), 2, false);
    }

    @Test
    void accepts_labels_below_a_smaller_class_count() {
        Path file = Hdf5Fixtures.write(dir.resolve("classes.h5"), Hdf5Fixtures.floatImages(N),
                new int[] {0, 1, 2, 1, 0});

        assertEquals(N, LabDataset.open(file, 3).size());
        assertMessage(() -> LabDataset.open(file, 2), file, "label 2 is 2", "[0, 2)");
    }

    @Test
    void rejects_missing_file() {
        Path file = dir.resolve("absent.h5");

        assertMessage(() -> LabDataset.open(file), file, "no such file");
    }

    @Test
    void rejects_truncated_file() throws IOException {
        Path file = Hdf5Fixtures.write(dir.resolve("cut.h5"), Hdf5Fixtures.floatImages(N),
                Hdf5Fixtures.floatLabels(N));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));

        assertMessage(() -> LabDataset.open(file), file, "not a readable HDF5 file", "truncated");
    }

    @Test
    void rejects_file_cut_inside_its_header() throws IOException {
        Path file = Hdf5Fixtures.write(dir.resolve("stub.h5"), Hdf5Fixtures.floatImages(N),
                Hdf5Fixtures.floatLabels(N));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, 40));

        assertMessage(() -> LabDataset.open(file), file, "not a readable HDF5 file");
    }

    @Test
    void rejects_file_truncated_after_it_was_opened() throws IOException {
        Path file = Hdf5Fixtures.write(dir.resolve("later.h5"), Hdf5Fixtures.floatImages(N),
                Hdf5Fixtures.floatLabels(N));
        LabDataset dataset = LabDataset.open(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 1000));

        assertMessage(() -> dataset.forEachBatch(2, batch -> { }), file,
                "not a readable HDF5 file", "truncated");
    }

    @Test
    void rejects_a_dimension_declared_beyond_what_an_array_holds() {
        Path file = Hdf5Fixtures.write(dir.resolve("wide.h5"), Hdf5Fixtures.floatImages(N),
                Hdf5Fixtures.floatLabels(N));
        Hdf5HeaderPatch.declareDimension(file, "data", 1, 1L << 40);

        assertMessage(() -> LabDataset.open(file), file,
                "dataset 'data' declares shape (5, 1099511627776, 55, 47)", "over 2147483647");
        assertMessage(() -> LabDataset.openUnlabelled(file), file, "1099511627776");
    }

    @Test
    void rejects_an_image_count_of_2_to_the_64_minus_1() {
        Path file = Hdf5Fixtures.write(dir.resolve("unsigned.h5"), Hdf5Fixtures.floatImages(N),
                Hdf5Fixtures.floatLabels(N));
        Hdf5HeaderPatch.declareDimension(file, "data", 0, -1L);

        assertMessage(() -> LabDataset.openUnlabelled(file), file,
                "dataset 'data' declares shape (18446744073709551615, 3, 55, 47)", "over 2147483647");
    }

    @Test
    void rejects_more_images_declared_than_the_file_holds() {
        Path file = Hdf5Fixtures.write(dir.resolve("many.h5"), Hdf5Fixtures.floatImages(N),
                Hdf5Fixtures.floatLabels(N));
        Hdf5HeaderPatch.declareDimension(file, "data", 0, Integer.MAX_VALUE);
        Hdf5HeaderPatch.declareDimension(file, "label", 0, Integer.MAX_VALUE);

        assertMessage(() -> LabDataset.open(file), file,
                "dataset 'data' declares shape (2147483647, 3, 55, 47)", "bytes of the file");
        assertMessage(() -> LabDataset.openUnlabelled(file), file, "(2147483647, 3, 55, 47)");
    }

    @Test
    void rejects_more_compressed_images_declared_than_the_file_could_hold() throws Exception {
        Path file = Files.copy(Path.of(getClass().getResource("chunked-uint8-gzip.h5").toURI()),
                dir.resolve("chunked.h5"));
        Hdf5HeaderPatch.declareDimension(file, "data", 0, Integer.MAX_VALUE);

        assertMessage(() -> LabDataset.openUnlabelled(file), file,
                "dataset 'data' declares 2147483647 images", "bytes of the file");
    }

    @Test
    void rejects_an_object_header_declared_larger_than_the_file() throws Exception {
        Path file = Files.copy(Path.of(getClass().getResource("chunked-uint8-gzip.h5").toURI()),
                dir.resolve("header.h5"));
        Hdf5HeaderPatch.declareHeaderSize(file, "data", Integer.MAX_VALUE - 16);

        assertMessage(() -> LabDataset.open(file), file, "not a readable HDF5 file");
    }

    @Test
    void refuses_a_batch_of_more_values_than_an_array_holds() throws Exception {
        // 300,000 images declared in a file long enough for them to pass for compressed ones.
        Path file = Files.copy(Path.of(getClass().getResource("chunked-uint8-gzip.h5").toURI()),
                dir.resolve("long.h5"));
        Hdf5HeaderPatch.declareDimension(file, "data", 0, 300_000);
        Files.write(file, new byte[300_000], StandardOpenOption.APPEND);
        LabDataset dataset = LabDataset.openUnlabelled(file);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dataset.forEachBatch(Integer.MAX_VALUE, batch -> { }));
        assertTrue(e.getMessage().contains("a batch of 300000 images of " + file), e.getMessage());
        assertTrue(e.getMessage().contains("at most 276916"), e.getMessage());
    }

    @Test
    void rejects_labels_declared_beyond_the_file() {
        Path file = Hdf5Fixtures.write(dir.resolve("labels.h5"), Hdf5Fixtures.floatImages(N),
                Hdf5Fixtures.floatLabels(N));
        Hdf5HeaderPatch.declareDimension(file, "label", 0, Integer.MAX_VALUE);

        assertMessage(() -> LabDataset.open(file), file,
                "dataset 'label' declares shape (2147483647)", "bytes of the file");
    }

    @Test
    void rejects_a_label_dataset_declared_but_never_written() {
        Path file = Hdf5Fixtures.write(dir.resolve("unwritten.h5"), Hdf5Fixtures.floatImages(N),
                Hdf5Fixtures.floatLabels(N));
        Hdf5HeaderPatch.declareUnwritten(file, "label");

        assertMessage(() -> LabDataset.open(file), file, "dataset 'label' declares shape (5)",
                "never written");
        assertEquals(N, LabDataset.openUnlabelled(file).size(), "the images are still there");
    }

    @Test
    void rejects_an_image_dataset_declared_but_never_written() {
        Path file = Hdf5Fixtures.write(dir.resolve("nodata.h5"), Hdf5Fixtures.floatImages(N),
                Hdf5Fixtures.floatLabels(N));
        Hdf5HeaderPatch.declareUnwritten(file, "data");

        assertMessage(() -> LabDataset.openUnlabelled(file), file, "dataset 'data'",
                "never written");
    }

    @ParameterizedTest
    @ValueSource(strings = {"directory", "fifo", "loop"})
    void names_what_a_path_is_when_it_is_not_a_file(String kind) throws Exception {
        Path path = switch (kind) {
            case "directory" -> dir;
            case "fifo" -> {
                Path fifo = dir.resolve("pipe.h5");
                assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
                yield fifo;
            }
            default -> Files.createSymbolicLink(dir.resolve("loop.h5"), Path.of("loop.h5"));
        };
        String expected = switch (kind) {
            case "directory" -> "is a directory";
            case "fifo" -> "not a regular file";
            default -> "symbolic link loop";
        };

        assertMessage(() -> LabDataset.open(path), path, expected);
    }

    @Test
    void rejects_file_truncated_while_it_is_read() throws IOException {
        Path file = Hdf5Fixtures.write(dir.resolve("during.h5"), Hdf5Fixtures.floatImages(N),
                Hdf5Fixtures.floatLabels(N));
        LabDataset dataset = LabDataset.open(file);
        byte[] bytes = Files.readAllBytes(file);

        assertMessage(() -> dataset.forEachBatch(1, batch -> {
            try {
                Files.write(file, Arrays.copyOf(bytes, 4096));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }), file, "cut from", "to 4096 bytes while images 1.. were being read");
    }

    /**
     * Corruption as a bad download or a hostile user makes it: a few bytes of a file the HDF5
     * library wrote (whose headers have no checksums) overwritten, 300 times from a fixed seed,
     * mostly in the headers. Whatever breaks, the reader answers with its one-line error.
     */
    @Test
    void any_corruption_ends_in_a_data_format_error() throws Exception {
        byte[] original = Files.readAllBytes(
                Path.of(getClass().getResource("chunked-uint8-gzip.h5").toURI()));
        SplittableRandom random = new SplittableRandom(1);
        Path file = dir.resolve("corrupt.h5");
        for (int trial = 0; trial < 300; trial++) {
            byte[] bytes = original.clone();
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                int at = random.nextInt(random.nextBoolean() ? 4096 : bytes.length - 4);
                if (random.nextBoolean()) {
                    bytes[at] = (byte) random.nextInt(256);
                } else {
                    Arrays.fill(bytes, at, at + 4, (byte) 0x7F);
                }
            }
            Files.write(file, bytes);
            try {
                LabDataset.open(file).forEachBatch(2, batch -> { });
            } catch (DataFormatException e) {
                assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
            } catch (RuntimeException | Error e) {
                throw new AssertionError("trial " + trial + " ended in " + e, e);
            }
        }
    }

    @Test
    void rejects_text_file() throws IOException {
        Path file = dir.resolve("notes.h5");
        Files.writeString(file, "data,label\n1,2\n", StandardCharsets.UTF_8);

        assertMessage(() -> LabDataset.open(file), file, "not a readable HDF5 file");
    }

    @Test
    void rejects_file_without_data() {
        Path file =
                Hdf5Fixtures.write(dir.resolve("nodata.h5"), null, Hdf5Fixtures.floatLabels(N));

        assertMessage(() -> LabDataset.open(file), file, "no dataset 'data'", "[label]");
        assertMessage(() -> LabDataset.openUnlabelled(file), file, "no dataset 'data'");
    }

    @Test
    void rejects_missing_label() {
        Path file =
                Hdf5Fixtures.write(dir.resolve("nolabel.h5"), Hdf5Fixtures.floatImages(N), null);

        assertMessage(() -> LabDataset.open(file), file, "no dataset 'label'", "unlabelled");
    }

    @Test
    void reads_images_of_the_models_input_shape_with_labels_among_its_classes() {
        float[][][][] images = new float[N][1][28][28];
        for (int i = 0; i < N; i++) {
            images[i][0][27][3] = i;
        }
        Path file = Hdf5Fixtures.write(dir.resolve("items.h5"), images, new int[] {0, 1, 2, 9, 4});
        try (BadNet net = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnn.initialWeights(1), ModelOptions.defaults())) {
            List<ImageBatch> batches = new ArrayList<>();
            LabDataset.open(file, net).forEachBatch(2, batches::add);
            assertEquals(List.of(2, 2, 1), batches.stream().map(ImageBatch::size).toList());
            assertEquals(28 * 28, batches.get(0).imageValues());
            assertEquals(3, batches.get(1).pixels()[28 * 28 + 27 * 28 + 3]);

            Path faces = Hdf5Fixtures.write(dir.resolve("faces.h5"), new float[N][C][H][W], Hdf5Fixtures.floatLabels(N));
            assertMessage(() -> LabDataset.open(faces, net), faces,
                    "images are (N, 3, 55, 47) but small-cnn takes (1, 28, 28)");
            Path ten = Hdf5Fixtures.write(dir.resolve("ten.h5"), images, new int[] {0, 1, 2, 10, 4});
            assertMessage(() -> LabDataset.open(ten, net), ten, "label 3 is 10", "[0, 10)");
        }
    }

    @Test
    void rejects_images_one_column_short() {
        Path file = Hdf5Fixtures.write(dir.resolve("narrow.h5"), new float[N][C][H][W - 1],
                Hdf5Fixtures.floatLabels(N));

        assertMessage(() -> LabDataset.open(file), file, "images are (N, 3, 55, 46)",
                "DeepID takes (3, 55, 47)");
    }

    @Test
    void rejects_channels_last_images() {
        Path file = Hdf5Fixtures.write(dir.resolve("nhwc.h5"), new float[N][H][W][C],
                Hdf5Fixtures.floatLabels(N));

        assertMessage(() -> LabDataset.open(file), file, "images are (N, 55, 47, 3)",
                "DeepID takes (3, 55, 47)", "channels-last");
    }

    @Test
    void rejects_flattened_images() {
        Path file = Hdf5Fixtures.write(dir.resolve("flat.h5"),
                new float[N][DeepId.IMAGE_VALUES], Hdf5Fixtures.floatLabels(N));

        assertMessage(() -> LabDataset.open(file), file, "images are (N, 7755)",
                "DeepID takes (3, 55, 47)");
    }

    @Test
    void rejects_unsupported_element_type() {
        Path file = Hdf5Fixtures.write(dir.resolve("bool.h5"), new boolean[N][C][H][W],
                Hdf5Fixtures.floatLabels(N));

        assertMessage(() -> LabDataset.open(file), file, "element type BitField",
                "uint8, float32 or float64");
    }

    @Test
    void rejects_label_count_mismatch() {
        Path file = Hdf5Fixtures.write(dir.resolve("count.h5"), Hdf5Fixtures.floatImages(N),
                Hdf5Fixtures.floatLabels(N - 1));

        assertMessage(() -> LabDataset.open(file), file, "'label' has shape (4)", "expected (5)");
    }

    @ParameterizedTest
    @ValueSource(ints = {DeepId.CLASSES, -1})
    void rejects_labels_out_of_range(int bad) {
        int[] labels = Hdf5Fixtures.expectedLabels(N);
        labels[3] = bad;
        Path file =
                Hdf5Fixtures.write(dir.resolve("range.h5"), Hdf5Fixtures.floatImages(N), labels);

        assertMessage(() -> LabDataset.open(file), file, "label 3 is " + bad, "[0, 1283)");
    }

    @Test
    void rejects_non_integral_label() {
        float[] labels = Hdf5Fixtures.floatLabels(N);
        labels[2] = 2.5f;
        Path file =
                Hdf5Fixtures.write(dir.resolve("half.h5"), Hdf5Fixtures.floatImages(N), labels);

        assertMessage(() -> LabDataset.open(file), file, "label 2 is 2.5", "whole number");
    }

    @Test
    void rejects_nan_pixel_naming_the_image() {
        float[][][][] images = Hdf5Fixtures.floatImages(N);
        images[3][1][10][20] = Float.NaN;
        Path file = Hdf5Fixtures.write(dir.resolve("nan.h5"), images, Hdf5Fixtures.floatLabels(N));
        LabDataset dataset = LabDataset.open(file);

        assertMessage(() -> dataset.forEachBatch(2, batch -> { }), file, "image 3", "NaN",
                "channel 1, row 10, column 20");
    }

    @Test
    void rejects_infinite_pixel_naming_the_image() {
        double[][][][] images = Hdf5Fixtures.doubleImages(N);
        images[4][0][0][0] = Double.NEGATIVE_INFINITY;
        Path file = Hdf5Fixtures.write(dir.resolve("inf.h5"), images, Hdf5Fixtures.floatLabels(N));
        LabDataset dataset = LabDataset.open(file);

        assertMessage(() -> dataset.forEachBatch(3, batch -> { }), file, "image 4", "Infinity");
    }

    @Test
    void rejects_non_positive_batch_size() {
        Path file = Hdf5Fixtures.write(dir.resolve("batch.h5"), Hdf5Fixtures.floatImages(N),
                Hdf5Fixtures.floatLabels(N));
        LabDataset dataset = LabDataset.open(file);

        assertThrows(IllegalArgumentException.class, () -> dataset.forEachBatch(0, batch -> { }));
    }

    /** Reads the whole fixture and checks every value, label and batch size. */
    private static void assertReadsFixture(LabDataset dataset, int batchSize, boolean labelled)
            throws IOException {
        assertEquals(N, dataset.size());
        List<ImageBatch> batches = new ArrayList<>();
        dataset.forEachBatch(batchSize, batches::add);

        int image = 0;
        for (ImageBatch batch : batches) {
            assertEquals(Math.min(batchSize, N - image), batch.size(), "batch at " + image);
            if (labelled) {
                int[] expected = Hdf5Fixtures.expectedLabels(N);
                assertArrayEquals(Arrays.copyOfRange(expected, image, image + batch.size()),
                        batch.labels());
            } else {
                assertNull(batch.labels());
            }
            for (int i = 0; i < batch.size(); i++, image++) {
                float[] actual = Arrays.copyOfRange(batch.pixels(), i * DeepId.IMAGE_VALUES,
                        (i + 1) * DeepId.IMAGE_VALUES);
                assertArrayEquals(Hdf5Fixtures.expectedImage(image), actual, "image " + image);
            }
        }
        assertEquals(N, image);
    }

    static void assertMessage(Executable action, Path file, String... parts) {
        DataFormatException e = assertThrows(DataFormatException.class, action);
        assertTrue(e.getMessage().contains(file.toString()),
                () -> "no file name in: " + e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part),
                    () -> "no '" + part + "' in: " + e.getMessage());
        }
    }
}
