package io.vi4j.core.testing;

import java.nio.file.Path;
import java.util.Map;

/**
 * Plugin classes that are on no class path, compiled in the test (with {@link PluginJarBuilder}) to build
 * outside jars: a good plugin, a rival claiming its name, and one of each kind of broken plugin.
 */
public final class OutsidePlugins {
  private OutsidePlugins() {}

  /** Their package. */
  public static final String PACKAGE = "com.outside.vi4j";
  /** Registers the prior {@value #PRIOR_NAME} (spec {@link #SPEC}). */
  public static final String GOOD = PACKAGE + ".OutsidePlugin";
  /** Registers the prior {@value #PRIOR_NAME} too. */
  public static final String RIVAL = PACKAGE + ".RivalPlugin";
  /** The good plugin's spec: a record with one {@code Double scale}. */
  public static final String SPEC = PACKAGE + ".OutsidePriorSpec";
  /** The good plugin's prior name. */
  public static final String PRIOR_NAME = "outside-prior";
  /** Registers the prior {@code second-prior}: a second good plugin, for folders of jars. */
  public static final String SECOND = PACKAGE + ".SecondPlugin";
  /** Registers the data source {@code sprites}, which the core's built-in data plugin registers. */
  public static final String BUILT_IN_CLASH = PACKAGE + ".SpritesClashPlugin";
  /** A class that does not extend {@code Vi4jPlugin}. */
  public static final String NOT_A_PLUGIN = PACKAGE + ".NotAPlugin";
  /** A plugin whose constructor throws {@code IllegalStateException("no licence found")}. */
  public static final String THROWING_CONSTRUCTOR = PACKAGE + ".ThrowingConstructorPlugin";
  /** A plugin whose {@code configure()} throws {@code IllegalStateException("bad wiring")}. */
  public static final String THROWING_CONFIGURE = PACKAGE + ".ThrowingConfigurePlugin";
  /**
   * A plugin compiled against an API class, {@link #GONE}, that this vi4j does not have: it fails with a
   * {@code NoClassDefFoundError} when configured.
   */
  public static final String OLD_API = PACKAGE + ".OldApiPlugin";
  /**
   * A plugin that needs a library class, {@link #LIBRARY}, that is neither in its jar nor in vi4j (a
   * dependency that was not shaded into the jar).
   */
  public static final String MISSING_DEPENDENCY = PACKAGE + ".NeedsLibraryPlugin";
  /** The library class {@link #MISSING_DEPENDENCY} needs; left out of every jar. */
  public static final String LIBRARY = "com.acme.lib.Helper";
  /** The API class {@link #OLD_API} was compiled against; left out of every jar. */
  public static final String GONE = "io.vi4j.api.plugin.GoneInThisVersion";

  private static final Map<String, String> SOURCES = Map.ofEntries(
      Map.entry(SECOND, """
          package com.outside.vi4j;
          import io.vi4j.api.plugin.*;
          public final class SecondPlugin extends Vi4jPlugin {
            public record SecondSpec() implements PriorSpec {}
            @Override protected void configure() {
              register(ComponentKind.PRIOR, "second-prior",
                  ComponentFactory.<SecondSpec, io.vi4j.api.model.Prior>of(SecondSpec.class, (spec, context) -> null));
            }
          }
          """),
      Map.entry(BUILT_IN_CLASH, """
          package com.outside.vi4j;
          import io.vi4j.api.plugin.*;
          public final class SpritesClashPlugin extends Vi4jPlugin {
            public record OwnSpritesSpec() implements DataSpec {}
            @Override protected void configure() {
              register(ComponentKind.DATA, "sprites",
                  ComponentFactory.<OwnSpritesSpec, io.vi4j.api.data.DataSource>of(OwnSpritesSpec.class, (spec, context) -> null));
            }
          }
          """),
      Map.entry(GOOD, """
          package com.outside.vi4j;
          import io.vi4j.api.plugin.*;
          public final class OutsidePlugin extends Vi4jPlugin {
            @Override protected void configure() {
              register(ComponentKind.PRIOR, "outside-prior",
                  ComponentFactory.<OutsidePriorSpec, io.vi4j.api.model.Prior>of(OutsidePriorSpec.class, (spec, context) -> {
                    throw new UnsupportedOperationException("not built in tests");
                  }));
            }
          }
          """),
      Map.entry(SPEC, """
          package com.outside.vi4j;
          public record OutsidePriorSpec(Double scale) implements io.vi4j.api.plugin.PriorSpec {}
          """),
      Map.entry(RIVAL, """
          package com.outside.vi4j;
          import io.vi4j.api.plugin.*;
          public final class RivalPlugin extends Vi4jPlugin {
            public record RivalSpec() implements PriorSpec {}
            @Override protected void configure() {
              register(ComponentKind.PRIOR, "outside-prior",
                  ComponentFactory.<RivalSpec, io.vi4j.api.model.Prior>of(RivalSpec.class, (spec, context) -> null));
            }
          }
          """),
      Map.entry(NOT_A_PLUGIN, """
          package com.outside.vi4j;
          public final class NotAPlugin {}
          """),
      Map.entry(THROWING_CONSTRUCTOR, """
          package com.outside.vi4j;
          public final class ThrowingConstructorPlugin extends io.vi4j.api.plugin.Vi4jPlugin {
            public ThrowingConstructorPlugin() { throw new IllegalStateException("no licence found"); }
            @Override protected void configure() {}
          }
          """),
      Map.entry(THROWING_CONFIGURE, """
          package com.outside.vi4j;
          public final class ThrowingConfigurePlugin extends io.vi4j.api.plugin.Vi4jPlugin {
            @Override protected void configure() { throw new IllegalStateException("bad wiring"); }
          }
          """),
      Map.entry(OLD_API, """
          package com.outside.vi4j;
          public final class OldApiPlugin extends io.vi4j.api.plugin.Vi4jPlugin {
            @Override protected void configure() { io.vi4j.api.plugin.GoneInThisVersion.register(binder()); }
          }
          """),
      Map.entry(MISSING_DEPENDENCY, """
          package com.outside.vi4j;
          public final class NeedsLibraryPlugin extends io.vi4j.api.plugin.Vi4jPlugin {
            @Override protected void configure() { com.acme.lib.Helper.help(); }
          }
          """),
      Map.entry(LIBRARY, """
          package com.acme.lib;
          public final class Helper {
            public static void help() {}
          }
          """),
      Map.entry(GONE, """
          package io.vi4j.api.plugin;
          public final class GoneInThisVersion {
            public static void register(com.google.inject.Binder binder) {}
          }
          """));

  /**
   * Compiles every class above (once per call) into a builder without a services file and without
   * {@link #GONE} and {@link #LIBRARY}; add {@code services(...)} and write a jar.
   *
   * @param work a folder for sources and classes
   */
  public static PluginJarBuilder compile(Path work) {
    return PluginJarBuilder.compile(work, SOURCES).without(GONE).without(LIBRARY);
  }

  /** @return {@code classFile} as a class file of a Java far newer than any that runs these tests */
  public static byte[] fromNewerJava(byte[] classFile) {
    byte[] bytes = classFile.clone();
    bytes[6] = 0;
    bytes[7] = 99; // major version 99
    return bytes;
  }
}
