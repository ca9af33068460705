/**
 * Fashion-MNIST read from its IDX files (plain or gzipped), kept as unsigned bytes in memory and
 * handed out as float images or NCHW batches.
 *
 * <p>Independent of the DeepID face images of {@code org.fineprune.data}: these are 1x28x28
 * grey-scale images in ten classes.
 */
package org.fineprune.data.mnist;
