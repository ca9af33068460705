package org.fineprune.defenses.api;

/** The kinds of value a {@link Parameter} takes. */
public enum ParameterType {
    /** A whole number ({@link Integer}). */
    INTEGER("integer"),
    /** A number ({@link Double}). */
    NUMBER("number"),
    /** A string ({@link String}), such as a layer name. */
    TEXT("text"),
    /** One of a fixed set of strings. */
    CHOICE("choice"),
    /** A list of strings ({@code List<String>}), such as layer names. */
    TEXT_LIST("text list"),
    /** A list of numbers ({@code List<Double>}). */
    NUMBER_LIST("number list");

    private final String label;

    ParameterType(String label) {
        this.label = label;
    }

    /** The name shown in listings and messages. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
