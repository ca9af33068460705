package org.fineprune.experiments;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.Distinct;
import org.fineprune.core.Engines;
import org.fineprune.core.ModelOptions;

/**
 * The axes of a sweep, as JMH's {@code @Param} lists: an axis per defense parameter, plus the engine
 * seed and protocol axes (the defense axis is the experiment's list of defenses) and, for the
 * Fashion-MNIST BadNet, the axes of its recipe ({@link SubjectAxes}). Every combination is one point;
 * a parameter axis applies to the defenses that declare it. Engines default to PyTorch, seeds to 1
 * and protocols to {@code lab}.
 *
 * <pre>{@code
 * Sweep.over("drop", 2, 4, 10, 30).and("layer", "conv_3", "conv_4").engines("PyTorch", "MXNet").seeds(1, 2, 3)
 * Sweep.none().networks("wide-cnn", "small-cnn").attacks("patch", "blend", "pruning-aware").seeds(1, 2, 3)
 * }</pre>
 *
 * @param parameters each parameter's values, in the order given
 * @param engines DJL engines
 * @param seeds the seeds handed to the defense (and, for Fashion-MNIST, to the BadNet's training)
 * @param protocols how the defender's clean images are used ({@link Protocol}), names distinct
 * @param subjects the network, attack and poisoning-rate axes of the Fashion-MNIST BadNet
 */
public record Sweep(Map<String, List<Object>> parameters, List<String> engines, List<Long> seeds,
        List<Protocol> protocols, SubjectAxes subjects) {
    /** Validates the axes and copies them. */
    public Sweep {
        Map<String, List<Object>> copy = new LinkedHashMap<>();
        parameters.forEach((name, values) -> {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("the " + name + " axis has no values");
            }
            values.forEach(v -> Point.requireAxisValue(name, v));
            Distinct.require("the " + name + " axis", values.stream().map(Point::axisValue).toList());
            copy.put(name, List.copyOf(values));
        });
        parameters = Collections.unmodifiableMap(copy);
        engines = List.copyOf(engines.isEmpty() ? List.of(ModelOptions.DEFAULT_ENGINE) : engines).stream()
                .map(Sweep::canonicalEngine).toList();
        seeds = List.copyOf(seeds.isEmpty() ? List.of(1L) : seeds);
        Distinct.require("the engines axis", engines);
        Distinct.require("the seeds axis", seeds);
        protocols = List.copyOf(protocols == null || protocols.isEmpty() ? List.of(Protocol.lab()) : protocols);
        Distinct.require("the protocols axis", protocols.stream().map(Protocol::name).toList());
        subjects = subjects == null ? SubjectAxes.NONE : subjects;
    }

    /** Axes under the lab protocol, without subject axes. */
    public Sweep(Map<String, List<Object>> parameters, List<String> engines, List<Long> seeds) {
        this(parameters, engines, seeds, List.of(), SubjectAxes.NONE);
    }

    private static String canonicalEngine(String name) {
        return Engines.SUPPORTED.stream().filter(e -> e.equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown engine '" + name + "'; engines: "
                        + Engines.SUPPORTED));
    }

    /** No axes: each defense once with its settings, on PyTorch, seed 1. */
    public static Sweep none() {
        return new Sweep(Map.of(), List.of(), List.of());
    }

    /** A sweep over the values of one parameter. */
    public static Sweep over(String parameter, Object... values) {
        return none().and(parameter, values);
    }

    /** A copy with one more parameter axis (or this parameter's values replaced). */
    public Sweep and(String parameter, Object... values) {
        Map<String, List<Object>> more = new LinkedHashMap<>(parameters);
        more.put(parameter, Arrays.asList(values));
        return new Sweep(more, engines, seeds, protocols, subjects);
    }

    /** A copy over these engines. */
    public Sweep engines(String... names) {
        return new Sweep(parameters, List.of(names), seeds, protocols, subjects);
    }

    /** A copy over these seeds. */
    public Sweep seeds(long... values) {
        return new Sweep(parameters, engines, Arrays.stream(values).boxed().toList(), protocols, subjects);
    }

    /** A copy over these protocols, by name ({@code strict} holding out its default share). */
    public Sweep protocols(String... names) {
        return protocols(Arrays.stream(names).map(Protocol::named).toArray(Protocol[]::new));
    }

    /** A copy over these protocols. */
    public Sweep protocols(Protocol... values) {
        return new Sweep(parameters, engines, seeds, List.of(values), subjects);
    }

    /** A copy over these networks of the Fashion-MNIST BadNet. */
    public Sweep networks(String... names) {
        return new Sweep(parameters, engines, seeds, protocols, new SubjectAxes(List.of(names), subjects.attacks(),
                subjects.rates()));
    }

    /** A copy over these attacks on the Fashion-MNIST BadNet ({@value SubjectAxes#PRUNING_AWARE} among them). */
    public Sweep attacks(String... names) {
        return new Sweep(parameters, engines, seeds, protocols, new SubjectAxes(subjects.networks(), List.of(names),
                subjects.rates()));
    }

    /** A copy over these poisoning rates of the Fashion-MNIST BadNet. */
    public Sweep rates(double... values) {
        return new Sweep(parameters, engines, seeds, protocols, new SubjectAxes(subjects.networks(), subjects.attacks(),
                Arrays.stream(values).boxed().toList()));
    }
}
