package org.hesspec.distributed;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The address of one TensorFlow worker, {@code host:port}; IPv6 hosts are written in brackets,
 * {@code [::1]:7000}.
 */
public record WorkerAddress(String host, int port) {

  public WorkerAddress {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("empty worker host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("worker port " + port + ": expected 1..65535");
    }
  }

  /** Parses {@code host:port} or {@code [v6host]:port}. */
  public static WorkerAddress parse(String s) {
    String t = s.trim();
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      throw new IllegalArgumentException("worker address '" + s + "': expected host:port");
    }
    String host = t.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("worker address '" + s + "': write an IPv6 host in brackets, [::1]:7000");
    }
    int port;
    try {
      port = Integer.parseInt(t.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("worker address '" + s + "': port is not a number");
    }
    return new WorkerAddress(host, port);
  }

  /** Parses a comma-separated list of addresses. */
  public static List<WorkerAddress> parseList(String s) {
    List<WorkerAddress> out = new ArrayList<>();
    for (String part : s.split(",")) {
      if (!part.isBlank()) {
        out.add(parse(part));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no worker addresses in '" + s + "'");
    }
    return out;
  }

  /** {@code grpc://host:port}, a session target. */
  public String grpcTarget() {
    return "grpc://" + this;
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
