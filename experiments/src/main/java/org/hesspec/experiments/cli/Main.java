package org.hesspec.experiments.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code hesspec} command line. Exit status: 0 on success, 2 on a usage or input error (the
 * message names the file and key), 1 on a failure during a run.
 */
@Command(name = "hesspec", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Spectra of deep-network Hessians: Hessian, G (Gauss-Newton) and H, at full scale.",
    subcommands = {RunCommand.class, ValidateCommand.class, InspectCommand.class, TrainCommand.class, BenchCommand.class, WorkerCommand.class,
        SummaryCommand.class, ReportCommand.class})
public final class Main implements Callable<Integer> {

  /** Exit status of an input error (bad file, key, model or data). */
  public static final int INPUT_ERROR = 2;
  /** Exit status of a failure during a run. */
  public static final int RUN_FAILURE = 1;

  @Override
  public Integer call() {
    CommandLine.usage(this, System.err);
    return INPUT_ERROR;
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit status (for tests). */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((e, cmd, parse) -> {
      if (InputErrors.isInputError(e)) {
        cmd.getErr().println("hesspec: " + e.getMessage());
        return INPUT_ERROR;
      }
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof org.hesspec.distributed.WorkerUnavailableException) {
          cmd.getErr().println("hesspec: " + c.getMessage());
          return RUN_FAILURE;
        }
      }
      cmd.getErr().println("hesspec: run failed: " + e);
      e.printStackTrace(cmd.getErr());
      return RUN_FAILURE;
    });
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError e) {
      System.err.println("hesspec: out of memory (" + e.getMessage() + "). Give the JVM more (HESSPEC_JAVA_OPTS=-Xmx..., now "
          + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB) or ask for less (fewer top_eigen iterations keep fewer"
          + " p-vectors); an interrupted run continues with --resume.");
      return RUN_FAILURE;
    }
  }
}
