package org.fineprune.reproducibility;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileHashesTest {
    @TempDir
    Path dir;

    @Test
    void hashes_abc_to_the_fips_180_test_vector() throws IOException {
        Path file = Files.writeString(dir.resolve("abc.txt"), "abc", StandardCharsets.US_ASCII);

        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", FileHashes.sha256(file));
    }

    @Test
    void hashes_an_empty_file() throws IOException {
        Path file = Files.createFile(dir.resolve("empty"));

        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", FileHashes.sha256(file));
    }

    @Test
    void a_file_larger_than_the_buffer_hashes_like_its_bytes_in_one_piece()
            throws IOException, NoSuchAlgorithmException {
        byte[] bytes = new byte[200_003];
        new SplittableRandom(42).nextBytes(bytes);
        Path file = Files.write(dir.resolve("weights.h5"), bytes);

        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertEquals(expected, FileHashes.sha256(file));
    }

    @Test
    void a_missing_file_is_an_error_naming_it() {
        Path missing = dir.resolve("missing.h5");

        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> FileHashes.sha256(missing));

        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void a_folder_is_an_error_naming_it() {
        IOException e = assertThrows(IOException.class, () -> FileHashes.sha256(dir));

        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }
}
