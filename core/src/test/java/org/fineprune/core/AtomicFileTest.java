package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @Test
    void a_writer_that_fails_half_way_leaves_no_target_file(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("repaired_drop_5.h5");
        FileSystemException failed = assertThrows(FileSystemException.class, () -> AtomicFile.write(target, file -> {
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(new byte[1000]);
                throw new IOException("No space left on device");
            }
        }));
        assertEquals(target.toString(), failed.getFile());
        assertTrue(failed.getMessage().contains("No space left on device"), failed.getMessage());
        assertFalse(Files.exists(target));
        assertEquals(List.of(), list(dir), "the temporary file is removed as well");
    }

    @Test
    void a_failed_rewrite_keeps_the_old_file_whole(@TempDir Path dir) throws IOException {
        Path target = AtomicFile.writeString(dir.resolve("table.md"), "old");
        assertThrows(IOException.class, () -> AtomicFile.write(target, file -> {
            Files.writeString(file, "half");
            throw new IllegalStateException("crash");
        }));
        assertEquals("old", Files.readString(target));
        AtomicFile.writeString(target, "new");
        assertEquals("new", Files.readString(target));
        assertEquals(List.of("table.md"), list(dir));
    }

    @Test
    void the_content_is_written_to_a_temporary_file_beside_the_target(@TempDir Path dir) throws IOException {
        Path[] seen = new Path[1];
        AtomicFile.write(dir.resolve("plot.png"), file -> {
            seen[0] = file;
            assertFalse(Files.exists(file), "the writer gets a fresh path");
            Files.write(file, new byte[] {1, 2});
        });
        assertEquals(dir, seen[0].getParent());
        assertEquals("plot.png", AtomicFile.targetOf(seen[0].getFileName().toString()));
    }

    @Test
    void temporary_files_are_told_from_other_files_by_name() {
        assertEquals("model.h5", AtomicFile.targetOf(".model.h5.1f.tmp"));
        assertEquals("model.h5", AtomicFile.targetOf("..model.h5.1f.tmp.a0.tmp"), "one written through another");
        assertNull(AtomicFile.targetOf("plot.png"));
        assertNull(AtomicFile.targetOf(".notes.tmp"));
        assertNull(AtomicFile.targetOf(".tmp"));
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
