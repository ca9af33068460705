/**
 * Fine-Pruning's pruning defense: rank a convolution's channels by mean activation on clean
 * validation data and prune the least active first (Liu, Dolan-Gavitt and Garg, "Fine-Pruning:
 * Defending Against Backdooring Attacks on Deep Neural Networks", RAID 2018).
 */
package org.fineprune.defenses.pruning;
