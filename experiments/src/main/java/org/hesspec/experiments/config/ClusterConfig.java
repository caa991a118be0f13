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
public record ClusterConfig(List<Worker> workers, List<String> devices) {

  /** {@code devices: gpus}: every GPU TensorFlow sees. */
  public static final String ALL_GPUS = "gpus";

  public ClusterConfig {
    workers = List.copyOf(workers);
    devices = List.copyOf(devices);
  }

  /** A cluster of worker processes. */
  public ClusterConfig(List<Worker> workers) {
    this(workers, List.of());
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
    if (!workers.isEmpty()) {
      m.put("workers", workers.stream().map(Worker::toString).toList());
    }
    if (!devices.isEmpty()) {
      m.put("devices", devices.equals(List.of(ALL_GPUS)) ? ALL_GPUS : devices);
    }
    return m;
  }
}
