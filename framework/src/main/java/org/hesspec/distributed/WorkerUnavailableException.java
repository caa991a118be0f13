package org.hesspec.distributed;

/** A TensorFlow worker of the cluster could not be reached, or did not answer in time. */
public final class WorkerUnavailableException extends RuntimeException {
  public WorkerUnavailableException(String message) {
    super(message);
  }
}
