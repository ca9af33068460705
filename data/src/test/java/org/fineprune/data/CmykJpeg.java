package org.fineprune.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes an RGB picture as a four-channel JPEG the way Adobe software does: CMYK (or YCCK) samples
 * with an Adobe APP14 marker, CMYK stored inverted (255 is no ink). The JDK's JPEG writer stores
 * a four-band raster as it is; the marker, which it does not write, is inserted after SOI.
 */
final class CmykJpeg {
    /** The Adobe colour transform of the marker: 0 for CMYK, 2 for YCCK. */
    enum Transform {
        CMYK(0), YCCK(2);

        final int code;

        Transform(int code) {
            this.code = code;
        }
    }

    private CmykJpeg() {}

    /** Writes {@code rgb} to {@code file} as an Adobe CMYK or YCCK JPEG of the best quality. */
    static Path write(BufferedImage rgb, Transform transform, Path file) throws IOException {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE,
                rgb.getWidth(), rgb.getHeight(), 4, null);
        for (int y = 0; y < rgb.getHeight(); y++) {
            for (int x = 0; x < rgb.getWidth(); x++) {
                raster.setPixel(x, y, samples(rgb.getRGB(x, y), transform));
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(1f);
            writer.write(null, new IIOImage(raster, null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = bytes.toByteArray();
        // APP14 "Adobe": version 100, flags 0 and 0, then the transform.
        byte[] marker = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0,
                (byte) transform.code};
        byte[] marked = new byte[jpeg.length + marker.length];
        System.arraycopy(jpeg, 0, marked, 0, 2);
        System.arraycopy(marker, 0, marked, 2, marker.length);
        System.arraycopy(jpeg, 2, marked, 2 + marker.length, jpeg.length - 2);
        return Files.write(file, marked);
    }

    /** The four samples of one pixel: naive ink amounts, stored as Adobe stores them. */
    private static int[] samples(int rgb, Transform transform) {
        double r = (rgb >> 16 & 0xFF) / 255.0;
        double g = (rgb >> 8 & 0xFF) / 255.0;
        double b = (rgb & 0xFF) / 255.0;
        double k = 1 - Math.max(r, Math.max(g, b));
        double white = 1 - k;
        double c = white == 0 ? 0 : (white - r) / white;
        double m = white == 0 ? 0 : (white - g) / white;
        double ye = white == 0 ? 0 : (white - b) / white;
        if (transform == Transform.CMYK) {
            return new int[] {level(1 - c), level(1 - m), level(1 - ye), level(1 - k)};
        }
        // YCCK: the ink amounts C, M, Y taken as R, G, B and converted to YCbCr (JFIF), K inverted.
        double luma = 0.299 * c + 0.587 * m + 0.114 * ye;
        return new int[] {level(luma), level(0.5 + (ye - luma) / 1.772), level(0.5 + (c - luma) / 1.402),
                level(1 - k)};
    }

    private static int level(double unit) {
        return (int) Math.round(Math.max(0, Math.min(1, unit)) * 255);
    }
}
