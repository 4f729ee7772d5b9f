/** Diagnostics of trained models: the variance and signal-to-noise ratio of gradient estimators. */
package io.vi4j.core.diagnostics;
