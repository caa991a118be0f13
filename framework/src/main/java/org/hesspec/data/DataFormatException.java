package org.hesspec.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A data file that is missing, unreadable or malformed. The message starts with the file and
 * says what is wrong in terms a user can act on (expected and found magic numbers in hex,
 * expected and actual byte counts, the row and column of an unparseable CSV cell).
 *
 * <p>Not to be confused with the checked {@code java.util.zip.DataFormatException}; this one is
 * unchecked, like every error of this package.
 */
public class DataFormatException extends DataException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /** An error about {@code file}; the message becomes {@code "<file>: <problem>"}. */
  public DataFormatException(Path file, String problem) {
    super(Objects.requireNonNull(file, "file") + ": " + problem);
    this.file = file;
  }

  /** As {@link #DataFormatException(Path, String)}, keeping the low-level cause. */
  public DataFormatException(Path file, String problem, Throwable cause) {
    super(Objects.requireNonNull(file, "file") + ": " + problem, cause);
    this.file = file;
  }

  /** The file the problem is in. */
  public Path file() {
    return file;
  }
}
