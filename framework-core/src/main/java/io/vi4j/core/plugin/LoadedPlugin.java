package io.vi4j.core.plugin;

import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.Vi4jPlugin;
import java.util.List;
import java.util.Map;

/**
 * One plugin of a {@link PluginRegistry}: the module, where it came from and the names it registers.
 *
 * @param plugin the module
 * @param jar the outside jar it was loaded from; null for a plugin built in (found on vi4j's class path)
 * @param components the names it registers, sorted, by kind (every kind present, in
 *     {@link ComponentKind#all()}'s order)
 */
public record LoadedPlugin(Vi4jPlugin plugin, PluginJar jar, Map<ComponentKind<?, ?>, List<String>> components) {

  /** Copies the names. */
  public LoadedPlugin {
    components = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(components));
  }

  /** @return whether the plugin was found on vi4j's own class path */
  public boolean builtIn() {
    return jar == null;
  }

  /** @return {@code built in}, or the jar's path: where the plugin came from, for messages */
  public String source() {
    return jar == null ? "built in" : jar.path().toString();
  }

  /** @return the plugin's class name and where it came from, such as {@code com.x.P (plugins/p.jar)} */
  public String describe() {
    return plugin.getClass().getName() + " (" + source() + ")";
  }
}
