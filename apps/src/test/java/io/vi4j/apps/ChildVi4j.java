package io.vi4j.apps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code vi4j ARGS} in a child JVM on the test's class path, stdout and stderr together into a file in
 * the work directory ({@link Process#destroy()} closes a pipe; a file keeps what was said). For what one
 * JVM cannot show: signals, kills, and settings the engine reads once when it starts.
 *
 * @param process the running child
 * @param log the file its output goes to
 */
record ChildVi4j(Process process, Path log) {
  /** @return what the child printed so far */
  String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /**
   * @param work the child's working directory, where its log goes
   * @param jvmOptions options before the main class ({@code -Xmx}, {@code -D...})
   * @param environment variables set (a null value removes the variable)
   * @param args the command line
   */
  static ChildVi4j start(Path work, List<String> jvmOptions, Map<String, String> environment, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
        "io.vi4j.apps.Main"));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(work, "child-", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    environment.forEach((name, value) -> {
      if (value == null) {
        builder.environment().remove(name);
      } else {
        builder.environment().put(name, value);
      }
    });
    return new ChildVi4j(builder.start(), log);
  }
}
