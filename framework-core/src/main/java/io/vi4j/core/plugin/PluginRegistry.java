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
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The named factories of every plugin found, by kind, with where each plugin came from. Built once per
 * process (or per test) from {@link ServiceLoader} on vi4j's class path ("built in" plugins) and,
 * optionally, from outside jars, each in its own class loader ({@link #load(List, Consumer)});
 * immutable afterwards.
 */
public final class PluginRegistry {
  private static final TypeLiteral<Map<String, ComponentFactory<?, ?>>> MAP_TYPE =
      new TypeLiteral<>() {};

  /**
   * Guice logs (at INFO, with a stack trace, to standard error) every exception a module's configure()
   * throws, before it reports it in a CreationException; vi4j reports it in one line naming the jar, so
   * the log is only noise. Held here, since java.util.logging keeps loggers weakly.
   */
  private static final java.util.logging.Logger GUICE_REPORTS =
      java.util.logging.Logger.getLogger(com.google.inject.Guice.class.getName());

  static {
    GUICE_REPORTS.setLevel(java.util.logging.Level.WARNING);
  }

  private final List<LoadedPlugin> loaded;
  private final List<PluginJar> jars;
  private final Map<ComponentKind<?, ?>, Map<String, ComponentFactory<?, ?>>> factories;
  private final Map<Class<?>, String> namesBySpec = new LinkedHashMap<>();

  private PluginRegistry(List<PluginJars.Provided> sources) {
    this.loaded = List.copyOf(catalog(sources));
    this.jars = loaded.stream().map(LoadedPlugin::jar).filter(j -> j != null).distinct().toList();
    Injector injector;
    try {
      List<Module> modules = new ArrayList<>(plugins());
      modules.add(new KindsModule());
      injector = Guice.createInjector(Stage.PRODUCTION, modules);
    } catch (CreationException e) {
      throw new PluginException("plugins could not be wired: " + guiceProblem(e), e);
    }
    Map<ComponentKind<?, ?>, Map<String, ComponentFactory<?, ?>>> byKind = new LinkedHashMap<>();
    for (ComponentKind<?, ?> kind : ComponentKind.all()) {
      Map<String, ComponentFactory<?, ?>> map =
          injector.getInstance(Key.get(MAP_TYPE, Names.named(kind.name())));
      for (var entry : map.entrySet()) {
        Class<?> spec = entry.getValue().specType();
        if (!kind.specType().isAssignableFrom(spec)) {
          throw new PluginException(
              prefix(spec) + "the " + kind.name() + " '" + entry.getKey() + "' has spec " + spec.getName()
                  + ", which does not implement " + kind.specType().getName());
        }
        String previous = namesBySpec.putIfAbsent(spec, entry.getKey());
        if (previous != null) {
          throw new PluginException(
              prefix(spec) + "spec class " + spec.getName() + " is registered under two names, '" + previous
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
    return new PluginRegistry(builtIn(loader));
  }

  /**
   * The plugins on the class path (as {@link #load()}) and those of outside jars. Each jar is read in its
   * own class loader, whose parent is vi4j's: a plugin sees the vi4j API, the kit and their libraries
   * (DJL, Guice, Jackson) as the running vi4j has them, and its own classes; anything else it needs must
   * be inside its jar (shaded).
   *
   * @param jarsAndFolders plugin jars, and folders whose {@code *.jar} files (not in subfolders, sorted by
   *     name) are plugin jars; a jar named twice loads once
   * @param warnings hears what is odd but not wrong (a folder without jars)
   * @throws PluginException whose message starts with the jar at fault ({@code JAR: CAUSE}): a path that
   *     does not exist, a file that is not a jar, a jar without a services file, a listed class that is
   *     missing, is not a plugin or cannot be created, a plugin built against another vi4j API, or two
   *     plugins registering one name of one kind (naming both jars)
   */
  public static PluginRegistry load(List<Path> jarsAndFolders, Consumer<String> warnings) {
    List<PluginJars.Provided> sources = builtIn(Thread.currentThread().getContextClassLoader());
    ClassLoader parent = PluginRegistry.class.getClassLoader();
    for (Path jar : PluginJars.expand(jarsAndFolders, warnings)) {
      sources.addAll(PluginJars.open(jar, parent));
    }
    return new PluginRegistry(sources);
  }

  /** @return a registry of exactly these plugins, all counted as built in (tests, embedding). */
  public static PluginRegistry of(List<? extends Vi4jPlugin> plugins) {
    return new PluginRegistry(plugins.stream().map(p -> new PluginJars.Provided(p, null))
        .collect(Collectors.toCollection(ArrayList::new)));
  }

  private static List<PluginJars.Provided> builtIn(ClassLoader loader) {
    List<PluginJars.Provided> found = new ArrayList<>();
    ServiceLoader.load(Vi4jPlugin.class, loader).forEach(p -> found.add(new PluginJars.Provided(p, null)));
    return found;
  }

  /** @return the plugins, in the order found (built in first, then the outside jars' in order). */
  public List<Vi4jPlugin> plugins() {
    return loaded.stream().map(LoadedPlugin::plugin).toList();
  }

  /** @return every plugin with where it came from and the names it registers, in the order found. */
  public List<LoadedPlugin> loaded() {
    return loaded;
  }

  /** @return the outside jars loaded, in the order loaded (none for a registry of the class path alone). */
  public List<PluginJar> jars() {
    return jars;
  }

  /**
   * The outside jars a config depends on: those whose classes appear in it (a component's spec from a
   * jar, or anything from a jar nested in one). Records, collections and map values are searched.
   *
   * @param config a resolved config, such as an {@code ExperimentSpec}
   * @return the jars, each once, in the order first met
   */
  public List<PluginJar> jarsUsedBy(Object config) {
    Set<PluginJar> used = new LinkedHashSet<>();
    collectJars(config, used, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()), 0);
    return List.copyOf(used);
  }

  private static void collectJars(Object value, Set<PluginJar> used, Set<Object> seen, int depth) {
    if (value == null || depth > 64 || !seen.add(value)) {
      return;
    }
    PluginJar jar = PluginClassLoader.jarOf(value.getClass());
    if (jar != null) {
      used.add(jar);
    }
    if (value.getClass().isRecord()) {
      for (RecordComponent component : value.getClass().getRecordComponents()) {
        Object part;
        try {
          var accessor = component.getAccessor();
          accessor.setAccessible(true);
          part = accessor.invoke(value);
        } catch (ReflectiveOperationException | RuntimeException e) {
          continue; // an accessor that cannot be read has nothing to add
        }
        collectJars(part, used, seen, depth + 1);
      }
    } else if (value instanceof Collection<?> values) {
      values.forEach(v -> collectJars(v, used, seen, depth + 1));
    } else if (value instanceof Map<?, ?> map) {
      map.values().forEach(v -> collectJars(v, used, seen, depth + 1));
    }
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
    try {
      return kind.componentType().cast(factory.create(spec, context));
    } catch (LinkageError e) {
      PluginJar jar = PluginClassLoader.jarOf(spec.getClass());
      jar = jar != null ? jar : PluginClassLoader.jarOf(factory.getClass());
      if (jar == null) {
        throw e;
      }
      throw PluginJars.incompatible(jar, e);
    }
  }

  /**
   * Registers each plugin alone to list its names, so that a name claimed twice names both plugins and
   * their jars, and a plugin that cannot be wired is named with its jar.
   */
  private static List<LoadedPlugin> catalog(List<PluginJars.Provided> sources) {
    List<LoadedPlugin> catalog = new ArrayList<>();
    Map<String, LoadedPlugin> owner = new LinkedHashMap<>();
    for (PluginJars.Provided source : sources) {
      Vi4jPlugin plugin = source.plugin();
      String where = source.jar() == null ? "" : source.jar().path() + ": ";
      Map<ComponentKind<?, ?>, List<String>> names = new LinkedHashMap<>();
      try {
        Injector alone;
        try {
          alone = Guice.createInjector(Stage.DEVELOPMENT, plugin, new KindsModule());
        } catch (CreationException e) {
          LinkageError linkage = linkageCause(e);
          if (linkage != null && source.jar() != null) {
            throw PluginJars.incompatible(source.jar(), linkage);
          }
          throw new PluginException(
              where + "plugin " + plugin.getClass().getName() + " could not be wired: " + guiceProblem(e), e);
        }
        for (ComponentKind<?, ?> kind : ComponentKind.all()) {
          var key = Key.get(MAP_TYPE, Names.named(kind.name()));
          Map<String, ComponentFactory<?, ?>> map =
              alone.getExistingBinding(key) == null ? Map.of() : alone.getInstance(key);
          for (var entry : map.entrySet()) {
            entry.getValue().specType(); // a factory that does not link fails here, naming its jar
          }
          names.put(kind, List.copyOf(new TreeMap<>(map).keySet()));
        }
      } catch (LinkageError e) {
        if (source.jar() == null) {
          throw e;
        }
        throw PluginJars.incompatible(source.jar(), e);
      }
      LoadedPlugin described = new LoadedPlugin(plugin, source.jar(), names);
      for (var entry : names.entrySet()) {
        for (String name : entry.getValue()) {
          String key = entry.getKey().name() + " '" + name + "'";
          LoadedPlugin previous = owner.putIfAbsent(key, described);
          if (previous != null) {
            throw new PluginException(
                "two plugins register the " + key + ": " + previous.describe() + " and " + described.describe()
                    + "; remove one of the jars or rename one component");
          }
        }
      }
      catalog.add(described);
    }
    return catalog;
  }

  /** @return the first linkage error among Guice's reasons, or null */
  private static LinkageError linkageCause(CreationException e) {
    for (var message : e.getErrorMessages()) {
      for (Throwable cause = message.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof LinkageError linkage) {
          return linkage;
        }
      }
    }
    return null;
  }

  /** @return Guice's first reason, shortly: what a plugin's module threw, or Guice's own message */
  private static String guiceProblem(CreationException e) {
    var messages = e.getErrorMessages();
    if (messages.isEmpty()) {
      return e.getMessage();
    }
    var first = messages.iterator().next();
    String reason = first.getCause() != null
        ? "its configure() threw " + PluginJars.describe(first.getCause())
        : first.getMessage();
    return reason + (messages.size() > 1 ? " (and " + (messages.size() - 1) + " more problems)" : "");
  }

  /** @return {@code JAR: } when {@code type} comes from an outside jar, else nothing */
  private static String prefix(Class<?> type) {
    PluginJar jar = PluginClassLoader.jarOf(type);
    return jar == null ? "" : jar.path() + ": ";
  }

  /** Declares every kind's map, so that a kind no plugin fills is an empty map, not a missing binding. */
  private static final class KindsModule extends Vi4jPlugin {
    @Override
    protected void configure() {
      ComponentKind.all().forEach(this::mapBinder);
    }
  }
}
