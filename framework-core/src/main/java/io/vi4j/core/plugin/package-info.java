/**
 * Finding plugins — on the class path with {@link java.util.ServiceLoader} ("built in") and in outside jars,
 * each in its own class loader ({@link io.vi4j.core.plugin.PluginRegistry#load(java.util.List,
 * java.util.function.Consumer)}) — wiring them with Guice, and registering their spec classes with Jackson
 * under their names.
 */
package io.vi4j.core.plugin;
