/** Activation Clustering (Chen et al., 2018): a detector of poisoned training samples. */
package org.fineprune.defenses.activationclustering;
