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
