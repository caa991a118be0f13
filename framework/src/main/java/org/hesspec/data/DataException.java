package org.hesspec.data;

/**
 * A problem with the data an experiment asks for: a bad file, an impossible request (more
 * examples per class than a class has), a source that cannot deliver what is asked. The
 * command-line runner reports it as an input error (exit status 2); the message is written for
 * the user and names what is wrong.
 */
public class DataException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** An error with a user-facing message. */
  public DataException(String message) {
    super(message);
  }

  /** An error with a user-facing message and the low-level cause. */
  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
