package org.hesspec.experiments.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code hesspec bench}. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "See CONTRACT.md; not built yet.")
final class BenchCommand implements Callable<Integer> {

  @Parameters(arity = "0..*")
  List<String> args;

  @Override
  public Integer call() {
    return NotYet.say("bench");
  }
}
