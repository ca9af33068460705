package org.fineprune.defenses.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleFlagsTest {
    @Test
    void counts_flags_and_keeps_copies() {
        boolean[] flagged = {true, false, true};
        SampleFlags flags = new SampleFlags(flagged, new double[] {3, 1, 2});
        flagged[1] = true;
        assertEquals(2, flags.flaggedCount());
        assertEquals(3, flags.size());
        flags.scores()[0] = 0;
        assertArrayEquals(new double[] {3, 1, 2}, flags.scores());
    }

    @Test
    void refuses_a_score_per_sample_missing_or_not_finite() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new SampleFlags(new boolean[2], new double[3]));
        assertEquals("2 flags but 3 scores", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SampleFlags(new boolean[1], new double[] {Double.NaN}));
    }

    @Test
    void a_result_of_sample_flags_alone_is_a_result() {
        try (DefenseResult result = DefenseResult.ofSampleFlags(new SampleFlags(new boolean[1], new double[1]),
                Map.of("flagged", 0))) {
            assertTrue(result.trainingFlags().isPresent());
            assertTrue(result.repairedModel().isEmpty());
        }
        assertThrows(IllegalArgumentException.class, () -> new DefenseResult(null, null, Map.of(), java.util.List.of(), null));
    }
}
