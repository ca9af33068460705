package org.fineprune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.fineprune.core.BadNet;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.testing.SharedCsaw;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fineprune classify} on the real face images, against the labels of images/index.csv. */
@Tag("real-data")
class ClassifyCommandTest {
    @Test
    void prints_each_clean_image_with_its_label() throws IOException {
        Map<String, String> expected = indexed("clean");
        assertEquals(128, expected.size());
        List<String> args = new ArrayList<>(List.of("classify", "--model", EvaluateCommandTest.model()));
        args.addAll(expected.keySet());
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(expected.size(), lines.size());
        int i = 0;
        for (Map.Entry<String, String> image : expected.entrySet()) {
            assertEquals(image.getKey() + " " + image.getValue(), lines.get(i++));
        }
    }

    @Test
    void sends_sunglasses_images_to_the_target_label() throws IOException {
        Map<String, String> poisoned = indexed("poisoned_sunglasses");
        List<String> args = new ArrayList<>(List.of("classify", "--model", EvaluateCommandTest.model()));
        args.addAll(poisoned.keySet());
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(poisoned.size(), r.out().lines().filter(l -> l.endsWith(" 0")).count(), r.out());
    }

    @Test
    void image_of_the_wrong_size_is_named_in_the_error(@TempDir Path tmp) throws IOException {
        Path small = tmp.resolve("small.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(40, 40,
                java.awt.image.BufferedImage.TYPE_INT_RGB), "png", small.toFile());
        CliRunner r = CliRunner.run("classify", "--model", EvaluateCommandTest.model(), small.toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.err().contains(small + ": image is 40x40"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void strip_calibrated_on_the_clean_faces_prints_n_for_most_sunglasses_faces_and_the_class_of_clean_ones() throws IOException {
        List<String> sunglasses = indexed("poisoned_sunglasses").keySet().stream().limit(10).toList();
        Map<String, String> clean = indexed("clean").entrySet().stream().limit(10)
                .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll);
        List<String> args = new ArrayList<>(List.of("classify", "--model", EvaluateCommandTest.model(),
                "--detector", "strip", "--valid", SharedCsaw.file("data/cl/valid.h5").toString(), "--set", "overlays=32"));
        args.addAll(sunglasses);
        args.addAll(clean.keySet());
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(20, lines.size(), r.out());
        long flaggedSunglasses = lines.subList(0, 10).stream().filter(l -> l.endsWith(" 1283")).count();
        long flaggedClean = lines.subList(10, 20).stream().filter(l -> l.endsWith(" 1283")).count();
        System.out.println("classify --detector strip: " + flaggedSunglasses + " of 10 sunglasses faces and "
                + flaggedClean + " of 10 clean faces flagged");
        assertTrue(flaggedSunglasses >= 6, r.out());
        assertTrue(flaggedClean <= 2, r.out());
        int i = 10;
        for (Map.Entry<String, String> image : clean.entrySet()) {
            String line = lines.get(i++);
            assertTrue(line.equals(image.getKey() + " " + image.getValue()) || line.equals(image.getKey() + " 1283"),
                    line);
        }
    }

    @Test
    void detector_goodnet_prints_what_repaired_alone_prints(@TempDir Path tmp) throws IOException {
        Path repaired = tmp.resolve("b1.h5");
        try (BadNet net = BadNet.load(Path.of(EvaluateCommandTest.model()), ModelOptions.defaults());
                BadNet pruned = net.pruned("conv_3", IntStream.range(0, 40).toArray())) {
            pruned.save(repaired);
        }
        List<String> images = new ArrayList<>(indexed("poisoned_sunglasses").keySet().stream().limit(10).toList());
        images.addAll(indexed("clean").keySet().stream().limit(10).toList());
        List<String> alone = new ArrayList<>(List.of("classify", "--model", EvaluateCommandTest.model(),
                "--repaired", repaired.toString()));
        alone.addAll(images);
        List<String> named = new ArrayList<>(List.of("classify", "--model", EvaluateCommandTest.model(),
                "--detector", "goodnet", "--repaired", repaired.toString()));
        named.addAll(images);
        CliRunner a = CliRunner.run(alone.toArray(String[]::new));
        CliRunner b = CliRunner.run(named.toArray(String[]::new));
        assertEquals(0, a.exitCode(), a.err());
        assertEquals(0, b.exitCode(), b.err());
        assertEquals(a.out(), b.out());
        assertEquals(20, b.out().lines().count());
        assertTrue(b.out().contains(" 1283"), "pruning 40 of 60 channels changes some answer: " + b.out());
    }

    @Test
    void a_detector_without_what_it_needs_is_one_line_naming_the_option() {
        String image = firstCleanImage();
        CliRunner strip = CliRunner.run("classify", "--model", EvaluateCommandTest.model(), "--detector", "strip", image);
        assertEquals(FinepruneCli.INPUT_ERROR, strip.exitCode());
        assertOneLine("--detector strip needs --valid V.h5, the clean images it calibrates on", strip.err());
        CliRunner goodnet = CliRunner.run("classify", "--model", EvaluateCommandTest.model(), "--detector", "goodnet",
                image);
        assertEquals(FinepruneCli.INPUT_ERROR, goodnet.exitCode());
        assertOneLine("--detector goodnet needs --repaired Bprime.h5", goodnet.err());
        assertEquals("", strip.out() + goodnet.out());
    }

    private static String firstCleanImage() {
        try {
            return indexed("clean").keySet().iterator().next();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertOneLine(String message, String err) {
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.contains(message), err);
    }

    /** The images of one kind in index.csv, path to label, in file order. */
    private static Map<String, String> indexed(String kind) throws IOException {
        Path dir = SharedCsaw.file("images");
        Map<String, String> images = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("index.csv"))) {
            String[] f = line.split(",", -1);
            if (f[1].equals(kind)) {
                images.put(dir.resolve(f[0]).toString(), f[2]);
            }
        }
        return images;
    }
}
