package io.vi4j.core.plugin;

import io.vi4j.api.plugin.Vi4jPlugin;
import io.vi4j.core.io.IoErrors;
import io.vi4j.core.io.Printable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;

/**
 * Loads plugins from jars outside vi4j's class path: finds the jars (a folder gives its {@code *.jar}
 * files, sorted by name), reads each jar's services file itself (not through {@link java.util.ServiceLoader},
 * which would also see vi4j's own plugins through the parent loader and could not say which jar is at
 * fault) and creates each plugin named there in the jar's own {@link PluginClassLoader}. Every failure is a
 * {@link PluginException} whose message starts with the jar: {@code JAR: CAUSE}.
 */
final class PluginJars {
  /** The services file that lists a jar's plugins. */
  static final String SERVICES = "META-INF/services/" + Vi4jPlugin.class.getName();

  /** The longest services file read (a list of class names). */
  private static final int MAX_SERVICES_BYTES = 1 << 20;

  private PluginJars() {}

  /** A plugin created from an outside jar. */
  record Provided(Vi4jPlugin plugin, PluginJar jar) {}

  /**
   * @param entries jars and folders of jars, in the order given
   * @param warnings hears about a folder without jars
   * @return the jars, folders expanded (non-recursively, {@code *.jar} only, sorted by name), each jar once
   *     (a jar given twice, or both alone and through its folder, loads once)
   * @throws PluginException when an entry does not exist or a folder cannot be listed
   */
  static List<Path> expand(List<Path> entries, Consumer<String> warnings) {
    List<Path> jars = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    for (Path entry : entries) {
      if (entry.toString().isEmpty()) {
        throw new PluginException("an empty path names no plugin jar or folder");
      }
      if (Files.isDirectory(entry)) {
        List<Path> found;
        try (Stream<Path> list = Files.list(entry)) {
          found = list
              .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar"))
              .filter(Files::isRegularFile)
              .sorted(Comparator.comparing(p -> p.getFileName().toString()))
              .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
          throw new PluginException(entry + ": cannot list the plugin folder (" + IoErrors.reason(e) + ")", e);
        }
        if (found.isEmpty()) {
          warnings.accept(entry + ": no *.jar files in this plugin folder; no plugins loaded from it");
        }
        for (Path jar : found) {
          addOnce(jar, jars, seen);
        }
      } else if (Files.exists(entry)) {
        addOnce(entry, jars, seen);
      } else {
        throw new PluginException(entry + ": no such plugin jar or folder");
      }
    }
    return jars;
  }

  private static void addOnce(Path jar, List<Path> jars, Set<Path> seen) {
    Path key;
    try {
      key = jar.toRealPath();
    } catch (IOException e) {
      key = jar.toAbsolutePath().normalize();
    }
    if (seen.add(key)) {
      jars.add(jar);
    }
  }

  /**
   * Creates the plugins one jar lists, in its own class loader whose parent is {@code parent}.
   *
   * @throws PluginException naming the jar: not a jar, no services file, a listed class missing or not a
   *     plugin, a plugin that cannot be created, or one built against another vi4j API
   */
  static List<Provided> open(Path path, ClassLoader parent) {
    if (!Files.isRegularFile(path)) {
      throw new PluginException(path + ": not a plugin jar (not a regular file)");
    }
    List<String> classNames;
    String sha256;
    try (JarFile file = new JarFile(path.toFile(), false)) {
      ZipEntry services = file.getEntry(SERVICES);
      if (services == null) {
        throw new PluginException(path + ": not a vi4j plugin jar: it has no " + SERVICES);
      }
      try (InputStream in = file.getInputStream(services)) {
        classNames = classNames(path, in.readNBytes(MAX_SERVICES_BYTES + 1));
      }
    } catch (ZipException e) {
      throw new PluginException(path + ": not a jar (zip) file (" + IoErrors.reason(e) + ")", e);
    } catch (IOException e) {
      throw new PluginException(path + ": cannot be read (" + IoErrors.reason(e) + ")", e);
    }
    try {
      sha256 = sha256(path);
    } catch (IOException e) {
      throw new PluginException(path + ": cannot be read (" + IoErrors.reason(e) + ")", e);
    }
    PluginJar jar = new PluginJar(path, sha256);
    PluginClassLoader loader;
    try {
      loader = new PluginClassLoader(jar, path.toUri().toURL(), parent);
    } catch (java.net.MalformedURLException e) {
      throw new PluginException(path + ": cannot be loaded (" + e.getMessage() + ")", e);
    }
    List<Provided> provided = new ArrayList<>();
    for (String name : classNames) {
      provided.add(new Provided(create(jar, loader, name), jar));
    }
    return provided;
  }

