package io.vi4j.core.plugin;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * The class loader of one outside plugin jar: it asks vi4j's own class loader first (so the plugin shares
 * the API, the kit, DJL, Guice and Jackson with the running vi4j), then the jar. It knows its jar, so that
 * anything loaded from it can be traced back to the jar (a run records the jars its config uses).
 */
final class PluginClassLoader extends URLClassLoader {
  static {
    ClassLoader.registerAsParallelCapable();
  }

  private final PluginJar jar;

  PluginClassLoader(PluginJar jar, URL url, ClassLoader parent) {
    super("vi4j-plugin:" + jar.fileName(), new URL[] {url}, parent);
    this.jar = jar;
  }

  /** @return the jar this loader reads */
  PluginJar jar() {
    return jar;
  }

  /** @return the jar that defined {@code type}, or null when it came from vi4j's class path */
  static PluginJar jarOf(Class<?> type) {
    return type.getClassLoader() instanceof PluginClassLoader loader ? loader.jar : null;
  }
}
