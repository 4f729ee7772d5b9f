package io.vi4j.api.plugin;

/** The config of a data source; its {@code type} field picks the factory. */
public interface DataSpec extends ComponentSpec {}
