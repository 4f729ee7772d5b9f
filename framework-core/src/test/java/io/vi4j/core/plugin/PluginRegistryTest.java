package io.vi4j.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.core.data.CoreDataPlugin;
import io.vi4j.core.testing.TestPlugins;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginRegistryTest {

  @Test
  void namesAreListedByKind() {
    PluginRegistry registry = PluginRegistry.of(List.of(new TestPlugins.Alpha(), new CoreDataPlugin()));
    assertThat(registry.names(ComponentKind.PRIOR)).containsExactly("wide-prior");
    assertThat(registry.names(ComponentKind.DATA)).contains("sprites", "fashion-mnist", "idx", "csv");
    assertThat(registry.nameOf(new TestPlugins.WidePriorSpec(4))).isEqualTo("wide-prior");
  }

  @Test
  void twoPluginsWithOneNameFailNamingBoth() {
    assertThatThrownBy(() -> PluginRegistry.of(List.of(new TestPlugins.Alpha(), new TestPlugins.Beta())))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining("prior 'wide-prior'")
        .hasMessageContaining(TestPlugins.Alpha.class.getName())
        .hasMessageContaining(TestPlugins.Beta.class.getName());
  }

  @Test
  void serviceLoaderFindsTheCoreDataPlugin() {
    PluginRegistry registry = PluginRegistry.load();
    assertThat(registry.plugins()).anyMatch(p -> p instanceof CoreDataPlugin);
    assertThat(registry.names(ComponentKind.DATA)).contains("sprites");
  }
}
