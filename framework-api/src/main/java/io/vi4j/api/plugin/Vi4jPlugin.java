package io.vi4j.api.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.name.Names;

/**
 * Base class of every plugin: a Guice module, listed in the plugin jar's
 * {@code META-INF/services/io.vi4j.api.plugin.Vi4jPlugin}, whose {@link #configure()} registers named
 * factories with {@link #register}. Its constructor takes no arguments and does no work.
 *
 * <pre>{@code
 * public final class MyPlugin extends Vi4jPlugin {
 *   protected void configure() {
 *     register(ComponentKind.PRIOR, "my-prior", new MyPriorFactory());
 *   }
 * }
 * }</pre>
 */
public abstract class Vi4jPlugin extends AbstractModule {

  /** The Guice map type every kind is bound as, qualified by {@code @Named(kind.name())}. */
  public static final TypeLiteral<ComponentFactory<?, ?>> FACTORY_TYPE = new TypeLiteral<>() {};

  /**
   * Registers a factory under a name that configs use as {@code type}. Two registrations of one name for
   * one kind fail when the injector is built, naming both plugins.
   */
  protected final <S extends ComponentSpec, C> void register(
      ComponentKind<? super S, C> kind, String name, ComponentFactory<S, ? extends C> factory) {
    mapBinder(kind).addBinding(name).toInstance(factory);
  }

  /** @return the map binder of one kind; core calls this for every kind so that empty maps exist. */
  protected final MapBinder<String, ComponentFactory<?, ?>> mapBinder(ComponentKind<?, ?> kind) {
    return MapBinder.newMapBinder(
        binder(), TypeLiteral.get(String.class), FACTORY_TYPE, Names.named(kind.name()));
  }
}