  /** Parses a services file: one class name a line; {@code #} starts a comment; blank lines are skipped. */
  private static List<String> classNames(Path path, byte[] bytes) {
    if (bytes.length > MAX_SERVICES_BYTES) {
      throw new PluginException(path + ": " + SERVICES + " is over " + MAX_SERVICES_BYTES + " bytes; it should"
          + " list plugin class names");
    }
    List<String> names = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        new java.io.ByteArrayInputStream(bytes),
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)))) {
      int number = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        number++;
        int hash = line.indexOf('#');
        String name = (hash >= 0 ? line.substring(0, hash) : line).strip();
        if (name.isEmpty()) {
          continue;
        }
        if (!isClassName(name)) {
          throw new PluginException(path + ": " + SERVICES + " line " + number + ": " + Printable.quote(name)
              + " is not a class name");
        }
        if (!names.contains(name)) {
          names.add(name);
        }
      }
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new PluginException(path + ": " + SERVICES + " is not UTF-8 text", e);
    } catch (IOException e) {
      throw new PluginException(path + ": " + SERVICES + " cannot be read (" + IoErrors.reason(e) + ")", e);
    }
    if (names.isEmpty()) {
      throw new PluginException(path + ": " + SERVICES + " names no plugin class");
    }
    return names;
  }

  private static boolean isClassName(String name) {
    for (String part : name.split("\\.", -1)) {
      if (part.isEmpty() || !Character.isJavaIdentifierStart(part.codePointAt(0))
          || !part.codePoints().allMatch(Character::isJavaIdentifierPart)) {
        return false;
      }
    }
    return true;
  }

  private static Vi4jPlugin create(PluginJar jar, ClassLoader loader, String name) {
    Path path = jar.path();
    try {
      Class<?> type;
      try {
        type = Class.forName(name, false, loader);
      } catch (ClassNotFoundException e) {
        throw new PluginException(path + ": " + SERVICES + " names " + name + ", which is not in the jar");
      }
      if (!Vi4jPlugin.class.isAssignableFrom(type)) {
        throw new PluginException(path + ": " + name + " is not a vi4j plugin (it does not extend "
            + Vi4jPlugin.class.getName() + ")");
      }
      if (Modifier.isAbstract(type.getModifiers())) {
        throw new PluginException(path + ": " + name + " is abstract; the services file must name a concrete"
            + " plugin class");
      }
      java.lang.reflect.Constructor<?> constructor;
      try {
        constructor = type.getConstructor();
      } catch (NoSuchMethodException e) {
        throw new PluginException(path + ": " + name + " has no public constructor without arguments, which a"
            + " plugin needs");
      }
      try {
        return (Vi4jPlugin) constructor.newInstance();
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof LinkageError linkage && !(cause instanceof ExceptionInInitializerError)) {
          throw linkage;
        }
        throw new PluginException(path + ": the constructor of " + name + " failed: " + describe(cause), cause);
      } catch (IllegalAccessException | InstantiationException e) {
        throw new PluginException(path + ": " + name + " cannot be created (" + e.getMessage() + ")", e);
      }
    } catch (ExceptionInInitializerError e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new PluginException(path + ": the static initializer of " + name + " failed: " + describe(cause), cause);
    } catch (LinkageError e) {
      throw incompatible(jar, e);
    }
  }

  /**
   * @return the error of a class in {@code jar} that does not link against this vi4j: built against
   *     another vi4j API, or compiled for a newer Java
   */
  static PluginException incompatible(PluginJar jar, LinkageError e) {
    if (e instanceof UnsupportedClassVersionError) {
      return new PluginException(jar.path() + ": compiled for a newer Java than this one (Java "
          + java.lang.Runtime.version().feature() + "): " + describe(e), e);
    }
    if (e instanceof ClassFormatError) {
      return new PluginException(jar.path() + ": a class in the jar is damaged (" + describe(e) + ")", e);
    }
    if (e instanceof ExceptionInInitializerError) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new PluginException(jar.path() + ": a static initializer failed: " + describe(cause), cause);
    }
    if (e instanceof NoClassDefFoundError && e.getMessage() != null && !e.getMessage().contains(" ")
        && !e.getMessage().startsWith("io/vi4j/")) {
      // A class outside vi4j's API: a dependency of the plugin that its jar does not carry.
      return new PluginException(jar.path() + ": needs class " + e.getMessage().replace('/', '.') + ", which is"
          + " neither in the jar nor in vi4j; shade the plugin's dependencies into its jar (" + describe(e) + ")", e);
    }
    return new PluginException(jar.path() + ": built against another vi4j API (" + describe(e) + ")", e);
  }

  /** @return {@code CLASS: MESSAGE}, or the class alone */
  static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getName() : e.getClass().getName() + ": " + e.getMessage();
  }

  /** @return the SHA-256 of a file, lower-case hex */
  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
