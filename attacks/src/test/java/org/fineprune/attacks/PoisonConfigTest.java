package org.fineprune.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PoisonConfigTest {
    private static PoisonConfig badNets() {
        return new PoisonConfig(PatternTrigger.defaultCheckerboard(), TargetMapping.allToOne(0),
                0.1, 42, true);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 1.5, Double.NaN, -0.1, Double.POSITIVE_INFINITY})
    void a_rate_outside_0_1_is_refused_naming_it(double rate) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PoisonConfig(PatternTrigger.defaultCheckerboard(),
                        TargetMapping.allToOne(0), rate, 1, false));
        assertTrue(e.getMessage().contains("got " + rate), e.getMessage());
    }

    @Test
    void a_rate_of_1_is_allowed() {
        assertEquals(1.0, new PoisonConfig(PatternTrigger.defaultCheckerboard(),
                TargetMapping.allToOne(0), 1, 1, false).rate());
    }

    @Test
    void excluding_the_target_needs_an_all_to_one_mapping() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PoisonConfig(PatternTrigger.defaultCheckerboard(),
                        TargetMapping.allToAll(10), 0.1, 1, true));
        assertTrue(e.getMessage().contains("all-to-all(10)"), e.getMessage());
    }

    /** Values checked against an independent computation (Python's struct and hashlib). */
    @Test
    void the_canonical_text_names_every_setting() {
        assertEquals("fineprune-poison/1; trigger=pattern(1x4x4 at row -5, col -5, values sha256:"
                + "79f7e9feb0372f0a38391c387008aaeb05e19b569fd69cf176b7937b5abdf544)"
                + "; mapping=all-to-one(0); rate=0.1; seed=42; excludeTarget=true",
                badNets().canonical());
    }

    /**
     * The hash must not change between runs, JVMs or versions, or cached models are lost; the
     * expected value was computed independently (Python's hashlib).
     */
    @Test
    void the_hash_is_stable_across_runs() {
        assertEquals("9274b6a26814b966ff2488970f3546fd42b8eaf135d2d1eb89c9591d7fa2e0bd", badNets().hash());
        assertEquals(badNets().hash(), badNets().hash());
    }

    @Test
    void every_setting_changes_the_hash() {
        PoisonConfig base = badNets();
        List<PoisonConfig> configs = List.of(base,
                new PoisonConfig(PatternTrigger.checkerboard(4, Corner.BOTTOM_RIGHT, 0),
                        TargetMapping.allToOne(0), 0.1, 42, true),
                new PoisonConfig(base.trigger(), TargetMapping.allToOne(1), 0.1, 42, true),
                new PoisonConfig(base.trigger(), TargetMapping.allToAll(10), 0.1, 42, false),
                new PoisonConfig(base.trigger(), TargetMapping.allToOne(0), 0.2, 42, true),
                new PoisonConfig(base.trigger(), TargetMapping.allToOne(0), 0.1, 43, true),
                new PoisonConfig(base.trigger(), TargetMapping.allToOne(0), 0.1, 42, false));
        Set<String> hashes = new HashSet<>();
        for (PoisonConfig config : configs) {
            assertTrue(config.hash().matches("[0-9a-f]{64}"), config.hash());
            hashes.add(config.hash());
        }
        assertEquals(configs.size(), hashes.size());
    }
}
