package org.fineprune.defenses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.Defenses;
import org.fineprune.defenses.api.Settings;
import org.fineprune.defenses.finepruning.FinePruningDefense;
import org.fineprune.defenses.finepruning.MultiLayerFinePruningDefense;
import org.fineprune.defenses.finetuning.FineTuning;
import org.fineprune.defenses.finetuning.FineTuningDefense;
import org.fineprune.defenses.pruning.PruningConfig;
import org.fineprune.defenses.pruning.PruningDefense;
import org.junit.jupiter.api.Test;

/** The defenses of this module as the registry finds them, with today's defaults. */
class DefenseRegistryTest {
    @Test
    void the_four_defenses_are_found_through_meta_inf_services() {
        assertEquals(List.of("fine-pruning", "fine-tuning", "multi-layer-fine-pruning", "pruning"),
                Defenses.all().stream().map(Defense::name).toList());
        assertInstanceOf(PruningDefense.class, Defenses.find("pruning"));
        assertInstanceOf(FineTuningDefense.class, Defenses.find("fine-tuning"));
        assertInstanceOf(FinePruningDefense.class, Defenses.find("fine-pruning"));
        assertInstanceOf(MultiLayerFinePruningDefense.class, Defenses.find("multi-layer-fine-pruning"));
    }

    @Test
    void defaults_are_the_default_drop_the_labs_pruning_and_fine_tunings() {
        PruningConfig lab = PruningConfig.lab();
        Settings finePruning = Defenses.find("fine-pruning").defaults();
        assertEquals(PruningDefense.DEFAULT_DROP, finePruning.number("drop"));
        assertEquals(20, PruningDefense.DEFAULT_DROP);
        assertEquals(lab.batchSize(), finePruning.integer("pruning-batch-size"));
        assertEquals(lab.rule().label(), finePruning.text("rule"));
        assertEquals("", finePruning.text("layer"));
        assertEquals(FineTuning.DEFAULTS.epochs(), finePruning.integer("epochs"));
        assertEquals(FineTuning.DEFAULTS.learningRate(), finePruning.number("learning-rate"));
        assertEquals(FineTuning.DEFAULTS.optimizer(), finePruning.text("optimizer"));
        assertEquals(FineTuning.DEFAULTS.batchSize(), finePruning.integer("batch-size"));
        Settings multi = Defenses.find("multi-layer-fine-pruning").defaults();
        assertEquals(List.of(), multi.texts("layers"), "all convolutions, in one global ranking");
        assertEquals(List.of(), multi.numbers("fractions"));
        assertEquals(PruningDefense.DEFAULT_DROP, multi.number("drop"));
        assertEquals(PruningDefense.DEFAULT_DROP, Defenses.find("pruning").defaults().number("drop"));
        assertEquals(lab.batchSize(), multi.integer("pruning-batch-size"));
        assertEquals(FineTuning.DEFAULTS, FineTuningDefense.tuning(multi, FineTuning.DEFAULTS.seed()).config());
    }

    @Test
    void every_parameter_of_the_four_defenses_is_declared() {
        assertEquals(List.of("layer", "drop", "drop-unit", "rule", "pruning-batch-size", "epochs", "learning-rate", "optimizer",
                "batch-size", "schedule", "weight-decay"), names(Defenses.find("fine-pruning")));
        assertEquals(List.of("layers", "fractions", "drop", "drop-unit", "rule", "pruning-batch-size", "epochs", "learning-rate",
                "optimizer", "batch-size", "schedule", "weight-decay"), names(Defenses.find("multi-layer-fine-pruning")));
        assertEquals(List.of("layer", "drop", "drop-unit", "rule", "pruning-batch-size"), names(Defenses.find("pruning")));
        assertEquals(List.of("epochs", "learning-rate", "optimizer", "batch-size", "schedule", "weight-decay"),
                names(Defenses.find("fine-tuning")));
    }

    @Test
    void a_bad_setting_is_refused_before_any_work_naming_defense_parameter_and_range() {
        Defense pruning = Defenses.find("pruning");
        assertEquals("defense 'pruning' has no parameter 'epochs'; its parameters: layer, drop, drop-unit, rule, "
                + "pruning-batch-size", assertThrows(IllegalArgumentException.class,
                        () -> pruning.settings(Map.of("epochs", 5))).getMessage());
        assertEquals("defense 'fine-pruning': parameter 'learning-rate' takes a number in (0, ∞), got '-1'",
                assertThrows(IllegalArgumentException.class,
                        () -> Defenses.find("fine-pruning").settings(Map.of("learning-rate", "-1"))).getMessage());
        assertEquals("defense 'multi-layer-fine-pruning': parameter 'optimizer' takes one of adam|sgd, got 'rmsprop'",
                assertThrows(IllegalArgumentException.class, () -> Defenses.find("multi-layer-fine-pruning")
                        .settings(Map.of("optimizer", "rmsprop"))).getMessage());
        assertEquals("settings of defense 'fine-tuning' given to defense 'pruning'",
                assertThrows(IllegalArgumentException.class, () -> pruning.apply(null, null,
                        Defenses.find("fine-tuning").defaults(), 1)).getMessage());
    }

    private static List<String> names(Defense defense) {
        return defense.parameters().stream().map(p -> p.name()).toList();
    }
}
