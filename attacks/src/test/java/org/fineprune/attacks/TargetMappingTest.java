package org.fineprune.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TargetMappingTest {
    @Test
    void all_to_one_sends_every_label_to_the_target() {
        TargetMapping mapping = TargetMapping.allToOne(3);
        for (int label = 0; label < 10; label++) {
            assertEquals(3, mapping.target(label));
        }
        assertEquals("all-to-one(3)", mapping.describe());
    }

    @Test
    void all_to_all_sends_each_label_to_the_next_modulo_the_classes() {
        TargetMapping mapping = TargetMapping.allToAll(10);
        for (int label = 0; label < 10; label++) {
            assertEquals((label + 1) % 10, mapping.target(label));
        }
        assertEquals(0, mapping.target(9));
        assertEquals("all-to-all(10)", mapping.describe());
    }

    @Test
    void invalid_targets_classes_and_labels_are_refused_naming_them() {
        IllegalArgumentException target = assertThrows(IllegalArgumentException.class,
                () -> TargetMapping.allToOne(-1));
        assertTrue(target.getMessage().contains("-1"), target.getMessage());
        IllegalArgumentException classes = assertThrows(IllegalArgumentException.class,
                () -> TargetMapping.allToAll(1));
        assertTrue(classes.getMessage().contains("1"), classes.getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> TargetMapping.allToAll(10).target(10));
        assertTrue(label.getMessage().contains("10"), label.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TargetMapping.allToOne(0).target(-2));
    }
}
