package io.vi4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vi4j.core.config.ConfigException;
import io.vi4j.core.plugin.PluginException;
import io.vi4j.core.run.ModelAssembler.IncompatibleAssemblyException;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputExceptionTest {

  @Test
  void everyKindOfBadInputIsOnePrintableLine() {
    IllegalStateException cause = new IllegalStateException("inner");
    List<InputException> all = List.of(
        new ConfigException("a.yaml: bad\nvalue \u001b[31m"),
        new ConfigException("a.yaml: bad\nvalue \u001b[31m", cause),
        new PluginException("a.yaml: bad\nvalue \u001b[31m"),
        new PluginException("a.yaml: bad\nvalue \u001b[31m", cause),
        new IncompatibleAssemblyException("a.yaml: bad\nvalue \u001b[31m"));
    for (InputException e : all) {
      assertThat(e.getMessage()).isEqualTo("a.yaml: bad; value \\x1B[31m");
    }
    assertThat(all.get(1).getCause()).isSameAs(cause);
    assertThat(all.get(3).getCause()).isSameAs(cause);
  }
}
