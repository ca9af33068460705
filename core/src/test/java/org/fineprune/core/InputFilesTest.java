package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way a path can fail to be a readable input file is named as what it is. */
class InputFilesTest {
    @TempDir
    Path tmp;

    @Test
    void a_readable_file_has_no_problem() throws IOException {
        Path file = Files.writeString(tmp.resolve("ok.h5"), "x");
        InputFiles.requireReadable(file, IllegalStateException::new);
        assertEquals(Optional.empty(), InputFiles.problem(file));
    }

    @Test
    void a_missing_file_is_no_such_file() {
        assertProblem(tmp.resolve("absent.h5"), "no such file");
    }

    @Test
    void a_directory_is_a_directory() {
        assertProblem(tmp, "is a directory, not a file");
    }

    @Test
    void a_fifo_is_not_a_regular_file() throws Exception {
        Path fifo = tmp.resolve("pipe.h5");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo failed");
        assertProblem(fifo, "not a regular file");
    }

    @Test
    void a_device_is_not_a_regular_file() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero), "no /dev/zero here");
        assertProblem(zero, "not a regular file");
    }

    @Test
    void a_symbolic_link_loop_is_named() throws IOException {
        Path loop = tmp.resolve("loop.h5");
        Files.createSymbolicLink(loop, loop.getFileName());
        assertProblem(loop, "symbolic link loop");
    }

    @Test
    void a_link_to_nothing_is_a_broken_link() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("link.h5"), tmp.resolve("gone.h5"));
        assertProblem(link, "broken symbolic link");
    }

    @Test
    void a_path_through_a_file_names_the_reason() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        assertProblem(file.resolve("inner.h5"), "cannot be read (Not a directory)");
    }

    @Test
    void an_unreadable_file_is_permission_denied() throws IOException {
        Path file = Files.writeString(tmp.resolve("secret.h5"), "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(file), "root reads every file");
        assertProblem(file, "permission denied");
    }

    @Test
    void a_folder_that_cannot_be_searched_is_permission_denied() {
        Path file = tmp.resolve("locked/w.h5");
        assertEquals("permission denied",
                InputFiles.describe(file, new AccessDeniedException(file.toString())));
    }

    @Test
    void a_directory_is_required_where_a_folder_is_named() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain.png"), "x");
        InputFiles.requireDirectory(tmp, IllegalStateException::new);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> InputFiles.requireDirectory(file, IllegalStateException::new));
        assertEquals(file + ": not a directory", e.getMessage());
        e = assertThrows(IllegalStateException.class,
                () -> InputFiles.requireDirectory(tmp.resolve("absent"), IllegalStateException::new));
        assertEquals(tmp.resolve("absent") + ": no such directory", e.getMessage());
    }

    private static void assertProblem(Path file, String expected) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> InputFiles.requireReadable(file, IllegalStateException::new));
        assertTrue(e.getMessage().startsWith(file + ": " + expected), e.getMessage());
    }
}
