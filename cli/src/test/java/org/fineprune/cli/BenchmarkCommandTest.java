package org.fineprune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code fineprune benchmark} reports a throughput per engine; the figures themselves are not checked here. */
@Tag("real-data")
class BenchmarkCommandTest {
    @Test
    void reports_one_json_line_per_engine() throws Exception {
        CliRunner r = CliRunner.run("benchmark", "--model", EvaluateCommandTest.model(), "--device", "cpu",
                "--batch", "8", "--batches", "2", "--rounds", "3", "--json");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        for (int i = 0; i < 2; i++) {
            JsonNode row = new ObjectMapper().readTree(lines.get(i));
            assertEquals(List.of("PyTorch", "MXNet").get(i), row.get("engine").asText());
            assertEquals(8, row.get("batch").asInt());
            double min = row.get("images_per_second_min").asDouble();
            double median = row.get("images_per_second_median").asDouble();
            assertTrue(min > 0 && min <= median && median <= row.get("images_per_second_max").asDouble(), lines.get(i));
        }
    }

    @Test
    void rejects_a_non_positive_batch() {
        CliRunner r = CliRunner.run("benchmark", "--model", EvaluateCommandTest.model(), "--batch", "0");
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.err().contains("must be positive"), r.err());
    }

    @Test
    void rejects_a_batch_whose_pixels_overflow_an_array() {
        CliRunner r = CliRunner.run("benchmark", "--model", EvaluateCommandTest.model(), "--batch", "2000000000");
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertEquals("fineprune benchmark: error: --batch must be at most " + Integer.MAX_VALUE / 7755
                + " images of 3x55x47 (the pixels of a batch are one Java array), got 2000000000", r.err().strip());
    }
}
