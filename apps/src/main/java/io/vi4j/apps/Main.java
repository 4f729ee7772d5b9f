package io.vi4j.apps;

import picocli.CommandLine;

/** Entry point of the {@code vi4j} launcher. */
public final class Main {
  private Main() {}

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    int status;
    try {
      status = Vi4jCommand.commandLine().execute(args);
    } catch (OutOfMemoryError e) {
      // Errors pass picocli's handler; the heap is too small for what was asked (sizes vi4j can check
      // before allocating are checked, naming the setting, so this is the rest).
      System.err.println("vi4j: error: out of memory: the Java heap (" + java.lang.Runtime.getRuntime().maxMemory() / (1 << 20)
          + " MiB) cannot hold what this command loads; give it more with VI4J_JAVA_OPTS=-Xmx8g, or use less data");
      status = Vi4jCommand.BAD_INPUT;
    }
    System.exit(status);
  }
}
