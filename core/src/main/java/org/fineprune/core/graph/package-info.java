/**
 * Networks as graphs of named layers: the layer vocabulary ({@link org.fineprune.core.graph.Layer}), the
 * checked graph with its shapes and weights ({@link org.fineprune.core.graph.LayerGraph}), and what
 * pruning a convolution means in any graph ({@link org.fineprune.core.graph.ConvUnits}).
 */
package org.fineprune.core.graph;
