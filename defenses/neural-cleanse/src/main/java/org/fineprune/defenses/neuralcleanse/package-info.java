/**
 * Neural Cleanse (Wang et al., S&amp;P 2019) as a defense module: trigger reverse engineering, the
 * MAD anomaly index over classes, and unlearning; see {@link
 * org.fineprune.defenses.neuralcleanse.NeuralCleanse}.
 */
package org.fineprune.defenses.neuralcleanse;
