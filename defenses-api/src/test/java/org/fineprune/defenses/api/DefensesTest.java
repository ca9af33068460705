package org.fineprune.defenses.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fineprune.core.FinepruneException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefensesTest {
    @Test
    void a_defense_listed_in_meta_inf_services_is_found_by_name() {
        assertEquals(List.of("echo"), Defenses.all().stream().map(Defense::name).toList());
        assertInstanceOf(EchoDefense.class, Defenses.find("echo"));
    }

    @Test
    void an_unknown_defense_is_refused_naming_the_known_ones() {
        assertEquals("unknown defense 'ehco'; known: echo",
                assertThrows(IllegalArgumentException.class, () -> Defenses.find("ehco")).getMessage());
    }

    @Test
    void a_listed_defense_that_cannot_be_loaded_is_one_line_naming_it(@TempDir Path jar) throws Exception {
        assertEquals("a defense module on the class path is broken: org.fineprune.defenses.api.Defense: Provider"
                + " org.example.Missing not found", withServices(jar, "org.example.Missing").getMessage());
    }

    @Test
    void two_defenses_of_one_name_are_refused_naming_both_classes(@TempDir Path jar) throws Exception {
        assertEquals("two defenses are called 'echo': org.fineprune.defenses.api.EchoDefense and"
                + " org.fineprune.defenses.api.EchoTwin", withServices(jar, EchoTwin.class.getName()).getMessage());
    }

    /** What {@link Defenses#all} throws with a second class-path entry that lists {@code providers}. */
    private static FinepruneException withServices(Path dir, String providers) throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(Defense.class.getName()), providers + "\n");
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, original)) {
            thread.setContextClassLoader(loader);
            return assertThrows(FinepruneException.class, Defenses::all);
        } finally {
            thread.setContextClassLoader(original);
        }
    }

    @Test
    void a_result_needs_a_model_a_detector_or_sample_flags() {
        assertThrows(IllegalArgumentException.class, () -> new DefenseResult(null, null, java.util.Map.of()));
    }
}
