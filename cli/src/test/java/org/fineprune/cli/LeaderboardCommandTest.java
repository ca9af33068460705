package org.fineprune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fineprune.core.KerasWeightsWriter;
import org.fineprune.core.testing.SmallCnnWeights;
import org.fineprune.data.testing.FashionMnistFolderFixture;
import org.fineprune.defenses.api.Defenses;
import org.fineprune.experiments.FashionMnistSubject;
import org.fineprune.experiments.PointRecord;
import org.fineprune.experiments.Records;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fineprune leaderboard}: the plan and its expected time come before any work, {@code
 * --dry-run} runs nothing, and a small grid on a generated Fashion-MNIST folder (BadNets of random
 * weights put in the cache) runs, writes the leaderboard and resumes.
 */
class LeaderboardCommandTest {
    @TempDir
    Path tmp;

    @Test
    void dry_run_prints_the_default_grid_and_its_expected_time_and_runs_nothing() {
        Path out = tmp.resolve("out");
        CliRunner r = CliRunner.run("leaderboard", "--defenses", "pruning,fine-pruning", "--dry-run",
                "--fashion-mnist", tmp.resolve("none").toString(), "--cache", tmp.resolve("cache").toString(),
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("leaderboard leaderboard: wide-cnn x patch, blend, pruning-aware; small-cnn, preact-resnet x "
                + "patch; defenses pruning, fine-pruning; seeds 1, 2, 3; protocols strict, backdoorbench; 60 points on PyTorch",
                lines.get(0));
        assertTrue(lines.get(1).startsWith("60 points (0 already recorded), about "), lines.get(1));
        assertTrue(lines.get(1).contains(" on this machine: 60 to run, 0 timed by the records in the run folder, 60 by "
                + "the checked-in cost table; 15 BadNets to train first"), lines.get(1));
        assertEquals(2, lines.size(), r.out());
        assertFalse(Files.exists(out), "a dry run writes nothing");
        assertFalse(Files.exists(tmp.resolve("cache")), "a dry run trains nothing");
    }

    @Test
    void the_default_grid_with_every_defense_found_passes_the_checks_before_any_work() {
        CliRunner r = CliRunner.run("leaderboard", "--dry-run", "--cache", tmp.resolve("cache").toString(), "--out",
                tmp.resolve("out").toString());
        assertEquals(0, r.exitCode(), r.err());
        int defenses = Defenses.all().size();
        assertTrue(r.out().lines().findFirst().orElseThrow().endsWith("; " + 5 * 3 * defenses * 2 + " points on PyTorch"),
                r.out());
    }

    @Test
    void a_small_grid_runs_after_its_estimate_writes_the_leaderboard_and_resumes() throws Exception {
        Path data = FashionMnistFolderFixture.write(tmp.resolve("fashion"), 200, 40);
        Path cache = tmp.resolve("cache");
        for (String attack : List.of("patch", "blend")) {
            Path weights = FashionMnistSubject.of(data, cache).along(new TreeMap<>(Map.of("attack", attack)))
                    .recipe(1).weightsFile(cache);
            Files.createDirectories(cache);
            KerasWeightsWriter.write(weights, SmallCnnWeights.random(1), KerasWeightsWriter.Layout.WEIGHTS_ONLY);
        }
        Path out = tmp.resolve("out");
        String[] args = {"leaderboard", "--networks", "small-cnn", "--attacks", "patch,blend", "--defenses", "pruning",
            "--seeds", "1", "--protocol", "strict", "--fashion-mnist", data.toString(), "--cache", cache.toString(), "--out",
            out.toString()};

        CliRunner first = CliRunner.run(args);

        assertEquals(0, first.exitCode(), first.err());
        List<String> lines = first.out().lines().toList();
        assertEquals("leaderboard leaderboard: small-cnn x patch, blend; defenses pruning; seeds 1; protocols strict; 2 points on "
                + "PyTorch",
                lines.get(0));
        assertTrue(lines.get(1).startsWith("2 points (0 already recorded), about "), lines.get(1));
        assertFalse(lines.get(1).contains("to train"), "both BadNets are in the cache: " + lines.get(1));
        assertTrue(lines.get(2).startsWith("2 points run, 0 already recorded"), first.out());
        List<PointRecord> records = Records.read(out);
        assertEquals(List.of("attack=patch,defense=pruning,engine=PyTorch,network=small-cnn,protocol=strict,seed=1",
                "attack=blend,defense=pruning,engine=PyTorch,network=small-cnn,protocol=strict,seed=1"),
                records.stream().map(PointRecord::point).toList());
        String board = Files.readString(out.resolve("leaderboard.md"));
        assertTrue(board.contains("| small-cnn | blend | pruning | strict |"), board);

        CliRunner again = CliRunner.run(args);
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("2 points (2 already recorded), about 0 min on this machine: 0 to run"),
                again.out());
        assertTrue(again.out().contains("0 points run, 2 already recorded"), again.out());
    }

    @Test
    void without_fashion_mnist_the_estimate_is_printed_before_the_one_line_error() {
        CliRunner r = CliRunner.run("leaderboard", "--networks", "small-cnn", "--defenses", "pruning", "--seeds", "1",
                "--fashion-mnist", tmp.resolve("none").toString(), "--cache", tmp.resolve("cache").toString(),
                "--out", tmp.resolve("out").toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.out().contains("2 points (0 already recorded), about "), r.out()); // strict and backdoorbench
        assertTrue(r.out().contains("1 BadNet to train first"), r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("fineprune leaderboard: error: "), r.err());
    }

    @Test
    void the_recipe_flags_of_one_badnet_are_refused() {
        CliRunner r = CliRunner.run("leaderboard", "--network", "wide-cnn", "--dry-run");
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertEquals("fineprune leaderboard: error: a leaderboard's BadNets are given by --networks and --attacks, not "
                + "by --network, --attack or --pruning-aware", r.err().strip());
    }
}
