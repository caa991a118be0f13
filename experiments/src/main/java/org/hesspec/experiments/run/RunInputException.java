package org.hesspec.experiments.run;

/**
 * A problem with what the user asked the runner to do (resuming a run with another experiment, a
 * model folder without a model and no training section, a split without data): reported as an
 * input error (exit status 2) with this message, without a stack trace.
 */
public class RunInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public RunInputException(String message) {
    super(message);
  }
}
