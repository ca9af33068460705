package org.fineprune.defenses.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A setting a {@link Defense} declares: its name, the type of its values, its default, what it
 * allows and a one-line help. The factories ({@link #integer}, {@link #number}, ...) check the
 * default against the rest.
 *
 * @param name the name, lower case with dashes ({@code learning-rate})
 * @param type the kind of value
 * @param defaultValue the value when none is given, of {@code type}'s Java type
 * @param range the numbers allowed, for {@link ParameterType#INTEGER}, {@link ParameterType#NUMBER}
 *     and each element of a {@link ParameterType#NUMBER_LIST}; {@link Range#ANY} for the others
 * @param choices the strings allowed, for {@link ParameterType#CHOICE}; empty for the others
 * @param help one line saying what the parameter does
 */
public record Parameter(String name, ParameterType type, Object defaultValue, Range range, List<String> choices,
        String help) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    /** Validates the declaration, its default included. */
    public Parameter {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("parameter name '" + name + "' is not lower case words joined by dashes");
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(range, "range");
        choices = List.copyOf(choices);
        if ((type == ParameterType.CHOICE) == choices.isEmpty()) {
            throw new IllegalArgumentException("parameter '" + name
                    + "': a choice parameter needs its choices, and only a choice parameter has them");
        }
        if (help == null || help.isBlank() || help.contains("\n")) {
            throw new IllegalArgumentException("parameter '" + name + "' needs a one-line help");
        }
        defaultValue = new Rules(name, type, range, choices).value(defaultValue);
    }

    /** A whole number in {@code range}. */
    public static Parameter integer(String name, int defaultValue, Range range, String help) {
        return new Parameter(name, ParameterType.INTEGER, defaultValue, range, List.of(), help);
    }

    /** A number in {@code range}. */
    public static Parameter number(String name, double defaultValue, Range range, String help) {
        return new Parameter(name, ParameterType.NUMBER, defaultValue, range, List.of(), help);
    }

    /** A string; an empty default usually means "chosen from the network". */
    public static Parameter text(String name, String defaultValue, String help) {
        return new Parameter(name, ParameterType.TEXT, defaultValue, Range.ANY, List.of(), help);
    }

    /** One of {@code choices}. */
    public static Parameter choice(String name, String defaultValue, List<String> choices, String help) {
        return new Parameter(name, ParameterType.CHOICE, defaultValue, Range.ANY, choices, help);
    }

    /** A list of strings. */
    public static Parameter texts(String name, List<String> defaultValue, String help) {
        return new Parameter(name, ParameterType.TEXT_LIST, defaultValue, Range.ANY, List.of(), help);
    }

    /** A list of numbers, each in {@code range}. */
    public static Parameter numbers(String name, List<Double> defaultValue, Range range, String help) {
        return new Parameter(name, ParameterType.NUMBER_LIST, defaultValue, range, List.of(), help);
    }

    /** What the parameter allows, for listings and messages: {@code (0, 100)}, {@code adam|sgd}, or empty. */
    public String allowed() {
        return switch (type) {
            case INTEGER, NUMBER, NUMBER_LIST -> range.equals(Range.ANY) ? "" : range.toString();
            case CHOICE -> String.join("|", choices);
            case TEXT, TEXT_LIST -> "";
        };
    }

    /**
     * {@code given} as this parameter's value: an {@link Integer}, {@link Double}, {@link String} or
     * list of the declared type; a string (as on a command line, lists comma-separated) is parsed.
     *
     * @throws IllegalArgumentException naming the parameter and what it allows, if {@code given} is
     *     of another type or outside what is allowed
     */
    public Object value(Object given) {
        return new Rules(name, type, range, choices).value(given);
    }

    /** The checks and conversions of a declaration, apart from its default. */
    private record Rules(String name, ParameterType type, Range range, List<String> choices) {
        Object value(Object given) {
            if (given == null) {
                throw refused("no value", given);
            }
            return switch (type) {
                case INTEGER -> inRange(integerOf(given), given);
                case NUMBER -> inRange(numberOf(given), given);
                case TEXT -> textOf(given);
                case CHOICE -> choiceOf(given);
                case TEXT_LIST -> listOf(given).stream().map(this::textOf).toList();
                case NUMBER_LIST -> listOf(given).stream().map(e -> inRange(numberOf(e), e)).toList();
            };
        }

        private int integerOf(Object given) {
            if (given instanceof Integer i) {
                return i;
            }
            if (given instanceof Long || given instanceof Short || given instanceof Byte) {
                long l = ((Number) given).longValue();
                if (l == (int) l) {
                    return (int) l;
                }
            }
            if (given instanceof String s) {
                try {
                    return Integer.parseInt(s.strip());
                } catch (NumberFormatException e) {
                    // refused below
                }
            }
            throw refused("an integer", given);
        }

        private double numberOf(Object given) {
            if (given instanceof Double || given instanceof Float || given instanceof Integer || given instanceof Long
                    || given instanceof Short || given instanceof Byte) {
                return ((Number) given).doubleValue();
            }
            if (given instanceof String s) {
                try {
                    return Double.parseDouble(s.strip());
                } catch (NumberFormatException e) {
                    // refused below
                }
            }
            throw refused("a number", given);
        }

        private String textOf(Object given) {
            if (given instanceof String s) {
                return s.strip();
            }
            throw refused("text", given);
        }

        private String choiceOf(Object given) {
            if (given instanceof String s && choices.contains(s.strip())) {
                return s.strip();
            }
            throw refused("one of " + String.join("|", choices), given);
        }

        private List<?> listOf(Object given) {
            if (given instanceof List<?> list) {
                return list;
            }
            if (given instanceof String s) {
                List<String> parts = new ArrayList<>();
                for (String part : s.split(",", -1)) {
                    if (!part.isBlank()) {
                        parts.add(part.strip());
                    }
                }
                return parts;
            }
            if (given instanceof Object[] array) {
                return Arrays.asList(array);
            }
            throw refused("a " + type.label(), given);
        }

        private <N extends Number> N inRange(N value, Object given) {
            if (!range.contains(value.doubleValue())) {
                throw refused((type == ParameterType.INTEGER ? "an integer" : "a number") + " in " + range, given);
            }
            return value;
        }

        private IllegalArgumentException refused(String allowed, Object given) {
            String shown = given instanceof String ? "'" + given + "'" : String.valueOf(given);
            return new IllegalArgumentException("parameter '" + name + "' takes " + allowed + ", got " + shown);
        }
    }
}
