package io.vi4j.core.data;

import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.Vi4jPlugin;

/**
 * Registers the built-in data sources under {@link ComponentKind#DATA}: {@code idx} ({@link
 * IdxDataFactory}), {@code fashion-mnist} ({@link FashionMnistDataFactory}), {@code csv} ({@link
 * CsvDataFactory}), {@code sprites} ({@link SpritesDataFactory}) and {@code table} ({@link TableDataFactory}). Listed in {@code
 * META-INF/services/io.vi4j.api.plugin.Vi4jPlugin}.
 */
public final class CoreDataPlugin extends Vi4jPlugin {

  /** Creates the plugin; it does no work until Guice calls {@link #configure()}. */
  public CoreDataPlugin() {}

  @Override
  protected void configure() {
    register(ComponentKind.DATA, IdxDataFactory.NAME, new IdxDataFactory());
    register(ComponentKind.DATA, FashionMnistDataFactory.NAME, new FashionMnistDataFactory());
    register(ComponentKind.DATA, CsvDataFactory.NAME, new CsvDataFactory());
    register(ComponentKind.DATA, SpritesDataFactory.NAME, new SpritesDataFactory());
    register(ComponentKind.DATA, TableDataFactory.NAME, new TableDataFactory());
  }
}
