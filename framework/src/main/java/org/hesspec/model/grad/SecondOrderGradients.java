package org.hesspec.model.grad;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TFJ_GradFuncAdapter;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.RawCustomGradient;

/**
 * Registers, once per process, Java gradients for the op types that TensorFlow's C++ gradient
 * registry lacks, so that {@code Graph.addGradients} can be applied to its own output (a
 * Hessian-vector product is the gradient of {@code <grad L, v>}).
 *
 * <p>Why one adapter: TF Java's {@code TensorFlow.registerCustomGradient} creates one native
 * callback per call, and more than 11 of them crash the JVM when used. Here a single
 * {@link RawCustomGradient} dispatches on the op type to {@link GradientFunctions}; its native
 * adapter is registered for every op type through {@code TFJ_RegisterCustomGradient} and kept in a
 * static field so that it is never collected (the native registry holds only a raw pointer).
 *
 * <p>Why callbacks are total: the native side ignores failures of the callback, and a Java
 * exception escaping it would leave the graph's "dangerous gradient builder" flag set and can
 * crash later. The dispatcher catches everything; on failure it records the exception (see
 * {@link #lastFailure()}) and returns no gradients at all, which TensorFlow rejects with an error
 * ({@code Invalid gradient output index}) that {@code addGradients} throws in the caller's thread,
 * instead of silently building a wrong derivative.
 *
 * <p>An op type that already has a C++ gradient is left alone (TensorFlow cannot replace one).
 */
public final class SecondOrderGradients {

  private static final Map<String, OpGradient> GRADIENTS =
      Collections.synchronizedMap(new LinkedHashMap<>(GradientFunctions.table()));

  /** The one native adapter; static so the native registry's pointer stays valid. */
  private static TFJ_GradFuncAdapter adapter;

  private static final Set<String> registered = new LinkedHashSet<>();
  private static final Set<String> alreadyInCpp = new LinkedHashSet<>();
  private static volatile boolean done;
  private static volatile int generation;
  private static final AtomicReference<Throwable> lastFailure = new AtomicReference<>();
  /** Failure of a callback in this thread (callbacks run in the thread that calls addGradients). */
  private static final ThreadLocal<Throwable> failureInThisThread = new ThreadLocal<>();

  private SecondOrderGradients() {}

  /**
   * Registers the Java gradients if this process has not yet done so; later calls return at once.
   * Thread-safe. Call before building gradient graphs: TensorFlow consults its registry while
   * building, so a graph built earlier keeps whatever failed then.
   */
  public static void ensureRegistered() {
    if (done) {
      return;
    }
    // TensorFlow.registerCustomGradient synchronizes on TensorFlow.class: do the same so that a
    // registration elsewhere in the process cannot interleave with ours.
    synchronized (TensorFlow.class) {
      if (done) {
        return;
      }
      TensorFlow.version(); // loads the native library before the raw C API is touched
      if (adapter == null) {
        adapter = RawCustomGradient.adapter(SecondOrderGradients::dispatch);
      }
      for (String opType : new ArrayList<>(GRADIENTS.keySet())) {
        registerOne(opType);
      }
      generation++;
      done = true;
    }
  }

  /** Whether {@link #ensureRegistered()} has completed in this process. */
  public static boolean isRegistered() {
    return done;
  }

  /** Op types whose gradient this class registered (TensorFlow had none), in registration order. */
  public static Set<String> registeredOpTypes() {
    synchronized (TensorFlow.class) {
      return Collections.unmodifiableSet(new LinkedHashSet<>(registered));
    }
  }

  /**
   * Op types this class has a formula for but did not register because TensorFlow's C++ registry
   * already had a gradient (a newer TensorFlow, or another registration in this process).
   */
  public static Set<String> skippedOpTypes() {
    synchronized (TensorFlow.class) {
      return Collections.unmodifiableSet(new LinkedHashSet<>(alreadyInCpp));
    }
  }

  /** The op types this class knows a gradient formula for. */
  public static Set<String> knownOpTypes() {
    synchronized (GRADIENTS) {
      return Collections.unmodifiableSet(new LinkedHashSet<>(GRADIENTS.keySet()));
    }
  }

  /** The last exception a gradient callback caught, if any (diagnostics). */
  public static Optional<Throwable> lastFailure() {
    return Optional.ofNullable(lastFailure.get());
  }

  /**
   * {@code graph.addGradients(prefix, y, x, dx)} after {@link #ensureRegistered()}, with one
   * addition: if a Java gradient callback failed while building, the exception TensorFlow throws
   * carries the Java failure as its cause-bearing suppressed exception, so the message names the
   * op and the reason rather than only "Invalid gradient output index".
   *
   * @param dx initial gradients of the {@code y}, or null for TensorFlow's {@code OnesLike} seeds
   */
  public static Output<?>[] addGradients(
      Graph graph, String prefix, Output<?>[] y, Output<?>[] x, Output<?>[] dx) {
    ensureRegistered();
    failureInThisThread.remove();
    try {
      return graph.addGradients(prefix, y, x, dx);
    } catch (RuntimeException e) {
      Throwable cause = failureInThisThread.get();
      if (cause != null) {
        e.addSuppressed(cause);
      }
      throw e;
    } finally {
      failureInThisThread.remove();
    }
  }

  /**
   * Changes whenever the set of registered gradients changes, so that caches of derivative
   * support ({@link DerivativeSupport}) can tell stale entries.
   */
  static int generation() {
    return generation;
  }

  /**
   * Registers an extra gradient through the same adapter. Package-private: used by tests to
   * exercise the failure path with an op type the project does not otherwise differentiate.
   */
  static boolean registerAdditional(String opType, OpGradient gradient) {
    ensureRegistered();
    synchronized (TensorFlow.class) {
      if (GRADIENTS.containsKey(opType)) {
        return false;
      }
      GRADIENTS.put(opType, gradient);
      boolean ok = registerOne(opType);
      generation++;
      return ok;
    }
  }

  private static boolean registerOne(String opType) {
    if (registered.contains(opType)) {
      return true;
    }
    if (tensorflow.TFJ_HasGradient(opType)) {
      alreadyInCpp.add(opType);
      return false;
    }
    if (tensorflow.TFJ_RegisterCustomGradient(opType, adapter)) {
      registered.add(opType);
      return true;
    }
    return false;
  }

  /** The single callback for every registered op type. Never throws. */
  private static List<Operand<?>> dispatch(Ops tf, GraphOperation op, List<Output<?>> upstream) {
    try {
      OpGradient gradient = GRADIENTS.get(op.type());
      if (gradient == null) {
        throw new IllegalStateException("no Java gradient for op type " + op.type());
      }
      List<Operand<?>> result = gradient.apply(tf, op, upstream);
      if (result == null || result.size() != op.numInputs() || result.stream().anyMatch(Objects::isNull)) {
        throw new IllegalStateException(
            "gradient of "
                + op.type()
                + " returned "
                + (result == null ? "null" : result.size() + " gradients")
                + " for "
                + op.numInputs()
                + " inputs");
      }
      return result;
    } catch (Throwable t) {
      String where;
      try {
        where = op.type() + " '" + op.name() + "'";
      } catch (Throwable ignored) {
        where = "an op";
      }
      Throwable failure = new IllegalStateException("Java gradient of " + where + " failed", t);
      lastFailure.set(failure);
      failureInThisThread.set(failure);
      // No gradients: TensorFlow answers "Invalid gradient output index" and addGradients throws.
      return List.of();
    }
  }
}
