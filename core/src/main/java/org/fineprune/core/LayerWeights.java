package org.fineprune.core;

/**
 * The kernel and bias of one layer in Keras layout, flattened in row-major order.
 *
 * @param spec the layer and its shapes
 * @param kernel the kernel, (kh, kw, in, out) for a convolution and (in, out) for a dense layer
 * @param bias one value per output
 */
public record LayerWeights(LayerSpec spec, float[] kernel, float[] bias) {}
