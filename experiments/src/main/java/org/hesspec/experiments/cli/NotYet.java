package org.hesspec.experiments.cli;

/** Message for subcommands whose implementation has not landed yet. */
final class NotYet {
  private NotYet() {}

  static int say(String what) {
    System.err.println("hesspec " + what + ": not built yet in this version (see the README's status section)");
    return Main.INPUT_ERROR;
  }
}
