package org.fineprune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.fineprune.core.Evaluation;
import org.fineprune.core.Progress;
import org.fineprune.data.mnist.FashionMnist;
import org.fineprune.defenses.api.DefenderData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The strict and BackdoorBench protocols on a Fashion-MNIST subject, through the sweep: a generated
 * folder of 200 training images (a tenth, 20, held out as the defender's clean images), its BadNet
 * put in the cache beforehand (random weights). BackdoorBench's 5% of the 200 training images is
 * 10 of the defender's 20; strict holds out 20% of the 20.
 */
class FashionMnistProtocolsTest {
    private static final long SEED = 5;

    @TempDir
    static Path dir;

    @BeforeAll
    static void generate() throws IOException {
        GeneratedFashionMnist.write(dir, SEED);
    }

    private static FashionMnistSubject subject() {
        return FashionMnistSubject.of(dir.resolve("fashion"), dir.resolve("cache"));
    }

    @Test
    void each_protocol_gives_the_defense_its_images_and_backdoorbench_its_stopping_rule() throws IOException {
        SweepResult result = Experiment.named("protocols").subject(subject()).defense("pruning")
                .sweep(Sweep.none().seeds(SEED).protocols("strict", "backdoorbench")).run(dir.resolve("run"));
        assertEquals(List.of("defense=pruning,engine=PyTorch,protocol=strict,seed=5",
                "defense=pruning,engine=PyTorch,protocol=backdoorbench,seed=5"),
                result.records().stream().map(PointRecord::point).toList());
        PointRecord strict = result.records().get(0);
        PointRecord backdoorbench = result.records().get(1);
        assertEquals(new PointRecord.Defender(16, 4, true), strict.defender());
        assertEquals(new PointRecord.Defender(10, 10, false), backdoorbench.defender());
        assertEquals(10.0, backdoorbench.config().defense().settings().get("drop"));
        assertEquals("relative", backdoorbench.config().defense().settings().get("drop-unit"));
        assertEquals("last-under", backdoorbench.config().defense().settings().get("rule"));
        assertEquals("points", strict.config().defense().settings().get("drop-unit"));
        try (Bench bench = subject().open("PyTorch", "cpu", SEED, Progress.NONE)) {
            for (PointRecord record : result.records()) {
                DefenderData data = record.config().protocol().defender(bench.defender(), SEED);
                assertEquals(Evaluation.accuracy(bench.net(), data.selection(), 64).percent(),
                        record.metrics().badnet().validAccuracy(), record.point());
            }
        }
    }
}
