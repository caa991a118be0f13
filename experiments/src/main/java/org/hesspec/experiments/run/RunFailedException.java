package org.hesspec.experiments.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.hesspec.report.RunDirectory;

/**
 * A failure during a run, after its folder was created. The message is the one paragraph the
 * command line prints: what failed and while doing what, where the partial run is, and, only
 * when a resume can get past the failure, the command that continues it. The stack trace is
 * appended to {@code <run>/error.log} (it is printed only with {@code --debug}).
 */
public final class RunFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** How a failure can be dealt with. */
  public enum Kind {
    /** Something outside the run went away or ran out (memory, disk, a worker): a resume continues it. */
    RESUMABLE,
    /** The same inputs fail the same way again (NaN in a product, an error in what the user gave). */
    REPEATS,
    /** An input error found only during the run: exit status 2. */
    INPUT,
    /** Not foreseen: most likely a bug; a resume would repeat it. */
    UNEXPECTED
  }

  private final transient Path runFolder;
  private final Kind kind;

  private RunFailedException(String message, Throwable cause, Path runFolder, Kind kind) {
    super(message, cause);
    this.runFolder = runFolder;
    this.kind = kind;
  }

  /** The partial run folder. */
  public Path runFolder() {
    return runFolder;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * Records {@code cause} in the run (status {@code failed}, the stack trace in {@code error.log})
   * and returns the exception to throw.
   *
   * @param stage what the run was doing, e.g. "the analyses of sweep point 30"
   * @param experimentFile for the resume command
   */
  static RunFailedException of(Throwable cause, String stage, RunDirectory run, Path experimentFile) {
    Kind kind = classify(cause);
    Path folder = run.root();
    Path log = folder.resolve("error.log");
    boolean logged = writeLog(log, stage, cause);
    try {
      run.fail(stage + ": " + describe(cause));
    } catch (RuntimeException ignored) {
      // The folder may be unwritable (a full disk): the message below still says where it is.
    }
    StringBuilder m = new StringBuilder("the run failed while " + stage + ": " + describe(cause) + ".");
    m.append(" The partial run is in ").append(folder).append(logged ? " (its error.log has the details)." : ".");
    switch (kind) {
      case RESUMABLE -> m.append(" Once that is fixed, continue it with: hesspec run ").append(experimentFile)
          .append(" --resume ").append(folder).append(" (with the same --set options, if any)");
      case REPEATS -> m.append(" A resume would fail the same way, since the inputs are the same.");
      case INPUT -> m.append(" Fix the input and start a new run; a resume cannot change it.");
      case UNEXPECTED -> m.append(" This looks like a bug in hesspec (a resume would repeat it): please report it with"
          + " error.log.");
    }
    return new RunFailedException(m.toString(), cause, folder, kind);
  }

  static Kind classify(Throwable e) {
    if (e instanceof RunInputException || e instanceof org.hesspec.data.DataException
        || e instanceof org.hesspec.model.ModelImportException) {
      return Kind.INPUT;
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof OutOfMemoryError || c instanceof IOException || c instanceof UncheckedIOException
          || c instanceof org.hesspec.distributed.WorkerUnavailableException || c instanceof InterruptedException
          || c instanceof org.tensorflow.exceptions.TFResourceExhaustedException) {
        return Kind.RESUMABLE;
      }
    }
    if (e instanceof ArithmeticException) {
      return Kind.REPEATS;
    }
    return Kind.UNEXPECTED;
  }

  /** The cause in words; memory exhaustion with what to do about it. */
  public static String describe(Throwable e) {
    if (e instanceof OutOfMemoryError) {
      return "out of memory (" + e.getMessage() + "). Give the JVM more (HESSPEC_JAVA_OPTS=-Xmx..., now "
          + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB) or ask for less (fewer top_eigen iterations keep fewer"
          + " p-vectors)";
    }
    String msg = e.getMessage();
    boolean plain = e instanceof RunInputException || e instanceof org.hesspec.data.DataException
        || e instanceof ArithmeticException || e instanceof org.hesspec.distributed.WorkerUnavailableException;
    String text = msg == null || msg.isBlank() ? e.getClass().getSimpleName() : (plain ? msg : msg + " (" + e.getClass().getSimpleName() + ")");
    return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
  }

  private static boolean writeLog(Path log, String stage, Throwable cause) {
    StringWriter w = new StringWriter();
    PrintWriter out = new PrintWriter(w);
    out.println(Instant.now() + " failed while " + stage);
    cause.printStackTrace(out);
    out.println();
    out.flush();
    try {
      Files.writeString(log, w.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
