/** Fixtures that other modules' tests use through the data module's test-jar: a generated lab folder and a small Fashion-MNIST folder. */
package org.fineprune.data.testing;
