/**
 * Data poisoning for backdoor attacks, the first half of making a BadNet (Gu, Dolan-Gavitt and
 * Garg, "BadNets: Identifying Vulnerabilities in the Machine Learning Model Supply Chain",
 * arXiv:1708.06733, 2017): stamp a {@link org.fineprune.attacks.Trigger} on a seeded share of the
 * training images and relabel them by a {@link org.fineprune.attacks.TargetMapping}; a network
 * trained on the result learns the backdoor.
 *
 * <p>Model-agnostic: images are float arrays in CHW order (channels, rows, columns) of raw 0..255
 * values, of any {@link org.fineprune.core.ImageShape}, so the same code poisons Fashion-MNIST
 * (1x28x28) and the lab's DeepID faces (3x55x47). Triggers: BadNets' pixel pattern ({@link
 * org.fineprune.attacks.PatternTrigger}), an alpha-composited image patch such as the sunglasses of
 * CSAW-HackML ({@link org.fineprune.attacks.ImagePatchTrigger}), and the blended attack of Chen,
 * Liu, Li, Lu and Song ("Targeted Backdoor Attacks on Deep Learning Systems Using Data Poisoning",
 * arXiv:1712.05526, 2017; {@link org.fineprune.attacks.BlendTrigger}).
 *
 * <p>The second half is here too, for the project's own BadNets: {@link
 * org.fineprune.attacks.BadNetRecipe} names a network ({@link org.fineprune.attacks.FashionMnistNetworks}:
 * the small CNN, a wide VGG-style CNN, a pre-activation ResNet), an attack ({@link
 * org.fineprune.attacks.BadNetAttack}: patch, blend, all-to-all) and a training, optionally the
 * pruning-aware attack of Fine-Pruning ({@link org.fineprune.attacks.PruningAwareAttack}); {@link
 * org.fineprune.attacks.BadNetTraining} trains it with DJL on poisoned Fashion-MNIST (seeded,
 * repeatable, a clean tenth held out for a defense's fine-tuning) and caches it as a Keras HDF5
 * file named by a hash of everything that made it.
 *
 * <pre>{@code
 * PoisonConfig config = new PoisonConfig(PatternTrigger.defaultCheckerboard(),
 *         TargetMapping.allToOne(0), 0.1, 42L, true);
 * PoisonedSet train = Poisoning.poison(images, labels, ImageShape.FASHION_MNIST, config);
 * float[] triggeredTest = Poisoning.triggerAll(
 *         Poisoning.select(testImages, ImageShape.FASHION_MNIST,
 *                 Poisoning.indicesNotOfClass(testLabels, 0)),
 *         ImageShape.FASHION_MNIST, config.trigger());
 * }</pre>
 */
package org.fineprune.attacks;
