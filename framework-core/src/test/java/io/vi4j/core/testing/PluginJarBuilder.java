package io.vi4j.core.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds real plugin jars in tests: compiles Java sources with the JDK's compiler against the test's class
 * path into a work folder, then packs the classes (all, or some left out), a services file and any other
 * entries into a jar. The compiled classes are on no class path, so a plugin loaded from such a jar is
 * found through the jar alone.
 */
public final class PluginJarBuilder {
  /** The services file of a plugin jar. */
  public static final String SERVICES = "META-INF/services/io.vi4j.api.plugin.Vi4jPlugin";

  private final Map<String, byte[]> entries = new LinkedHashMap<>();

  private PluginJarBuilder(Map<String, byte[]> entries) {
    this.entries.putAll(entries);
  }

  /**
   * Compiles sources given as text.
   *
   * @param work a folder for the sources and classes (a new subfolder is used per call)
   * @param sources fully qualified class name to source text
   */
  public static PluginJarBuilder compile(Path work, Map<String, String> sources) {
    try {
      Path root = Files.createTempDirectory(Files.createDirectories(work), "plugin-src");
      List<Path> files = new ArrayList<>();
      for (var source : sources.entrySet()) {
        Path file = root.resolve(source.getKey().replace('.', '/') + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source.getValue());
        files.add(file);
      }
      return compileFiles(work, files, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Compiles a module's main sources (every {@code .java} file under {@code sources}) and takes its
   * resources (every file under {@code resources}, which may be absent) into the jar.
   */
  public static PluginJarBuilder compileTree(Path work, Path sources, Path resources) {
    try (Stream<Path> walk = Files.walk(sources)) {
      List<Path> files = walk.filter(p -> p.toString().endsWith(".java")).toList();
      return compileFiles(work, files, resources);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static PluginJarBuilder compileFiles(Path work, List<Path> files, Path resources) throws IOException {
    Path classes = Files.createTempDirectory(Files.createDirectories(work), "plugin-classes");
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw new IllegalStateException("these tests need a JDK (no system Java compiler)");
    }
    List<String> arguments = new ArrayList<>(List.of("--release", "17", "-proc:none", "-nowarn", "-encoding", "UTF-8",
        "-classpath", System.getProperty("java.class.path"), "-d", classes.toString()));
    files.forEach(f -> arguments.add(f.toString()));
    var diagnostics = new java.io.ByteArrayOutputStream();
    int status = compiler.run(null, diagnostics, diagnostics, arguments.toArray(String[]::new));
    if (status != 0) {
      throw new IllegalStateException("the plugin sources do not compile (status " + status + "): "
          + diagnostics.toString(StandardCharsets.UTF_8));
    }
    Map<String, byte[]> entries = new LinkedHashMap<>();
    addTree(classes, entries);
    if (resources != null && Files.isDirectory(resources)) {
      addTree(resources, entries);
    }
    return new PluginJarBuilder(entries);
  }

  private static void addTree(Path root, Map<String, byte[]> entries) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        entries.put(root.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
      }
    }
  }

  /** @return a copy, to build a variant of a jar */
  public PluginJarBuilder copy() {
    return new PluginJarBuilder(entries);
  }

  /** Sets the services file to these lines (class names, or anything else to test a bad file). */
  public PluginJarBuilder services(String... lines) {
    return entry(SERVICES, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Leaves a class (and its nested classes) out of the jar, as if it were missing. */
  public PluginJarBuilder without(String className) {
    String path = className.replace('.', '/');
    entries.keySet().removeIf(name -> name.equals(path + ".class") || name.startsWith(path + "$"));
    return this;
  }

  /** Adds or replaces an entry. */
  public PluginJarBuilder entry(String name, byte[] bytes) {
    entries.put(name, bytes.clone());
    return this;
  }

  /** @return an entry's bytes, or null */
  public byte[] entry(String name) {
    byte[] bytes = entries.get(name);
    return bytes == null ? null : bytes.clone();
  }

  /** Writes the jar (with a manifest) and returns its path. */
  public Path write(Path jar) {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    try {
      Files.createDirectories(jar.toAbsolutePath().getParent());
      try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
        for (var entry : entries.entrySet()) {
          JarEntry jarEntry = new JarEntry(entry.getKey());
          jarEntry.setTime(0);
          out.putNextEntry(jarEntry);
          out.write(entry.getValue());
          out.closeEntry();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return jar;
  }
}
