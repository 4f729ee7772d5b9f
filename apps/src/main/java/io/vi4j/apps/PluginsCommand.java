package io.vi4j.apps;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.core.plugin.LoadedPlugin;
import io.vi4j.core.plugin.PluginRegistry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vi4j plugins [--json]}: every plugin found, where it came from, and the names it registers. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
    header = "List the plugins, built in and from outside jars, with the components each registers.",
    description = "List the plugins: those built in and those of outside jars (--plugins, VI4J_PLUGINS), each"
        + " with its jar and the component names it registers, by kind.")
final class PluginsCommand implements Callable<Integer> {
  /** How many hex digits of a jar's SHA-256 the table shows (the JSON shows all). */
  static final int SHORT_HASH = 12;

  @Option(names = "--json", description = "print JSON instead of a table")
  boolean json;

  @Spec CommandSpec command;

  @Override
  public Integer call() throws Exception {
    PluginRegistry registry = Runtime.plugins();
    PrintWriter out = command.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(asJson(registry)));
    } else {
      out.print(table(registry));
    }
    out.flush();
    return 0;
  }

  /** @return the listing as a JSON object: {@code plugins} (class, built_in, jar, sha256, components by kind) */
  static Map<String, Object> asJson(PluginRegistry registry) {
    List<Map<String, Object>> plugins = new ArrayList<>();
    for (LoadedPlugin plugin : registry.loaded()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("class", plugin.plugin().getClass().getName());
      entry.put("built_in", plugin.builtIn());
      entry.put("jar", plugin.builtIn() ? null : plugin.jar().path().toAbsolutePath().normalize().toString());
      entry.put("sha256", plugin.builtIn() ? null : plugin.jar().sha256());
      Map<String, List<String>> components = new LinkedHashMap<>();
      plugin.components().forEach((kind, names) -> components.put(jsonName(kind), names));
      entry.put("components", components);
      plugins.add(entry);
    }
    return Map.of("plugins", plugins);
  }

  /** @return the listing as a table: a line per plugin (class, source), then its names by kind, indented */
  static String table(PluginRegistry registry) {
    int width = "PLUGIN".length();
    for (LoadedPlugin plugin : registry.loaded()) {
      width = Math.max(width, plugin.plugin().getClass().getName().length());
    }
    StringBuilder text = new StringBuilder();
    text.append(String.format(Locale.ROOT, "%-" + width + "s  %s%n", "PLUGIN", "SOURCE"));
    for (LoadedPlugin plugin : registry.loaded()) {
      String source = plugin.builtIn() ? "(built in)"
          : plugin.jar().path() + " (sha256 " + plugin.jar().sha256().substring(0, SHORT_HASH) + ")";
      text.append(String.format(Locale.ROOT, "%-" + width + "s  %s%n", plugin.plugin().getClass().getName(),
          Vi4jCommand.oneLine(source)));
      boolean any = false;
      for (var entry : plugin.components().entrySet()) {
        if (!entry.getValue().isEmpty()) {
          text.append("    ").append(entry.getKey().name()).append(": ")
              .append(String.join(", ", entry.getValue())).append(System.lineSeparator());
          any = true;
        }
      }
      if (!any) {
        text.append("    (registers no components)").append(System.lineSeparator());
      }
    }
    return text.toString();
  }

  /** @return a kind's name as a JSON key: {@code variational_family} */
  static String jsonName(ComponentKind<?, ?> kind) {
    return kind.name().replace(' ', '_');
  }
}
