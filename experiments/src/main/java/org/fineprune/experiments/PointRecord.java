package org.fineprune.experiments;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.fineprune.core.LayerChannel;

/**
 * The record of one point, a line of {@code results.jsonl} (schema: {@code docs/run-records.md}),
 * the same for every defense: what ran ({@code config}), on what ({@code environment}, the SHA-256 of
 * every file in {@code hashes}), the scores ({@code metrics}), what the defense found ({@code
 * diagnostics}) and the timings, the one part that differs between two runs of the same point.
 * Written and read by {@link Records}; the record says which version of the schema it follows.
 *
 * @param schema the schema version, {@value #SCHEMA}
 * @param experiment the experiment's name
 * @param point the point's identity: its axes, {@code axis=value} pairs sorted by name
 * @param seed the seed the defense (and a Fashion-MNIST BadNet's training) used
 * @param config everything that decides the point's outcome
 * @param defender how many clean images the defender's defense learnt on and selected on
 * @param environment the machine, JVM, engine and build that ran it
 * @param hashes the SHA-256 of every file the point read, by role
 * @param metrics the BadNet's, the repaired model's and the detector's scores
 * @param diagnostics what the defense reported, as it reported it (keys in camelCase)
 * @param pruningSteps for a defense that prunes along an order, that order and the attack success
 *     rate after each step; {@code null} for others
 * @param timings seconds spent, by phase
 */
