package io.vi4j.api.plugin;

/** The config of a gradient estimator; its {@code type} field picks the factory. */
public interface EstimatorSpec extends ComponentSpec {}
