package org.hesspec.model;

/** A SavedModel that cannot be imported; the message names the folder, the signature or tensor, and what was expected. */
public class ModelImportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelImportException(String message) {
    super(message);
  }

  public ModelImportException(String message, Throwable cause) {
    super(message, cause);
  }
}
