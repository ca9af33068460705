package org.fineprune.defenses.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParameterTest {
    private static final Parameter DROP = Parameter.number("drop", 20, Range.open(0, 100), "accuracy drop");
    private static final Parameter EPOCHS = Parameter.integer("epochs", 10, Range.atLeast(1), "passes");

    @Test
    void strings_are_parsed_to_the_declared_type() {
        assertEquals(4.0, DROP.value("4"));
        assertEquals(4.0, DROP.value(4));
        assertEquals(3, EPOCHS.value(" 3 "));
        assertEquals(List.of("conv_1", "conv_2"),
                Parameter.texts("layers", List.of(), "layers").value("conv_1, conv_2"));
        assertEquals(List.of(0.5, 1.0),
                Parameter.numbers("fractions", List.of(), Range.openClosed(0, 1), "shares").value("0.5,1"));
        assertEquals("sgd", Parameter.choice("optimizer", "adam", List.of("adam", "sgd"), "opt").value("sgd"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "0; parameter 'drop' takes a number in (0, 100), got '0'",
        "100; parameter 'drop' takes a number in (0, 100), got '100'",
        "NaN; parameter 'drop' takes a number in (0, 100), got 'NaN'",
        "four; parameter 'drop' takes a number, got 'four'"})
    void a_number_outside_its_range_or_not_a_number_is_refused(String given, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> DROP.value(given)).getMessage());
    }

    @Test
    void values_of_another_type_are_refused_naming_what_is_allowed() {
        assertEquals("parameter 'epochs' takes an integer, got '2.5'",
                assertThrows(IllegalArgumentException.class, () -> EPOCHS.value("2.5")).getMessage());
        assertEquals("parameter 'epochs' takes an integer, got 2.5",
                assertThrows(IllegalArgumentException.class, () -> EPOCHS.value(2.5)).getMessage());
        assertEquals("parameter 'epochs' takes an integer in [1, ∞), got 0",
                assertThrows(IllegalArgumentException.class, () -> EPOCHS.value(0)).getMessage());
        assertEquals("parameter 'optimizer' takes one of adam|sgd, got 'rmsprop'",
                assertThrows(IllegalArgumentException.class,
                        () -> Parameter.choice("optimizer", "adam", List.of("adam", "sgd"), "opt").value("rmsprop"))
                        .getMessage());
        assertEquals("parameter 'fractions' takes a number in (0, 1], got '1.5'",
                assertThrows(IllegalArgumentException.class,
                        () -> Parameter.numbers("fractions", List.of(), Range.openClosed(0, 1), "s").value("0.5,1.5"))
                        .getMessage());
        assertEquals("parameter 'layer' takes text, got 3",
                assertThrows(IllegalArgumentException.class,
                        () -> Parameter.text("layer", "", "l").value(3)).getMessage());
    }

    @Test
    void a_declaration_whose_default_it_does_not_allow_is_refused() {
        assertEquals("parameter 'drop' takes a number in (0, 100), got 200.0",
                assertThrows(IllegalArgumentException.class,
                        () -> Parameter.number("drop", 200, Range.open(0, 100), "drop")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Parameter.text("Batch_Size", "", "bad name"));
        assertThrows(IllegalArgumentException.class, () -> Parameter.text("layer", "", "two\nlines"));
        assertEquals("parameter 'rule': a choice parameter needs its choices, and only a choice parameter has them",
                assertThrows(IllegalArgumentException.class,
                        () -> Parameter.choice("rule", "first-over", List.of(), "rule")).getMessage());
    }

    @Test
    void allowed_values_are_shown_as_listings_show_them() {
        assertEquals("(0, 100)", DROP.allowed());
        assertEquals("[1, ∞)", EPOCHS.allowed());
        assertEquals("(0, 0.5]", Range.openClosed(0, 0.5).toString());
        assertEquals("adam|sgd", Parameter.choice("optimizer", "adam", List.of("adam", "sgd"), "o").allowed());
        assertEquals("", Parameter.text("layer", "", "l").allowed());
    }
}
