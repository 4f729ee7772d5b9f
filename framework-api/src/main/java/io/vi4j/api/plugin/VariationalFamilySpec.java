package io.vi4j.api.plugin;

/** The config of a variational family (encoder); its {@code type} field picks the factory. */
public interface VariationalFamilySpec extends ComponentSpec {}
