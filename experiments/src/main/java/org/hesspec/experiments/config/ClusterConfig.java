package org.hesspec.experiments.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Worker processes for a distributed run: TensorFlow workers started with {@code hesspec worker
 * --port N}; the first is the master. Density, top-eigenvalue, trace and exact analyses then run
 * their products on the workers ({@code org.hesspec.distributed.DistributedCurvature}).
 *
 * @param workers distinct addresses, at least one
 */
public record ClusterConfig(List<Worker> workers) {

  public ClusterConfig {
    workers = List.copyOf(workers);
  }

  /** A worker address; IPv6 hosts are written in brackets, {@code [::1]:7000}. */
  public record Worker(String host, int port) {
    public Worker {
      Objects.requireNonNull(host, "host");
    }

    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("workers", workers.stream().map(Worker::toString).toList());
    return m;
  }
}
