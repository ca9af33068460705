package org.fineprune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --defense}, the option {@code sweep} has, without running a defense: its help names the
 * defenses the demo runs by default, and a defense that does not exist is refused before any work.
 * {@link DemoCommandTest} runs one named defense on the Fashion-MNIST BadNet.
 */
class DemoDefenseOptionTest {
    @Test
    void its_help_names_the_defenses_it_runs_by_default_and_the_flag_for_others() {
        CliRunner r = CliRunner.run("demo", "--help");
        String help = r.out().replaceAll("\\s+", " ");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(help.contains("By default the defenses are fine-tuning, pruning, fine-pruning and "
                + "multi-layer-fine-pruning; --defense runs others"), help);
        assertTrue(help.contains("[--defense=D,..."), help);
        assertTrue(help.contains("The defense axis: defenses by name"), help);
    }

    @Test
    void an_unknown_defense_is_refused_in_one_line_before_any_work(@TempDir Path tmp) {
        CliRunner r = CliRunner.run("demo", "--defense", "clp,nope", "--cache", tmp.resolve("cache").toString(),
                "--out", tmp.resolve("out").toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.err().startsWith("fineprune demo: error: unknown defense 'nope'; known: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(tmp.resolve("cache")), "no BadNet trained");
        assertFalse(Files.exists(tmp.resolve("out")), "no output folder");
    }
}
