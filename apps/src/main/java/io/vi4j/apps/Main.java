package io.vi4j.apps;

import picocli.CommandLine;

/** Entry point of the {@code vi4j} launcher. */
public final class Main {
  private Main() {}

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(Vi4jCommand.commandLine().execute(args));
  }
}
