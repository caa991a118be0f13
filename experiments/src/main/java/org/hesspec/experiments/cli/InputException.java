package org.hesspec.experiments.cli;

/** A problem with what the user gave (a file, a key, a value): reported without a stack trace, exit status 2. */
public class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(message);
  }
}
