/**
 * Experiment configs: YAML or JSON read with Jackson into immutable specs, {@code --set} overrides, and
 * errors that name the field, its path in the file and what is accepted.
 */
package io.vi4j.core.config;
