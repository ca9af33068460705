package org.fineprune.defenses.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
    private final Defense echo = new EchoDefense();

    @Test
    void parameters_not_given_take_their_defaults() {
        Settings settings = echo.settings(Map.of("drop", "4", "layers", "conv_1,conv_2"));
        assertEquals(4.0, settings.number("drop"));
        assertEquals(10, settings.integer("epochs"));
        assertEquals("adam", settings.text("optimizer"));
        assertEquals("", settings.text("layer"));
        assertEquals(List.of("conv_1", "conv_2"), settings.texts("layers"));
        assertEquals(List.of(), settings.numbers("fractions"));
        assertEquals(List.of("drop", "epochs", "fractions", "layer", "layers", "optimizer"),
                List.copyOf(settings.values().keySet()));
        assertEquals(echo.defaults(), echo.settings(Map.of("drop", 20.0)));
    }

    @Test
    void an_undeclared_parameter_is_refused_naming_the_defense_and_its_parameters() {
        assertEquals("defense 'echo' has no parameter 'dorp'; its parameters: drop, epochs, optimizer, layer, layers,"
                + " fractions", assertThrows(IllegalArgumentException.class,
                        () -> echo.settings(Map.of("dorp", 4))).getMessage());
    }

    @Test
    void a_value_out_of_range_is_refused_naming_the_defense_the_parameter_and_the_range() {
        assertEquals("defense 'echo': parameter 'drop' takes a number in (0, 100), got 150",
                assertThrows(IllegalArgumentException.class, () -> echo.settings(Map.of("drop", 150))).getMessage());
        assertEquals("defense 'echo': parameter 'epochs' takes an integer, got 'ten'",
                assertThrows(IllegalArgumentException.class, () -> echo.settings(Map.of("epochs", "ten")))
                        .getMessage());
    }

    @Test
    void settings_of_one_defense_are_refused_by_another() {
        Defense other = new EchoDefense() {
            @Override
            public String name() {
                return "other";
            }
        };
        Settings settings = other.defaults();
        assertEquals("settings of defense 'other' given to defense 'echo'",
                assertThrows(IllegalArgumentException.class, () -> settings.requireFor(echo)).getMessage());
    }
}
