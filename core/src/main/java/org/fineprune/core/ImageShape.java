package org.fineprune.core;

/**
 * The shape of one image in CHW order: {@code channels} planes of {@code height} rows by {@code
 * width} columns, stored plane after plane, row-major within a plane.
 *
 * @param channels number of colour planes, 1 for grey-scale and 3 for RGB
 * @param height rows per plane
 * @param width columns per row
 */
public record ImageShape(int channels, int height, int width) {
    /** Fashion-MNIST's grey-scale 1x28x28 images. */
    public static final ImageShape FASHION_MNIST = new ImageShape(1, 28, 28);
    /** The lab's DeepID faces, 3x55x47 RGB. */
    public static final ImageShape DEEPID = new ImageShape(3, 55, 47);

    /** Validates that every dimension is positive and one image fits a Java array. */
    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("channels, height and width must be positive, got "
                    + channels + "x" + height + "x" + width);
        }
        long size = (long) channels * height * width;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an image of " + channels + "x" + height + "x"
                    + width + " values is too large for one float array");
        }
    }

    /** The number of values of one image, {@code channels * height * width}. */
    public int size() {
        return channels * height * width;
    }

    /** The number of values of one plane, {@code height * width}. */
    public int planeSize() {
        return height * width;
    }

    /**
     * The number of images in {@code batch}, images of this shape stored one after another.
     *
     * @throws IllegalArgumentException if the batch's length is not a multiple of {@link #size()}
     */
    public int count(float[] batch) {
        if (batch == null) {
            throw new IllegalArgumentException("batch must not be null");
        }
        if (batch.length % size() != 0) {
            throw new IllegalArgumentException("a batch of " + batch.length
                    + " values is not a whole number of " + this + " images of " + size()
                    + " values");
        }
        return batch.length / size();
    }

    /** The shape as {@code CxHxW}, such as {@code 3x55x47}. */
    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
