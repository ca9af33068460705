package org.fineprune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.fineprune.core.DataFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFolderTest {
    private static final Predicate<String> TABLES = name -> name.endsWith(".md") || name.startsWith("plots/");

    @TempDir
    Path dir;

    @Test
    void claiming_a_new_folder_creates_nothing() throws IOException {
        Path out = dir.resolve("new");
        OutputFolder.claim(out, "test", TABLES, false);
        assertFalse(Files.exists(out));
    }

    @Test
    void a_file_it_did_not_write_is_refused_even_when_replacing() throws IOException {
        Path mine = Files.writeString(dir.resolve("report.md"), "my own notes");
        for (boolean replace : List.of(false, true)) {
            IOException e = assertThrows(IOException.class, () -> OutputFolder.claim(dir, "test", TABLES, replace));
            assertEquals(mine + ": not written by fineprune test; move it away or choose another --out",
                    e.getMessage());
        }
        assertEquals("my own notes", Files.readString(mine));
    }

    @Test
    void a_finished_run_is_replaced_only_when_told_and_its_stale_files_go() throws IOException {
        OutputFolder first = OutputFolder.claim(dir, "test", TABLES, false);
        first.writeString("a.md", "a");
        first.write("plots/one.png", new byte[] {1});
        first.finish();
        Path notes = Files.writeString(dir.resolve("notes.txt"), "keep");

        IOException e = assertThrows(IOException.class, () -> OutputFolder.claim(dir, "test", TABLES, false));
        assertEquals(dir + ": already holds results (a.md and 1 more); use --force to replace them or choose "
                + "another --out", e.getMessage());

        OutputFolder second = OutputFolder.claim(dir, "test", TABLES, true);
        second.writeString("b.md", "b");
        assertTrue(Files.exists(dir.resolve("a.md")), "the old files stay until the new run finishes");
        second.finish();
        assertEquals(List.of(".fineprune-test.json", "b.md", "notes.txt", "plots"), names(dir));
        assertEquals(List.of(), names(dir.resolve("plots")));
        assertEquals("keep", Files.readString(notes));
    }

    @Test
    void a_folder_of_an_unfinished_run_is_accepted_without_replacing() throws IOException {
        OutputFolder crashed = OutputFolder.claim(dir, "test", TABLES, false);
        crashed.writeString("a.md", "whole");
        Files.writeString(dir.resolve(".b.md.5f3a.tmp"), "half"); // a write cut off by kill -9
        Files.writeString(dir.resolve(".notes.txt.5f3a.tmp"), "not one of ours");

        OutputFolder rerun = OutputFolder.claim(dir, "test", TABLES, false);
        assertEquals(List.of(".fineprune-test.json", ".notes.txt.5f3a.tmp", "a.md"), names(dir),
                "the temporary file of an output is removed");
        rerun.writeString("a.md", "again");
        rerun.finish();
        assertEquals("again", Files.readString(dir.resolve("a.md")));
        assertThrows(IOException.class, () -> OutputFolder.claim(dir, "test", TABLES, false));
    }

    @Test
    void writers_of_one_folder_keep_apart() throws IOException {
        OutputFolder tables = OutputFolder.claim(dir, "tables", TABLES, false);
        tables.writeString("a.md", "a");
        tables.finish();
        OutputFolder csv = OutputFolder.claim(dir, "csv", name -> name.endsWith(".csv"), false);
        csv.writeString("a.csv", "1");
        csv.finish();
        IOException e = assertThrows(IOException.class, () -> OutputFolder.claim(dir, "other", TABLES, true));
        assertTrue(e.getMessage().contains("a.md: not written by fineprune other"), e.getMessage());
    }

    @Test
    void a_manifest_that_is_not_one_is_named() throws IOException {
        Path manifest = Files.writeString(dir.resolve(".fineprune-test.json"), "{\"files\": 3");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> OutputFolder.claim(dir, "test", TABLES, false));
        assertTrue(e.getMessage().startsWith(manifest + ": not a fineprune manifest"), e.getMessage());
    }

    @Test
    void a_file_in_the_way_of_the_folder_is_refused() throws IOException {
        Path file = Files.writeString(dir.resolve("out"), "");
        IOException e = assertThrows(IOException.class, () -> OutputFolder.claim(file, "test", TABLES, true));
        assertEquals(file + ": not a folder", e.getMessage());
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
