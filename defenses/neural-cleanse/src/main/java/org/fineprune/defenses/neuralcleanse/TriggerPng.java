package org.fineprune.defenses.neuralcleanse;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.fineprune.defenses.api.DefenseResult;

/**
 * The reversed trigger of a {@link NeuralCleanse} result as numbers in its diagnostics and as a PNG
 * image. The Defense API gives a defense no output folder, so the result carries the trigger ({@code
 * triggerShape}, {@code triggerMask}, {@code triggerPattern}) and {@link #write} draws it where the
 * caller wants.
 */
public final class TriggerPng {
    private TriggerPng() {}

    /** The diagnostics entries of {@code trigger}: its class, shape, mask (to 1/1000) and pattern (whole values). */
    static Map<String, Object> diagnostics(ReversedTrigger trigger) {
        Map<String, Object> entries = new LinkedHashMap<>();
        entries.put("triggerClass", trigger.target());
        entries.put("triggerShape", List.of(trigger.shape().channels(), trigger.shape().height(),
                trigger.shape().width()));
        List<Double> mask = new ArrayList<>();
        for (float m : trigger.mask()) {
            mask.add(Math.round(m * 1000) / 1000.0);
        }
        List<Integer> pattern = new ArrayList<>();
        for (float p : trigger.pattern()) {
            pattern.add(Math.round(p));
        }
        entries.put("triggerMask", mask);
        entries.put("triggerPattern", pattern);
        return entries;
    }

    /**
     * Writes the trigger of {@code result}, mask times pattern on black, as a PNG of the images' size
     * (grey for one channel, RGB for three).
     *
     * @throws IllegalArgumentException if the result holds no Neural Cleanse trigger
     * @throws IOException if the file cannot be written
     */
    public static void write(DefenseResult result, Path file) throws IOException {
        Map<String, Object> d = result.diagnostics();
        if (!(d.get("triggerShape") instanceof List<?> shape && d.get("triggerMask") instanceof List<?> mask
                && d.get("triggerPattern") instanceof List<?> pattern)) {
            throw new IllegalArgumentException("the result holds no Neural Cleanse trigger (triggerShape, triggerMask,"
                    + " triggerPattern)");
        }
        int channels = ((Number) shape.get(0)).intValue();
        int height = ((Number) shape.get(1)).intValue();
        int width = ((Number) shape.get(2)).intValue();
        int plane = height * width;
        if ((channels != 1 && channels != 3) || mask.size() != plane || pattern.size() != channels * plane) {
            throw new IllegalArgumentException("the trigger's shape " + shape + " does not fit its " + mask.size()
                    + " mask and " + pattern.size() + " pattern values, or is neither grey nor RGB");
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                double m = ((Number) mask.get(i)).doubleValue();
                int[] rgb = new int[3];
                for (int c = 0; c < 3; c++) {
                    double p = ((Number) pattern.get((channels == 1 ? 0 : c) * plane + i)).doubleValue();
                    rgb[c] = (int) Math.max(0, Math.min(255, Math.round(m * p)));
                }
                image.setRGB(x, y, (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);
            }
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException(file + ": no PNG writer");
        }
    }
}
