package org.fineprune.data.mnist;

import static org.fineprune.data.mnist.IdxFixtures.COLS;
import static org.fineprune.data.mnist.IdxFixtures.ROWS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdxFileTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void reads_images_with_their_dimensions_and_bytes(boolean gzipped) throws IOException {
        byte[] content = IdxFixtures.images(4);
        Path file = IdxFixtures.write(dir.resolve("images"),
                gzipped ? IdxFixtures.gzip(content) : content);

        IdxFile idx = IdxFile.readImages(file);

        assertEquals(file, idx.file());
        assertEquals(3, idx.rank());
        assertArrayEquals(new int[] {4, ROWS, COLS}, idx.dims());
        assertArrayEquals(IdxFixtures.pixels(4), idx.data());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void reads_labels(boolean gzipped) throws IOException {
        byte[] labels = {9, 0, 3, 7, 1};
        byte[] content = IdxFixtures.labels(labels);
        Path file = IdxFixtures.write(dir.resolve("labels"),
                gzipped ? IdxFixtures.gzip(content) : content);

        IdxFile idx = IdxFile.readLabels(file);

        assertArrayEquals(new int[] {5}, idx.dims());
        assertArrayEquals(labels, idx.data());
    }

    @Test
    void detects_gzip_by_content_not_by_name() throws IOException {
        byte[] content = IdxFixtures.images(2);
        Path gzippedWithoutSuffix = IdxFixtures.write(dir.resolve("a-idx3-ubyte"),
                IdxFixtures.gzip(content));
        Path plainWithSuffix = IdxFixtures.write(dir.resolve("b-idx3-ubyte.gz"), content);

        assertArrayEquals(IdxFixtures.pixels(2), IdxFile.readImages(gzippedWithoutSuffix).data());
        assertArrayEquals(IdxFixtures.pixels(2), IdxFile.readImages(plainWithSuffix).data());
    }

    @Test
    void reads_an_empty_set() throws IOException {
        Path file = IdxFixtures.write(dir.resolve("empty"), IdxFixtures.images(0));

        IdxFile idx = IdxFile.readImages(file);

        assertArrayEquals(new int[] {0, ROWS, COLS}, idx.dims());
        assertEquals(0, idx.data().length);
    }

    @Test
    void a_missing_file_is_named() {
        Path file = dir.resolve("nothing-here-idx3-ubyte");

        assertError(() -> IdxFile.readImages(file), file, "no such file");
    }

    @Test
    void a_directory_is_named() {
        assertError(() -> IdxFile.readImages(dir), dir, "a directory");
    }

    @Test
    void labels_read_as_images_report_both_magic_numbers() throws IOException {
        Path file = IdxFixtures.write(dir.resolve("labels"), IdxFixtures.labels(new byte[] {1}));

        assertError(() -> IdxFile.readImages(file), file, "wrong magic number 0x00000801",
                "expected 0x00000803", "unsigned-byte images [n, rows, cols]");
    }

    @Test
    void images_read_as_labels_report_both_magic_numbers() throws IOException {
        Path file = IdxFixtures.write(dir.resolve("images"), IdxFixtures.images(1));

        assertError(() -> IdxFile.readLabels(file), file, "wrong magic number 0x00000803",
                "expected 0x00000801");
    }

    @Test
    void a_file_that_is_not_idx_is_named() throws IOException {
        Path file = IdxFixtures.write(dir.resolve("readme.txt"),
                "Fashion-MNIST is a dataset of Zalando's article images".getBytes(
                        StandardCharsets.US_ASCII));

        assertError(() -> IdxFile.readImages(file), file, "not an IDX file",
                "does not start with two zero bytes");
    }

    @ParameterizedTest
    @CsvSource({"0x09, signed byte", "0x0B, short", "0x0C, int", "0x0D, float", "0x0E, double",
            "0x42, unknown type"})
    void other_element_types_are_refused_by_name(String type, String name) throws IOException {
        int code = Integer.decode(type);
        Path file = IdxFixtures.write(dir.resolve("typed"),
                IdxFixtures.idx(code << 8 | 3, new int[] {1, 1, 1}, new byte[] {0, 0, 0, 0}));

        assertError(() -> IdxFile.readImages(file), file,
                String.format("unsupported element type 0x%02X (%s)", code, name),
                "only unsigned bytes");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void truncated_data_reports_promised_and_found_bytes(boolean gzipped) throws IOException {
        byte[] full = IdxFixtures.images(4);
        byte[] cut = Arrays.copyOf(full, full.length - 5);
        Path file = IdxFixtures.write(dir.resolve("cut"), gzipped ? IdxFixtures.gzip(cut) : cut);

        assertError(() -> IdxFile.readImages(file), file, "truncated",
                "[4, 3, 2] promises 24 bytes of data, found 19");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 6, 13})
    void a_header_cut_short_is_truncated(int length) throws IOException {
        byte[] cut = Arrays.copyOf(IdxFixtures.images(4), length);
        Path file = IdxFixtures.write(dir.resolve("header"), cut);

        assertError(() -> IdxFile.readImages(file), file, "truncated: the file ends inside");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void trailing_bytes_are_counted(boolean gzipped) throws IOException {
        byte[] full = IdxFixtures.images(2);
        byte[] longer = Arrays.copyOf(full, full.length + 3);
        Path file = IdxFixtures.write(dir.resolve("long"),
                gzipped ? IdxFixtures.gzip(longer) : longer);

        assertError(() -> IdxFile.readImages(file), file, "3 trailing bytes after the 12 bytes");
    }

    @Test
    void a_cut_gzip_stream_is_reported_as_truncated() throws IOException {
        byte[] gz = IdxFixtures.gzip(IdxFixtures.images(50));
        Path file = IdxFixtures.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length - 12));

        assertError(() -> IdxFile.readImages(file), file, "gzip stream ends early");
    }

    @Test
    void corrupt_gzip_data_is_named() throws IOException {
        byte[] gz = IdxFixtures.gzip(IdxFixtures.images(50));
        for (int k = 10; k < gz.length - 8; k++) {
            gz[k] = (byte) 0xFF;
        }
        Path file = IdxFixtures.write(dir.resolve("bad.gz"), gz);

        assertError(() -> IdxFile.readImages(file), file, "gzip");
    }

    @Test
    void dimensions_beyond_a_java_array_are_refused() throws IOException {
        Path file = IdxFixtures.write(dir.resolve("huge"),
                IdxFixtures.idx(IdxFile.IMAGES_MAGIC, new int[] {100_000, 28_000, 28},
                        new byte[0]));

        assertError(() -> IdxFile.readImages(file), file, "more than a Java array holds");
    }

    @Test
    void a_dimension_over_two_to_the_31_is_refused() throws IOException {
        Path file = IdxFixtures.write(dir.resolve("negative"),
                IdxFixtures.idx(IdxFile.LABELS_MAGIC, new int[] {-1}, new byte[0]));

        assertError(() -> IdxFile.readLabels(file), file, "dimension 0 is 4294967295");
    }

    @Test
    void open_passes_plain_files_through_unchanged() throws IOException {
        byte[] content = IdxFixtures.labels(new byte[] {1, 2});
        Path file = IdxFixtures.write(dir.resolve("plain"), content);

        try (var in = IdxFile.open(file)) {
            assertArrayEquals(content, in.readAllBytes());
        }
        assertEquals(content.length, Files.size(file));
    }

    private static void assertError(Executable read, Path file, String... parts) {
        DataFormatException e = assertThrows(DataFormatException.class, read);
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + part + "' in: " + e.getMessage());
        }
    }
}
