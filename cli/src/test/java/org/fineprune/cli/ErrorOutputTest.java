package org.fineprune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fineprune.core.AtomicFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Errors are one line; {@code -v} on any command adds the stack trace. */
class ErrorOutputTest {
    @Test
    void a_subcommand_error_is_one_line_without_v_and_a_stack_trace_with_it(@TempDir Path tmp) {
        String model = tmp.resolve("missing.h5").toString();
        String clean = tmp.resolve("clean.h5").toString();
        CliRunner plain = CliRunner.run("evaluate", "--model", model, "--clean", clean);
        assertEquals(FinepruneCli.INPUT_ERROR, plain.exitCode());
        assertEquals(1, plain.err().strip().lines().count(), plain.err());

        CliRunner verbose = CliRunner.run("evaluate", "-v", "--model", model, "--clean", clean);
        assertEquals(FinepruneCli.INPUT_ERROR, verbose.exitCode());
        assertTrue(verbose.err().startsWith(plain.err().strip()), verbose.err());
        assertTrue(verbose.err().contains("\tat "), "stack trace expected: " + verbose.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"report", "reproduce"})
    void commands_without_a_model_take_v_as_well(String command, @TempDir Path tmp) {
        CliRunner r = CliRunner.run(command, "-v", tmp.resolve("absent").toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode(), r.err());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--model", "--file", "--scale"})
    void a_sweep_option_given_twice_is_named_in_one_line(String option) {
        List<String> args = new ArrayList<>(List.of("sweep", option, "1", option, "2"));
        if (!option.equals("--file")) {
            args.addAll(List.of("--model", "m.h5", "--data", "d").subList(option.equals("--model") ? 2 : 0, 4));
            args.addAll(List.of("--defense", "pruning"));
        }
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(2, r.exitCode(), r.err());
        assertEquals("option " + option + " given more than once", r.err().lines().findFirst().orElseThrow());
    }

    @Test
    void a_sweep_that_fails_validation_creates_no_folder(@TempDir Path tmp) {
        Path out = tmp.resolve("runs/never");
        CliRunner r = CliRunner.run("sweep", "--defense", "pruning", "--model", tmp.resolve("missing.h5").toString(), "--data",
                tmp.toString(), "--out", out.toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertEquals("fineprune sweep: error: " + tmp.resolve("missing.h5") + ": no such file", r.err().strip());
        assertFalse(Files.exists(tmp.resolve("runs")), "created " + out);
    }

    @Test
    void a_full_disk_names_the_file() {
        IOException cause = new IOException("No space left on device");
        FileSystemException failed = new FileSystemException("out/report.md", null, "Exception writing");
        failed.initCause(cause);
        assertEquals("out/report.md: no space left on device", OneLineErrors.message(failed));
        assertFalse(OneLineErrors.message(new FileSystemException("x", null, "busy")).contains("space"));
    }

    @Test
    void a_write_that_runs_out_of_disk_is_one_line_naming_the_file(@TempDir Path tmp) {
        Path target = tmp.resolve("report.md");
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(target, file -> {
            throw new UncheckedIOException(new IOException("No space left on device"));
        }));
        assertEquals(target + ": no space left on device", OneLineErrors.message(e));
    }
}
