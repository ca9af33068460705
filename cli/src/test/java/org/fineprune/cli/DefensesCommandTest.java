package org.fineprune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefensesCommandTest {
    @Test
    void lists_every_defense_found_with_its_parameters_as_tables() {
        CliRunner run = CliRunner.run("defenses");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("fine-pruning: Prunes one convolution as pruning does, then fine-tunes"),
                run.out());
        assertTrue(run.out().contains("multi-layer-fine-pruning: "), run.out());
        assertTrue(run.out().contains("fine-tuning: "), run.out());
        assertTrue(run.out().contains("pruning: "), run.out());
        List<String> lines = run.out().lines().toList();
        String pruningHeader = lines.get(lines.indexOf(lines.stream().filter(l -> l.startsWith("pruning: "))
                .findFirst().orElseThrow()) + 1);
        assertEquals("  parameter           type     default     allowed                help", pruningHeader);
        assertTrue(lines.contains("  drop                number   20          (0, 100)               "
                + "stop at this drop in validation accuracy, in percentage points"), run.out());
        assertTrue(lines.contains("  rule                choice   first-over  first-over|last-under  "
                + "keep the first model over the drop, or the last one under it"), run.out());
        assertTrue(run.out().contains("  learning-rate       number       0.001       (0, ∞)"), run.out());
        assertTrue(run.out().contains("  fractions           number list  -           (0, 1]"), run.out());
    }

    @Test
    void a_broken_defense_module_is_one_line_and_exit_code_1(@TempDir Path dir) throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve("org.fineprune.defenses.api.Defense"), "org.example.Missing\n");
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        CliRunner run;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, original)) {
            thread.setContextClassLoader(loader);
            run = CliRunner.run("defenses");
        } finally {
            thread.setContextClassLoader(original);
        }
        assertEquals(1, run.exitCode());
        assertEquals("fineprune defenses: error: a defense module on the class path is broken:"
                + " org.fineprune.defenses.api.Defense: Provider org.example.Missing not found\n", run.err());
    }

    @Test
    void json_gives_name_type_default_allowed_and_help_of_every_parameter() throws Exception {
        CliRunner run = CliRunner.run("defenses", "--json");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(1, run.out().lines().count());
        JsonNode defenses = new ObjectMapper().readTree(run.out()).get("defenses");
        List<String> names = new ArrayList<>();
        defenses.forEach(d -> names.add(d.get("name").asText()));
        // Every defense module on the class path is listed, sorted by name; the built-in ones among them.
        assertEquals(names.stream().sorted().toList(), names);
        assertTrue(names.containsAll(List.of("fine-pruning", "fine-tuning", "multi-layer-fine-pruning", "pruning")),
                names.toString());
        JsonNode drop = defenses.get(names.indexOf("fine-pruning")).get("parameters").get(1);
        assertEquals("{\"allowed\":\"(0, 100)\",\"default\":20.0,\"help\":\"stop at this drop in validation accuracy,"
                + " in percentage points\",\"name\":\"drop\",\"type\":\"number\"}", drop.toString());
        assertEquals("[]", defenses.get(names.indexOf("multi-layer-fine-pruning")).get("parameters").get(0).get("default").toString());
    }
}
