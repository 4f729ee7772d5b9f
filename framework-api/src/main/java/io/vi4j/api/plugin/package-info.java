/**
 * The plugin SPI. A plugin is a Guice module ({@link io.vi4j.api.plugin.Vi4jPlugin}) found with
 * {@link java.util.ServiceLoader}; it registers named factories, one per component, each tied to a spec
 * class that a config's {@code type} field selects.
 */
package io.vi4j.api.plugin;
