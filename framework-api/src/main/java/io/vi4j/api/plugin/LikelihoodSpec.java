package io.vi4j.api.plugin;

/** The config of a likelihood (decoder); its {@code type} field picks the factory. */
public interface LikelihoodSpec extends ComponentSpec {}
