package org.hesspec.experiments.run.analysis;

import java.util.function.Supplier;

/** A resource created on first use and closed once: a run whose units are all finished opens no session. */
final class Lazy<T extends AutoCloseable> implements AutoCloseable {
  private final Supplier<T> factory;
  private T value;

  Lazy(Supplier<T> factory) {
    this.factory = factory;
  }

  T get() {
    if (value == null) {
      value = factory.get();
    }
    return value;
  }

  @Override
  public void close() {
    if (value != null) {
      try {
        value.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      value = null;
    }
  }
}
