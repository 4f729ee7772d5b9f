package io.vi4j.api.plugin;

/**
 * The config of a density model trained by maximum likelihood with the trainer (an autoregressive model
 * such as MADE), given as a config's {@code density} section instead of {@code model} and
 * {@code estimator}; its {@code type} picks the factory.
 */
public interface DensitySpec extends ComponentSpec {}
