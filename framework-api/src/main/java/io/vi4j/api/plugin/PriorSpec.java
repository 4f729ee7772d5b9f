package io.vi4j.api.plugin;

/** The config of a prior; its {@code type} field picks the factory. */
public interface PriorSpec extends ComponentSpec {}
