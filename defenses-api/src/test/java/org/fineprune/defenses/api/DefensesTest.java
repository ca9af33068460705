package org.fineprune.defenses.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

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
    void a_result_needs_a_model_or_a_detector() {
        assertThrows(IllegalArgumentException.class, () -> new DefenseResult(null, null, java.util.Map.of()));
    }
}
