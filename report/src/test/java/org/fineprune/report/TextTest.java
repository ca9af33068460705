package org.fineprune.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.fineprune.experiments.Point;
import org.junit.jupiter.api.Test;

class TextTest {
    @Test
    void natural_order_compares_digit_runs_as_numbers() {
        assertEquals(List.of("conv_2", "conv_3", "conv_10", "fc_1"),
                Stream.of("conv_10", "fc_1", "conv_3", "conv_2").sorted(Text.NATURAL).toList());
        assertEquals(List.of("2", "4", "10", "12.5"), Stream.of("10", "12.5", "4", "2").sorted(Text.NATURAL).toList());
    }

    @Test
    void numbers_are_written_without_a_trailing_zero_in_any_locale() {
        assertEquals("2", Point.number(2.0));
        assertEquals("2.5", Point.number(2.5));
        assertEquals("0", Point.number(-0.0));
        assertEquals("93.8750", Text.fixed(93.875, 4));
        assertEquals("", Text.fixed(Double.NaN, 4));
    }

    @Test
    void csv_fields_with_commas_or_quotes_are_quoted() {
        assertEquals("conv_3", Text.csv("conv_3"));
        assertEquals("\"a,b\"", Text.csv("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Text.csv("say \"hi\""));
    }

    @Test
    void file_names_keep_only_safe_characters() {
        assertEquals("conv_3", Text.fileName("conv_3"));
        assertEquals("block_1_conv", Text.fileName("block/1 conv"));
        assertEquals("_..", Text.fileName(".."));
    }
}