@JsonPropertyOrder(alphabetic = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PointRecord(
        int schema,
        String experiment,
        String point,
        long seed,
        Config config,
        Defender defender,
        Map<String, Object> environment,
        Map<String, String> hashes,
        Metrics metrics,
        Map<String, Object> diagnostics,
        @JsonProperty("pruning_steps") PruningSteps pruningSteps,
        Map<String, Double> timings) {
    /** The version of the schema this Fineprune writes and reads. */
    public static final int SCHEMA = 2;

    /** This record with another {@code config}. */
    public PointRecord withConfig(Config config) {
        return new PointRecord(schema, experiment, point, seed, config, defender, environment, hashes, metrics,
                diagnostics, pruningSteps, timings);
    }

    /** A record of the lab protocol that does not say how many images the defender held. */
    public PointRecord(int schema, String experiment, String point, long seed, Config config,
            Map<String, Object> environment, Map<String, String> hashes, Metrics metrics,
            Map<String, Object> diagnostics, PruningSteps pruningSteps, Map<String, Double> timings) {
        this(schema, experiment, point, seed, config, null, environment, hashes, metrics, diagnostics, pruningSteps,
                timings);
    }

    /**
     * What decides a point's outcome.
     *
     * @param subject the BadNet and its data
     * @param defense the defense and every one of its settings
     * @param engine the DJL engine
     * @param device {@code cpu}, {@code gpu} or {@code auto}
     * @param protocol how the defender's clean images were used
     */
    @JsonPropertyOrder(alphabetic = true)
    public record Config(Subject subject, DefenseConfig defense, String engine, String device, Protocol protocol) {
        /** Fills the lab protocol when none is given. */
        public Config {
            protocol = protocol == null ? Protocol.lab() : protocol;
        }

        /** A configuration under the lab protocol. */
        public Config(Subject subject, DefenseConfig defense, String engine, String device) {
            this(subject, defense, engine, device, Protocol.lab());
        }

        /**
         * This configuration as a record written before its defense gained the parameters outside
         * {@code recordedNames} holds it: those settings are left out where they hold their {@code
         * defaults}, the values that keep the defense's earlier behaviour.
         */
        public Config withoutNewDefaults(Set<String> recordedNames, Map<String, Object> defaults) {
            Map<String, Object> settings = new TreeMap<>(defense.settings());
            settings.entrySet().removeIf(setting -> !recordedNames.contains(setting.getKey())
                    && Objects.equals(setting.getValue(), defaults.get(setting.getKey())));
            return new Config(subject, new DefenseConfig(defense.name(), settings), engine, device, protocol);
        }
    }

    /**
     * The defender's clean images as a point's defense got them ({@link Protocol}).
     *
     * @param cleanImages the images it learnt and ranked on
     * @param selectionImages the images every stopping rule, threshold and the reported validation
     *     accuracy used
     * @param heldOut whether the selection images were held out of the others (strict), or the same
     *     images (lab, backdoorbench)
     */
    @JsonPropertyOrder(alphabetic = true)
    public record Defender(@JsonProperty("clean_images") int cleanImages,
            @JsonProperty("selection_images") int selectionImages,
            @JsonProperty("held_out") boolean heldOut) {}

    /**
     * A defense and its settings, typed by the parameters the defense named {@code name} declares.
     *
     * @param name the defense's name
     * @param settings every parameter's value, by name
     */
    public record DefenseConfig(String name, Map<String, Object> settings) {}

    /**
     * The scores of one point, in percent.
     *
     * @param badnet the BadNet's
     * @param repaired the repaired model's, or {@code null} for a defense that makes none
     * @param detector the input detector's (for a repairing defense, its GoodNet), or {@code null}
     * @param trainingDetector a training-set detector's, on the BadNet's poisoned training set, or
     *     {@code null} for other defenses
     */
    public record Metrics(Scores badnet, Scores repaired, DetectorScores detector,
            @JsonProperty("training_detector") TrainingDetectorScores trainingDetector) {
        /** The scores of a defense that inspects no training set. */
        public Metrics(Scores badnet, Scores repaired, DetectorScores detector) {
            this(badnet, repaired, detector, null);
        }
    }

    /**
     * A model's scores in percent; {@code null} where not measured.
     *
     * @param validAccuracy accuracy on the defender's selection images (its clean validation images;
     *     under the strict protocol the part held out of what the defense learnt on)
     * @param cleanAccuracy accuracy on the clean test images
     * @param attackSuccessRate share of the poisoned test images classified as the attack's target
     * @param robustAccuracy share of the triggered test images classified as their true class;
     *     {@code null} where their true classes are unknown (the lab's files)
     */
    public record Scores(
            @JsonProperty("valid_accuracy") Double validAccuracy,
            @JsonProperty("clean_accuracy") Double cleanAccuracy,
            @JsonProperty("attack_success_rate") Double attackSuccessRate,
            @JsonProperty("robust_accuracy") Double robustAccuracy) {}

    /**
     * An input detector's scores in percent; it answers class N for an input it flags.
     *
     * @param cleanAccuracy accuracy on the clean test images, a flagged image counting as wrong
     * @param attackSuccessRate share of the poisoned test images it gives the target class
     * @param cleanFlagged share of the clean test images it flags (false positives)
     * @param poisonedFlagged share of the poisoned test images it flags (true positives)
     * @param auroc the area under the ROC curve of telling poisoned from clean test images, from 0 to
     *     1: from the detector's suspicion scores where it gives them, else from its flags
     *     ((true-positive rate + true-negative rate) / 2)
     */
    public record DetectorScores(
            @JsonProperty("clean_accuracy") Double cleanAccuracy,
            @JsonProperty("attack_success_rate") Double attackSuccessRate,
            @JsonProperty("clean_flagged") Double cleanFlagged,
            @JsonProperty("poisoned_flagged") Double poisonedFlagged,
            Double auroc) {}

    /**
     * A training-set detector's scores on the BadNet's training set, whose poisoned samples the
     * attack knows: rates in percent, AUROC from 0 to 1.
     *
     * @param poisonedFlagged share of the poisoned training samples it flags (true-positive rate)
     * @param cleanFlagged share of the clean training samples it flags (false-positive rate)
     * @param auroc the area under the ROC curve of its suspicion scores for telling poisoned from clean
     *     training samples
     */
    public record TrainingDetectorScores(
            @JsonProperty("poisoned_flagged") Double poisonedFlagged,
            @JsonProperty("clean_flagged") Double cleanFlagged,
            Double auroc) {}

    /**
     * The channels a pruning defense ranked, in pruning order, and the attack success rate after
     * each step, measured on the poisoned test set for the report's figure only: no stopping rule
     * looks at it.
     *
     * @param order the channels in pruning order
     * @param attackSuccessRates the attack success rate in percent after pruning the first 1, 2, ...;
     *     {@code null} after a step not scored (an order of over 160 steps is scored at evenly spaced
     *     steps and its last)
     */
    public record PruningSteps(List<LayerChannel> order,
            @JsonProperty("attack_success_rates") List<Double> attackSuccessRates) {}
}
