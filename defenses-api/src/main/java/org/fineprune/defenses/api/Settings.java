package org.fineprune.defenses.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A defense's settings, checked against its declared {@link Parameter}s before any work: every
 * parameter has a value of its type within what it allows, given or its default.
 *
 * Made only by {@link #of}, so that every instance has been checked.
 */
public final class Settings {
    private final String defense;
    private final SortedMap<String, Object> values;

    private Settings(String defense, SortedMap<String, Object> values) {
        this.defense = defense;
        this.values = Collections.unmodifiableSortedMap(values);
    }

    /**
     * The settings of {@code defense} with {@code given} values, parsed from strings where need be,
     * and the defaults for the parameters not given.
     *
     * @throws IllegalArgumentException naming the defense, the parameter and what it allows, for a
     *     parameter the defense does not declare or a value of the wrong type or out of range
     */
    public static Settings of(Defense defense, Map<String, ?> given) {
        Map<String, Parameter> declared = new LinkedHashMap<>();
        defense.parameters().forEach(p -> declared.put(p.name(), p));
        for (String name : given.keySet()) {
            if (!declared.containsKey(name)) {
                throw new IllegalArgumentException("defense '" + defense.name() + "' has no parameter '" + name
                        + "'; its parameters: " + String.join(", ", declared.keySet()));
            }
        }
        SortedMap<String, Object> values = new TreeMap<>();
        for (Parameter parameter : declared.values()) {
            try {
                values.put(parameter.name(), given.containsKey(parameter.name())
                        ? parameter.value(given.get(parameter.name()))
                        : parameter.defaultValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("defense '" + defense.name() + "': " + e.getMessage(), e);
            }
        }
        return new Settings(defense.name(), values);
    }

    /** The name of the defense these settings are for. */
    public String defense() {
        return defense;
    }

    /** Every declared parameter's value, by name, sorted. */
    public SortedMap<String, Object> values() {
        return values;
    }

    /**
     * Checks that these settings are {@code defense}'s.
     *
     * @throws IllegalArgumentException if they are another defense's
     */
    public void requireFor(Defense defense) {
        if (!this.defense.equals(defense.name())) {
            throw new IllegalArgumentException("settings of defense '" + this.defense + "' given to defense '"
                    + defense.name() + "'");
        }
    }

    /** The value of the {@link ParameterType#INTEGER} parameter {@code name}. */
    public int integer(String name) {
        return (Integer) get(name);
    }

    /** The value of the {@link ParameterType#NUMBER} parameter {@code name}. */
    public double number(String name) {
        return (Double) get(name);
    }

    /** The value of the {@link ParameterType#TEXT} or {@link ParameterType#CHOICE} parameter {@code name}. */
    public String text(String name) {
        return (String) get(name);
    }

    /** The value of the {@link ParameterType#TEXT_LIST} parameter {@code name}. */
    @SuppressWarnings("unchecked")
    public List<String> texts(String name) {
        return (List<String>) get(name);
    }

    /** The value of the {@link ParameterType#NUMBER_LIST} parameter {@code name}. */
    @SuppressWarnings("unchecked")
    public List<Double> numbers(String name) {
        return (List<Double>) get(name);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Settings s && s.defense.equals(defense) && s.values.equals(values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(defense, values);
    }

    /** The defense and its values, such as {@code pruning{drop=4.0, layer=conv_3}}. */
    @Override
    public String toString() {
        return defense + values;
    }

    private Object get(String name) {
        Object value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("defense '" + defense + "' has no parameter '" + name + "'");
        }
        return value;
    }
}
