package org.fineprune.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import org.fineprune.attacks.BadNetAttack;
import org.fineprune.attacks.FashionMnistNetworks;
import org.fineprune.core.Distinct;

/**
 * The axes of a sweep over the Fashion-MNIST BadNet's recipe: its network, its attack and its
 * poisoning rate, each an axis only where values are given. An attack is named as {@link
 * BadNetAttack#byName} reads it, or {@value #PRUNING_AWARE}: the patch trigger trained by the
 * pruning-aware attack of Fine-Pruning. A point's values are pairs of its key ({@code
 * network=wide-cnn}), so a sweep without these axes keeps the keys it had.
 *
 * @param networks networks, each one of {@link FashionMnistNetworks#NAMES}
 * @param attacks attacks
 * @param rates shares of the training images poisoned, each in (0, 1]
 */
public record SubjectAxes(List<String> networks, List<String> attacks, List<Double> rates) {
    /** The network axis's name in a point's key. */
    public static final String NETWORK = "network";
    /** The attack axis's name in a point's key. */
    public static final String ATTACK = "attack";
    /** The poisoning-rate axis's name in a point's key. */
    public static final String RATE = "poisoning-rate";
    /** The attack value for the patch trigger trained by the pruning-aware attack. */
    public static final String PRUNING_AWARE = "pruning-aware";
    /** The axes' names, as they appear in keys. */
    public static final List<String> NAMES = List.of(NETWORK, ATTACK, RATE);
    /** No subject axis. */
    public static final SubjectAxes NONE = new SubjectAxes(List.of(), List.of(), List.of());

    /** Checks every value and copies the lists; attacks are written in lower case. */
    public SubjectAxes {
        networks = List.copyOf(networks);
        networks.forEach(FashionMnistNetworks::byName);
        attacks = attacks.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
        attacks.stream().filter(a -> !a.equals(PRUNING_AWARE)).forEach(BadNetAttack::byName);
        rates = List.copyOf(rates);
        for (double rate : rates) {
            if (!(rate > 0 && rate <= 1)) {
                throw new IllegalArgumentException("the " + RATE + " axis: " + Point.number(rate)
                        + " is not a share in (0, 1]");
            }
        }
        Distinct.require("the " + NETWORK + " axis", networks);
        Distinct.require("the " + ATTACK + " axis", attacks);
        Distinct.require("the " + RATE + " axis", rates);
    }

    /** Whether no axis is given. */
    public boolean isEmpty() {
        return networks.isEmpty() && attacks.isEmpty() && rates.isEmpty();
    }

    /**
     * Every combination of the given axes, network outermost, as the pairs a point's key adds; one
     * empty combination where none is given.
     */
    public List<SortedMap<String, String>> combinations() {
        List<SortedMap<String, String>> combinations = List.of(new TreeMap<>());
        combinations = times(combinations, NETWORK, networks);
        combinations = times(combinations, ATTACK, attacks);
        return times(combinations, RATE, rates.stream().map(Point::number).toList());
    }

    private static List<SortedMap<String, String>> times(List<SortedMap<String, String>> combinations, String axis,
            List<String> values) {
        if (values.isEmpty()) {
            return combinations;
        }
        List<SortedMap<String, String>> more = new ArrayList<>();
        for (SortedMap<String, String> combination : combinations) {
            for (String value : values) {
                SortedMap<String, String> next = new TreeMap<>(combination);
                next.put(axis, value);
                more.add(next);
            }
        }
        return more;
    }
}
