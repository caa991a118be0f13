package org.hesspec.distributed;

import java.time.Duration;

/**
 * Time limits of a distributed computation.
 *
 * @param connectTimeout the TCP check of each worker before the session is created
 * @param sessionTimeout creating the session and copying theta and the data shards to the workers
 * @param stepTimeout one step on the cluster (TensorFlow's operation timeout of the session)
 */
public record DistributedSettings(Duration connectTimeout, Duration sessionTimeout, Duration stepTimeout) {

  public DistributedSettings {
    for (Duration d : new Duration[] {connectTimeout, sessionTimeout, stepTimeout}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("timeouts must be positive");
      }
    }
  }

  /** 5 s per worker for the TCP check, 60 s for session setup, 10 min per step. */
  public static DistributedSettings defaults() {
    return new DistributedSettings(Connectivity.CONNECT_TIMEOUT, Connectivity.SESSION_TIMEOUT, Duration.ofMinutes(10));
  }
}
