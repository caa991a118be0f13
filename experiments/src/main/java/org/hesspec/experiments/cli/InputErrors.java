package org.hesspec.experiments.cli;

import org.hesspec.model.ModelImportException;

/** Which exceptions are the user's input errors (exit 2, message only) rather than run failures (exit 1). */
final class InputErrors {
  private InputErrors() {}

  static boolean isInputError(Throwable e) {
    return e instanceof ModelImportException
        || e instanceof InputException
        || e instanceof org.hesspec.experiments.run.RunInputException
        || e instanceof org.hesspec.data.DataException
        || e instanceof java.nio.file.NoSuchFileException
        || e.getClass().getName().endsWith("ConfigException")
        || e.getClass().getName().endsWith("DataFormatException");
  }
}
