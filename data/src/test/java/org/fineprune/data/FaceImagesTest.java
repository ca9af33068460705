package org.fineprune.data;

import static org.fineprune.data.LabDatasetTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.fineprune.core.DeepId;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageShape;
import org.fineprune.core.ImageSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FaceImagesTest {
    private static final int H = DeepId.HEIGHT;
    private static final int W = DeepId.WIDTH;
    private static final int PLANE = H * W;

    @TempDir
    Path dir;

    @Test
    void reads_rgb_png_exactly_as_nchw_red_green_blue() throws IOException {
        Path file = writeRgb("face.png", 0, "png");

        assertArrayEquals(expected(0), FaceImages.read(file));
    }

    @Test
    void ignores_alpha() throws IOException {
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                image.setRGB(x, y, (x * 5) << 24 | rgb(1, y, x));
            }
        }
        Path file = dir.resolve("alpha.png");
        ImageIO.write(image, "png", file.toFile());

        assertArrayEquals(expected(1), FaceImages.read(file));
    }

    @Test
    void copies_grey_to_all_three_channels_unchanged() throws IOException {
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                image.getRaster().setSample(x, y, 0, (y * W + x) % 256);
            }
        }
        Path file = dir.resolve("grey.png");
        ImageIO.write(image, "png", file.toFile());

        float[] pixels = FaceImages.read(file);
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < PLANE; k++) {
                assertEquals(k % 256, pixels[c * PLANE + k], "channel " + c + " pixel " + k);
            }
        }
    }

    @Test
    void reads_images_of_a_one_channel_model_grey_as_stored_and_colour_as_luma() throws IOException {
        ImageShape shape = new ImageShape(1, 28, 28);
        BufferedImage grey = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage colour = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                grey.getRaster().setSample(x, y, 0, (y * 28 + x) % 256);
                colour.setRGB(x, y, 200 << 16 | 100 << 8 | 50);
            }
        }
        Path greyFile = dir.resolve("grey.png");
        Path colourFile = dir.resolve("colour.png");
        ImageIO.write(grey, "png", greyFile.toFile());
        ImageIO.write(colour, "png", colourFile.toFile());

        List<ImageBatch> batches = new ArrayList<>();
        FaceImages.source(List.of(greyFile, colourFile), shape).forEachBatch(2, batches::add);

        float[] pixels = batches.get(0).pixels();
        assertEquals(2 * 28 * 28, pixels.length);
        for (int k = 0; k < 28 * 28; k++) {
            assertEquals(k % 256, pixels[k], "grey pixel " + k);
            assertEquals(Math.round(0.299 * 200 + 0.587 * 100 + 0.114 * 50), pixels[28 * 28 + k],
                    "colour pixel " + k);
        }
        assertMessage(() -> FaceImages.source(List.of(greyFile), ImageShape.DEEPID).forEachBatch(1, b -> { }),
                greyFile, "image is 28x28 (columns x rows), expected 47x55");
        assertThrows(IllegalArgumentException.class,
                () -> FaceImages.source(List.of(greyFile), new ImageShape(2, 28, 28)));
    }

    @Test
    void reads_jpeg_close_to_what_was_written() throws IOException {
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                image.setRGB(x, y, 200 << 16 | 120 << 8 | 40);
            }
        }
        Path file = dir.resolve("face.jpg");
        assertTrue(ImageIO.write(image, "jpeg", file.toFile()));

        float[] pixels = FaceImages.read(file);
        float[] colour = {200, 120, 40};
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < PLANE; k++) {
                assertEquals(colour[c], pixels[c * PLANE + k], 4, "JPEG loses a little, no more");
            }
        }
    }

    /**
     * Adobe software writes CMYK and YCCK JPEGs, which the JDK's reader decodes with wrong colours
     * (about 60 levels off on average); they must read as the RGB picture they were made from.
     */
    @ParameterizedTest
    @EnumSource(CmykJpeg.Transform.class)
    void reads_an_adobe_four_channel_jpeg_in_the_colours_of_its_rgb_original(
            CmykJpeg.Transform transform) throws IOException {
        BufferedImage picture = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                picture.setRGB(x, y, (40 + 4 * x) << 16 | (30 + 3 * y) << 8 | (200 - 2 * x - y));
            }
        }
        Path file = CmykJpeg.write(picture, transform, dir.resolve("face.jpg"));

        float[] pixels = FaceImages.read(file);
        double total = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int rgb = picture.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    float difference = Math.abs((rgb >> (16 - 8 * c) & 0xFF)
                            - pixels[c * PLANE + y * W + x]);
                    assertTrue(difference <= 8, transform + " channel " + c + " row " + y
                            + " column " + x + " is " + difference + " levels off");
                    total += difference;
                }
            }
        }
        assertTrue(total / (3 * PLANE) < 2, transform + " is " + total / (3 * PLANE)
                + " levels off on average");
    }

    @Test
    void rejects_wrong_image_size() throws IOException {
        Path file = dir.resolve("big.png");
        ImageIO.write(new BufferedImage(60, 50, BufferedImage.TYPE_INT_RGB), "png", file.toFile());

        assertMessage(() -> FaceImages.read(file), file,
                "image is 60x50 (columns x rows), expected 47x55");
    }

    @Test
    void rejects_rotated_image() throws IOException {
        Path file = dir.resolve("rotated.png");
        ImageIO.write(new BufferedImage(H, W, BufferedImage.TYPE_INT_RGB), "png", file.toFile());

        assertMessage(() -> FaceImages.read(file), file, "image is 55x47", "expected 47x55");
    }

    @Test
    void rejects_file_that_is_not_an_image() throws IOException {
        Path file = dir.resolve("notes.png");
        Files.writeString(file, "not a picture");

        assertMessage(() -> FaceImages.read(file), file, "not a readable image");
    }

    @Test
    void rejects_cut_off_png() throws IOException {
        Path file = writeRgb("cut.png", 0, "png");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));

        assertMessage(() -> FaceImages.read(file), file, "not a readable image");
    }

    @Test
    void rejects_missing_file() {
        Path file = dir.resolve("absent.png");

        assertMessage(() -> FaceImages.read(file), file, "no such file");
        assertMessage(() -> FaceImages.source(List.of(file)), file, "no such file");
        assertMessage(() -> FaceImages.read(dir), dir, "a directory");
    }

    @Test
    void source_reads_labelled_images_in_batches() throws IOException {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            files.add(writeRgb("face" + i + ".png", i, "png"));
        }
        int[] labels = {4, 0, 1282, 7, 7};
        ImageSource source = FaceImages.source(files, labels);

        assertEquals(5, source.size());
        assertTrue(source.labelled());
        assertTrue(source.name().contains(dir.toString()), source.name());
        List<ImageBatch> batches = new ArrayList<>();
        source.forEachBatch(2, batches::add);

        assertEquals(List.of(2, 2, 1), batches.stream().map(ImageBatch::size).toList());
        int image = 0;
        for (ImageBatch batch : batches) {
            assertArrayEquals(Arrays.copyOfRange(labels, image, image + batch.size()),
                    batch.labels());
            for (int i = 0; i < batch.size(); i++, image++) {
                assertArrayEquals(expected(image), Arrays.copyOfRange(batch.pixels(),
                        i * DeepId.IMAGE_VALUES, (i + 1) * DeepId.IMAGE_VALUES));
            }
        }
    }

    @Test
    void source_without_labels_gives_batches_without_labels() throws IOException {
        ImageSource source = FaceImages.source(List.of(writeRgb("a.png", 0, "png")));
        List<ImageBatch> batches = new ArrayList<>();
        source.forEachBatch(8, batches::add);

        assertFalse(source.labelled());
        assertEquals(1, batches.size());
        assertNull(batches.get(0).labels());
    }

    @Test
    void source_names_the_file_that_fails_in_a_batch() throws IOException {
        Path good = writeRgb("good.png", 0, "png");
        Path bad = dir.resolve("bad.png");
        ImageIO.write(new BufferedImage(W, W, BufferedImage.TYPE_INT_RGB), "png", bad.toFile());
        ImageSource source = FaceImages.source(List.of(good, bad));

        assertMessage(() -> source.forEachBatch(2, batch -> { }), bad, "image is 47x47");
    }

    @Test
    void source_rejects_mismatched_or_out_of_range_labels() throws IOException {
        List<Path> files = List.of(writeRgb("a.png", 0, "png"), writeRgb("b.png", 1, "png"));

        assertThrows(IllegalArgumentException.class, () -> FaceImages.source(files, new int[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> FaceImages.source(files, new int[] {1, DeepId.CLASSES}));
        assertThrows(IllegalArgumentException.class,
                () -> FaceImages.source(files, new int[] {-1, 0}));
        assertThrows(IllegalArgumentException.class, () -> FaceImages.source(List.of()));
    }

    @Test
    void folder_lists_png_and_jpeg_files_by_name() throws IOException {
        Path b = writeRgb("b.png", 1, "png");
        Path a = writeRgb("a.png", 0, "png");
        writeRgb("c.jpg", 2, "jpeg");
        Files.writeString(dir.resolve("index.csv"), "file\n");
        ImageSource source = FaceImages.folder(dir);
        List<ImageBatch> batches = new ArrayList<>();
        source.forEachBatch(3, batches::add);

        assertEquals(3, source.size());
        assertFalse(source.labelled());
        assertArrayEquals(FaceImages.read(a), Arrays.copyOfRange(batches.get(0).pixels(), 0,
                DeepId.IMAGE_VALUES));
        assertArrayEquals(FaceImages.read(b), Arrays.copyOfRange(batches.get(0).pixels(),
                DeepId.IMAGE_VALUES, 2 * DeepId.IMAGE_VALUES));
    }

    @Test
    void folder_rejects_missing_or_empty_directory() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));

        assertMessage(() -> FaceImages.folder(empty), empty, "no PNG or JPEG files");
        assertMessage(() -> FaceImages.folder(dir.resolve("absent")), dir.resolve("absent"),
                "no such directory");
    }

    @Test
    void folder_names_a_file_as_not_a_directory() throws IOException {
        Path file = writeRgb("face.png", 0, "png");

        assertMessage(() -> FaceImages.folder(file), file, "not a directory");
    }

    private static int rgb(int image, int y, int x) {
        return Hdf5Fixtures.pixel(image, 0, y, x) << 16 | Hdf5Fixtures.pixel(image, 1, y, x) << 8
                | Hdf5Fixtures.pixel(image, 2, y, x);
    }

    private static float[] expected(int image) {
        return Hdf5Fixtures.expectedImage(image);
    }

    private Path writeRgb(String name, int image, String format) throws IOException {
        BufferedImage picture = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                picture.setRGB(x, y, rgb(image, y, x));
            }
        }
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(picture, format, file.toFile()), "no writer for " + format);
        return file;
    }
}
