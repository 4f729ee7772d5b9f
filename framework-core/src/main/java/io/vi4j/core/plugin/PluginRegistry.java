package io.vi4j.core.plugin;

import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import com.google.inject.name.Names;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentFactory;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.ComponentSpec;
import io.vi4j.api.plugin.Vi4jPlugin;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The named factories of every plugin found, by kind. Built once per process (or per test) from
 * {@link ServiceLoader}; immutable afterwards.
 */
public final class PluginRegistry {
  private static final TypeLiteral<Map<String, ComponentFactory<?, ?>>> MAP_TYPE =
      new TypeLiteral<>() {};

  private final List<Vi4jPlugin> plugins;
  private final Map<ComponentKind<?, ?>, Map<String, ComponentFactory<?, ?>>> factories;
  private final Map<Class<?>, String> namesBySpec = new LinkedHashMap<>();

  private PluginRegistry(List<Vi4jPlugin> plugins) {
    this.plugins = List.copyOf(plugins);
    checkNoDuplicateNames(plugins);
    Injector injector;
    try {
      List<Module> modules = new ArrayList<>(plugins);
      modules.add(new KindsModule());
      injector = Guice.createInjector(Stage.PRODUCTION, modules);
    } catch (CreationException e) {
      throw new PluginException("plugins could not be wired: " + e.getMessage(), e);
    }
    Map<ComponentKind<?, ?>, Map<String, ComponentFactory<?, ?>>> byKind = new LinkedHashMap<>();
    for (ComponentKind<?, ?> kind : ComponentKind.all()) {
      Map<String, ComponentFactory<?, ?>> map =
          injector.getInstance(Key.get(MAP_TYPE, Names.named(kind.name())));
      for (var entry : map.entrySet()) {
        Class<?> spec = entry.getValue().specType();
        if (!kind.specType().isAssignableFrom(spec)) {
          throw new PluginException(
              "the " + kind.name() + " '" + entry.getKey() + "' has spec " + spec.getName()
                  + ", which does not implement " + kind.specType().getName());
        }
        String previous = namesBySpec.putIfAbsent(spec, entry.getKey());
        if (previous != null) {
          throw new PluginException(
              "spec class " + spec.getName() + " is registered under two names, '" + previous
                  + "' and '" + entry.getKey() + "'; give each name its own spec class");
        }
      }
      byKind.put(kind, Collections.unmodifiableMap(new TreeMap<>(map)));
    }
    this.factories = Collections.unmodifiableMap(byKind);
  }

  /** @return the registry of every plugin listed in a {@code META-INF/services} file on the class path. */
  public static PluginRegistry load() {
    return load(Thread.currentThread().getContextClassLoader());
  }

  /** @return the registry of every plugin visible to {@code loader}. */
  public static PluginRegistry load(ClassLoader loader) {
    List<Vi4jPlugin> found = new ArrayList<>();
    ServiceLoader.load(Vi4jPlugin.class, loader).forEach(found::add);
    return new PluginRegistry(found);
  }

  /** @return a registry of exactly these plugins (tests, embedding). */
  public static PluginRegistry of(List<? extends Vi4jPlugin> plugins) {
    return new PluginRegistry(new ArrayList<>(plugins));
  }

  /** @return the plugins, in the order found. */
  public List<Vi4jPlugin> plugins() {
    return plugins;
  }

  /** @return the registered names of a kind, sorted. */
  public List<String> names(ComponentKind<?, ?> kind) {
    return List.copyOf(factories.get(kind).keySet());
  }

  /** @return every (spec class, name) pair, for registering the names with Jackson. */
  public List<NamedType> namedSpecTypes() {
    return namesBySpec.entrySet().stream()
        .map(e -> new NamedType(e.getKey(), e.getValue()))
        .collect(Collectors.toList());
  }

  /** @return the name a spec's class is registered under. */
  public String nameOf(ComponentSpec spec) {
    String name = namesBySpec.get(spec.getClass());
    if (name == null) {
      throw new PluginException("no plugin registers spec class " + spec.getClass().getName());
    }
    return name;
  }

  /** @return the kind whose spec interface is exactly {@code specInterface}, if any. */
  public static ComponentKind<?, ?> kindOfSpecInterface(Class<?> specInterface) {
    return ComponentKind.all().stream()
        .filter(k -> k.specType().equals(specInterface))
        .findFirst()
        .orElse(null);
  }

  /**
   * Builds the component a spec describes, with the factory registered for the spec's class.
   *
   * @throws PluginException when no factory of this kind reads that spec class
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public <S extends ComponentSpec, C> C create(ComponentKind<S, C> kind, S spec, BuildContext context) {
    String name = nameOf(spec);
    ComponentFactory factory = factories.get(kind).get(name);
    if (factory == null) {
      throw new PluginException(
          "'" + name + "' is not a " + kind.name() + "; known " + kind.name() + " types: "
              + String.join(", ", names(kind)));
    }
    return kind.componentType().cast(factory.create(spec, context));
  }

  /** Registers each plugin alone to list its names, so that a name claimed twice names both plugins. */
  private static void checkNoDuplicateNames(List<Vi4jPlugin> plugins) {
    Map<String, String> owner = new LinkedHashMap<>();
    for (Vi4jPlugin plugin : plugins) {
      Injector alone;
      try {
        alone = Guice.createInjector(Stage.DEVELOPMENT, plugin, new KindsModule());
      } catch (CreationException e) {
        throw new PluginException(
            "plugin " + plugin.getClass().getName() + " could not be wired: " + e.getMessage(), e);
      }
      for (ComponentKind<?, ?> kind : ComponentKind.all()) {
        var binding = alone.getExistingBinding(Key.get(MAP_TYPE, Names.named(kind.name())));
        if (binding == null) {
          continue;
        }
        for (String name : alone.getInstance(Key.get(MAP_TYPE, Names.named(kind.name()))).keySet()) {
          String key = kind.name() + " '" + name + "'";
          String previous = owner.putIfAbsent(key, plugin.getClass().getName());
          if (previous != null) {
            throw new PluginException(
                "two plugins register the " + key + ": " + previous + " and "
                    + plugin.getClass().getName() + "; remove one of the jars or rename one component");
          }
        }
      }
    }
  }

  /** Declares every kind's map, so that a kind no plugin fills is an empty map, not a missing binding. */
  private static final class KindsModule extends Vi4jPlugin {
    @Override
    protected void configure() {
      ComponentKind.all().forEach(this::mapBinder);
    }
  }
}
