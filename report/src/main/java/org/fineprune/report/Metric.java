package org.fineprune.report;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.fineprune.experiments.PointRecord;
import org.fineprune.experiments.PointRecord.DetectorScores;
import org.fineprune.experiments.PointRecord.Metrics;
import org.fineprune.experiments.PointRecord.Scores;
import org.fineprune.experiments.PointRecord.TrainingDetectorScores;

/**
 * A number of a point record that the report averages over seeds: the BadNet's, the repaired
 * model's, the input detector's and the training-set detector's scores (percent, AUROC from 0 to 1),
 * the detector's seconds per 1,000 inputs and the defense's seconds.
 */
enum Metric {
    BADNET_CLEAN("clean acc (BadNet)", "badnet_clean_accuracy", r -> scores(r, Metrics::badnet, Scores::cleanAccuracy)),
    BADNET_ATTACK("attack success (BadNet)", "badnet_attack_success_rate",
            r -> scores(r, Metrics::badnet, Scores::attackSuccessRate)),
    BADNET_ROBUST("robust acc (BadNet)", "badnet_robust_accuracy",
            r -> scores(r, Metrics::badnet, Scores::robustAccuracy)),
    REPAIRED_VALID("valid acc (repaired)", "repaired_valid_accuracy",
            r -> scores(r, Metrics::repaired, Scores::validAccuracy)),
    REPAIRED_CLEAN("clean acc (repaired)", "repaired_clean_accuracy",
            r -> scores(r, Metrics::repaired, Scores::cleanAccuracy)),
    REPAIRED_ATTACK("attack success (repaired)", "repaired_attack_success_rate",
            r -> scores(r, Metrics::repaired, Scores::attackSuccessRate)),
    REPAIRED_ROBUST("robust acc (repaired)", "repaired_robust_accuracy",
            r -> scores(r, Metrics::repaired, Scores::robustAccuracy)),
    DETECTOR_CLEAN("clean acc (detector)", "detector_clean_accuracy",
            r -> detector(r, DetectorScores::cleanAccuracy)),
    DETECTOR_ATTACK("attack success (detector)", "detector_attack_success_rate",
            r -> detector(r, DetectorScores::attackSuccessRate)),
    DETECTOR_CLEAN_FLAGGED("clean flagged (detector)", "detector_clean_flagged",
            r -> detector(r, DetectorScores::cleanFlagged)),
    DETECTOR_POISONED_FLAGGED("poisoned flagged (detector)", "detector_poisoned_flagged",
            r -> detector(r, DetectorScores::poisonedFlagged)),
    DETECTOR_AUROC("AUROC (detector)", "detector_auroc", r -> detector(r, DetectorScores::auroc)),
    DETECTOR_SECONDS("detector s / 1,000 inputs", "detector_seconds_per_1000",
            r -> timing(r, "detector_seconds_per_1000")),
    TRAINING_POISONED_FLAGGED("poisoned flagged (training set)", "training_detector_poisoned_flagged",
            r -> trainingDetector(r, TrainingDetectorScores::poisonedFlagged)),
    TRAINING_CLEAN_FLAGGED("clean flagged (training set)", "training_detector_clean_flagged",
            r -> trainingDetector(r, TrainingDetectorScores::cleanFlagged)),
    TRAINING_AUROC("AUROC (training set)", "training_detector_auroc",
            r -> trainingDetector(r, TrainingDetectorScores::auroc)),
    DEFENSE_SECONDS("defense seconds", "defense_seconds", r -> timing(r, "defense_seconds"));

    /** The BadNet's own metrics, the only ones of the table's BadNet row. */
    static final Set<Metric> BADNET = EnumSet.of(BADNET_CLEAN, BADNET_ATTACK, BADNET_ROBUST);

    private final String header;
    private final String column;
    private final Function<PointRecord, Double> value;

    Metric(String header, String column, Function<PointRecord, Double> value) {
        this.header = header;
        this.column = column;
        this.value = value;
    }

    /** The column's heading in {@code report.md}. */
    String header() {
        return header;
    }

    /** The stem of the column's names in {@code summary.csv} ({@code _mean}, {@code _sd}). */
    String column() {
        return column;
    }

    /** The metric of {@code record}, {@code NaN} where it has none. */
    double of(PointRecord record) {
        Double v = value.apply(record);
        return v == null ? Double.NaN : v;
    }

    private static Double scores(PointRecord r, Function<Metrics, Scores> model, Function<Scores, Double> score) {
        Scores scores = r.metrics() == null ? null : model.apply(r.metrics());
        return scores == null ? null : score.apply(scores);
    }

    private static Double detector(PointRecord r, Function<DetectorScores, Double> score) {
        DetectorScores scores = r.metrics() == null ? null : r.metrics().detector();
        return scores == null ? null : score.apply(scores);
    }

    private static Double trainingDetector(PointRecord r, Function<TrainingDetectorScores, Double> score) {
        TrainingDetectorScores scores = r.metrics() == null ? null : r.metrics().trainingDetector();
        return scores == null ? null : score.apply(scores);
    }

    private static Double timing(PointRecord r, String name) {
        Map<String, Double> timings = r.timings();
        return timings == null ? null : timings.get(name);
    }
}
