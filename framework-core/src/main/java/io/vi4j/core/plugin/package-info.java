/**
 * Finding plugins ({@link java.util.ServiceLoader}), wiring them with Guice, and registering their spec
 * classes with Jackson under their names.
 */
package io.vi4j.core.plugin;
