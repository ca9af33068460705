package org.fineprune.defenses.finetuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.fineprune.core.TrainingConfig;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.Defenses;
import org.fineprune.defenses.api.Parameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The schedule and weight decay of fine-tuning, as the defenses that fine-tune declare and pass them on. */
class FineTuningScheduleSettingsTest {
    @ParameterizedTest
    @ValueSource(strings = {"fine-tuning", "fine-pruning", "multi-layer-fine-pruning"})
    void by_default_the_rate_is_constant_without_decay_as_before(String name) {
        Defense defense = Defenses.find(name);
        assertEquals(FineTuning.DEFAULTS.withSeed(3), FineTuningDefense.tuning(defense.defaults(), 3).config());
        assertEquals("constant", FineTuning.DEFAULTS.schedule());
        assertEquals(0, FineTuning.DEFAULTS.weightDecay());
    }

    @ParameterizedTest
    @ValueSource(strings = {"fine-tuning", "fine-pruning", "multi-layer-fine-pruning"})
    void backdoorbenchs_fine_tuning_is_one_set_of_settings(String name) {
        Defense defense = Defenses.find(name);
        TrainingConfig config = FineTuningDefense.tuning(defense.settings(Map.of("epochs", 100, "optimizer", "sgd",
                "learning-rate", 0.01, "weight-decay", 5e-4, "schedule", "cosine")), 3).config();
        assertEquals(new TrainingConfig(100, 64, 0.01, 3, "PyTorch", "sgd", "cosine", 5e-4), config);
    }

    @ParameterizedTest
    @ValueSource(strings = {"schedule=step", "weight-decay=-0.1"})
    void a_bad_schedule_or_decay_is_refused_before_any_work(String setting) {
        String[] kv = setting.split("=");
        Defense defense = Defenses.find("fine-tuning");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> defense.settings(Map.of(kv[0], kv[1])));
        Parameter parameter = defense.parameters().stream().filter(p -> p.name().equals(kv[0])).findFirst().orElseThrow();
        assertTrue(e.getMessage().startsWith("defense 'fine-tuning': parameter '" + kv[0] + "' takes"), e.getMessage());
        assertTrue(e.getMessage().contains(parameter.allowed()), e.getMessage());
    }
}
