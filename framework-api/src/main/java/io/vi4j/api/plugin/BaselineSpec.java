package io.vi4j.api.plugin;

/** The config of a baseline model (a density fitted by closed form or EM); its {@code type} picks the factory. */
public interface BaselineSpec extends ComponentSpec {}
