package org.hesspec.experiments.cli;

import java.util.concurrent.Callable;
import org.hesspec.distributed.WorkerUnavailableException;
import org.hesspec.experiments.run.RunFailedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code hesspec} command line. Exit status: 0 on success, 2 on a usage or input error (the
 * message names the file and key), 1 on a failure during a run. Failures print one paragraph;
 * the stack trace only with {@code --debug} or {@code HESSPEC_DEBUG=1}.
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

  @Option(names = "--debug", scope = ScopeType.INHERIT,
      description = "print the stack trace of a failure (also HESSPEC_DEBUG=1); a run always writes it to <run>/error.log")
  boolean debug;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit status (for tests). */
  public static int execute(String... args) {
    boolean debug = "1".equals(System.getenv("HESSPEC_DEBUG")) || java.util.Arrays.asList(args).contains("--debug");
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((e, cmd, parse) -> report(e, cmd.getErr(), debug));
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError e) {
      return report(e, new java.io.PrintWriter(System.err, true), debug);
    }
  }

  /**
   * One paragraph for the user and the exit status: input errors (2) as their message; a failed
   * run (1) as what failed and where its partial folder is; anything else as what failed. The
   * stack trace only with {@code debug}.
   */
  static int report(Throwable e, java.io.PrintWriter err, boolean debug) {
    int status;
    Throwable trace = e;
    if (InputErrors.isInputError(e)) {
      err.println("hesspec: " + e.getMessage());
      status = INPUT_ERROR;
    } else if (e instanceof RunFailedException f) {
      err.println("hesspec: " + f.getMessage());
      trace = f.getCause();
      status = f.kind() == RunFailedException.Kind.INPUT ? INPUT_ERROR : RUN_FAILURE;
    } else {
      WorkerUnavailableException worker = null;
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof WorkerUnavailableException w) {
          worker = w;
        }
      }
      String what = e instanceof OutOfMemoryError ? RunFailedException.describe(e)
          : worker != null ? worker.getMessage() : RunFailedException.describe(e);
      err.println("hesspec: failed: " + what + "." + (debug ? "" : " (--debug or HESSPEC_DEBUG=1 prints the stack trace)"));
      status = RUN_FAILURE;
    }
    if (debug && !InputErrors.isInputError(e)) {
      trace.printStackTrace(err);
    }
    err.flush();
    return status;
  }
}
