package org.fineprune.experiments;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import org.fineprune.core.ImageSource;
import org.fineprune.core.ImageSubset;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.pruning.PruningDefense;
import org.fineprune.defenses.pruning.SelectionRule;

/**
 * How a point hands the defender's clean images to a defense, a setting of the experiment, not of
 * a defense:
 *
 * <ul>
 *   <li>{@code lab} (the default): the one clean set for everything, learning, ranking and every
 *       stopping rule, as the CSAW-HackML lab does;
 *   <li>{@code strict}: the clean images split, drawn with the point's seed, into the part a defense
 *       learns and ranks on and a held-out selection part ({@code selectionShare} of them, 20% by
 *       default) that every stopping rule, threshold and reported validation accuracy uses;
 *   <li>{@code backdoorbench}: BackdoorBench's protocol as far as it uses defender data only
 *       (Wu et al., NeurIPS 2022 Datasets and Benchmarks): 5% of the data set's training images as
 *       clean data (for Fashion-MNIST, 3,000 of 60,000, drawn with the point's seed from the
 *       defender's 6,000 held-out images), the same images for learning and selection, and, for
 *       the defenses that stop on an accuracy drop (the pruning defenses, ANP), the stopping rule
 *       of its fine-pruning: the last model less than 10% below the BadNet's accuracy ({@code
 *       drop=10, drop-unit=relative, rule=last-under}, unless the experiment sets them).
 *       BackdoorBench measures that accuracy on the clean test set; here it is measured on the
 *       defender's clean images, which is all a defender has.
 * </ul>
 *
 * @param name {@code lab}, {@code strict} or {@code backdoorbench}
 * @param selectionShare under {@code strict}, the share of the clean images held out for
 *     selection, in (0, 1); {@code null} under the others
 */
@JsonPropertyOrder(alphabetic = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Protocol(String name, @JsonProperty("selection_share") Double selectionShare) {
    /** The lab's protocol. */
    public static final String LAB = "lab";
    /** A held-out selection set. */
    public static final String STRICT = "strict";
    /** BackdoorBench's protocol on defender data. */
    public static final String BACKDOORBENCH = "backdoorbench";
    /** The protocols, by name. */
    public static final List<String> NAMES = List.of(LAB, STRICT, BACKDOORBENCH);
    /** The share of the clean images {@code strict} holds out by default. */
    public static final double DEFAULT_SELECTION_SHARE = 0.2;
    /** BackdoorBench's clean data: this share of the data set's training images. */
    public static final double BACKDOORBENCH_CLEAN_SHARE = 0.05;
    /** BackdoorBench's stopping rule: this percent of the BadNet's accuracy lost. */
    public static final double BACKDOORBENCH_RELATIVE_DROP = 10;

    /** Checks the name and that a selection share comes with {@code strict} alone, in (0, 1). */
    public Protocol {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown protocol '" + name + "'; protocols: " + String.join(", ", NAMES));
        }
        if (name.equals(STRICT) != (selectionShare != null)) {
            throw new IllegalArgumentException(name.equals(STRICT) ? "protocol strict needs a selection share"
                    : "protocol " + name + " has no selection share (only strict holds images out)");
        }
        if (selectionShare != null && !(selectionShare > 0 && selectionShare < 1)) {
            throw new IllegalArgumentException("selection share must be in (0, 1), got " + selectionShare);
        }
    }

    /** The protocol called {@code name}; {@code strict} holds out {@value #DEFAULT_SELECTION_SHARE} of the images. */
    public static Protocol named(String name) {
        return name != null && name.equals(STRICT) ? strict(DEFAULT_SELECTION_SHARE) : new Protocol(name, null);
    }

    /**
     * The protocols called {@code names}, {@code strict} holding out {@code selectionShare} of the
     * images ({@value #DEFAULT_SELECTION_SHARE} when {@code null}).
     *
     * @throws IllegalArgumentException for an unknown name, or a selection share without {@code strict}
     */
    public static List<Protocol> of(List<String> names, Double selectionShare) {
        if (selectionShare != null && !names.contains(STRICT)) {
            throw new IllegalArgumentException("a selection share is a setting of the strict protocol, and the protocols"
                    + " are " + (names.isEmpty() ? List.of(LAB) : names));
        }
        return names.stream().map(n -> n.equals(STRICT)
                ? strict(selectionShare == null ? DEFAULT_SELECTION_SHARE : selectionShare) : new Protocol(n, null))
                .toList();
    }

    /** The lab's protocol, the default. */
    public static Protocol lab() {
        return new Protocol(LAB, null);
    }

    /** The strict protocol holding out {@code selectionShare} of the clean images. */
    public static Protocol strict(double selectionShare) {
        return new Protocol(STRICT, selectionShare);
    }

    /** Whether this is the lab's protocol, which leaves points and their keys as they were before protocols. */
    @JsonIgnore
    public boolean isLab() {
        return name.equals(LAB);
    }

    /** Whether the protocol needs to know the training set's size (BackdoorBench's share of it). */
    @JsonIgnore
    public boolean needsTrainingSet() {
        return name.equals(BACKDOORBENCH);
    }

    /**
     * Settings the protocol gives the defenses that declare them, unless the experiment sets them:
     * BackdoorBench's stopping rule, the last pruned model whose accuracy is less than 10% below the
     * BadNet's ({@code acc_ratio: 0.1} in its {@code defense/fp.py}).
     */
    public Map<String, Object> defaults() {
        return name.equals(BACKDOORBENCH) ? Map.of("drop", BACKDOORBENCH_RELATIVE_DROP, "drop-unit",
                PruningDefense.RELATIVE, "rule", SelectionRule.LAST_UNDER.label()) : Map.of();
    }

    /**
     * The defender's data under this protocol, the images drawn with {@code seed}.
     *
     * @throws IllegalArgumentException if the clean images are too few to split, or, under {@code
     *     backdoorbench}, the defender has no training set or fewer clean images than it needs
     */
    public DefenderData defender(DefenderData data, long seed) {
        ImageSource clean = data.clean();
        int n = clean.size();
        return switch (name) {
            case STRICT -> {
                int selection = (int) Math.round(selectionShare * n);
                if (selection < 1 || selection >= n) {
                    throw new IllegalArgumentException("protocol strict: a selection share of " + selectionShare
                            + " of the " + n + " clean images of " + clean.name() + " holds out " + selection
                            + " of them; both parts need an image");
                }
                ImageSubset[] parts = ImageSubset.split(clean, selection, seed,
                        clean.name() + " selection (" + selection + " of " + n + ", seed " + seed + ")",
                        clean.name() + " learning (" + (n - selection) + " of " + n + ", seed " + seed + ")");
                yield new DefenderData(parts[1], parts[0], data.training());
            }
            case BACKDOORBENCH -> {
                ImageSource training = data.trainingSet().orElseThrow(() -> new IllegalArgumentException(
                        "protocol backdoorbench takes 5% of the training images, and this subject has no training set"));
                int total = training.size() + n;
                int count = (int) Math.round(BACKDOORBENCH_CLEAN_SHARE * total);
                if (count < 1 || count > n) {
                    throw new IllegalArgumentException("protocol backdoorbench: 5% of " + total + " training images is "
                            + count + ", but " + clean.name() + " holds " + n + " clean images");
                }
                ImageSubset drawn = ImageSubset.split(clean, count, seed,
                        clean.name() + " (" + count + " of " + n + ", seed " + seed + ")", "rest")[0];
                yield new DefenderData(drawn, drawn, data.training());
            }
            default -> data;
        };
    }
}
