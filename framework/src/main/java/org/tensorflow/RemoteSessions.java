package org.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetConfig;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetTarget;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.ConfigProto;

/**
 * Opens a {@link Session} on a remote TensorFlow master ({@code grpc://host:port}).
 *
 * <p>TensorFlow Java 1.1.0 has no public constructor with a target: this helper sets the target on
 * the C API's session options and wraps the native session with {@code Session}'s package-private
 * constructor, which is why it lives in package {@code org.tensorflow}.
 *
 * <p>Creating a session on a master whose cluster has a worker that is not reachable waits for
 * that worker without end: callers check the workers first and bound the call
 * ({@code org.hesspec.distributed.Connectivity}).
 */
public final class RemoteSessions {

  private RemoteSessions() {}

  /**
   * A session on {@code graph} whose master is {@code target} (e.g. {@code grpc://127.0.0.1:7000}).
   * Not auto-initialising: run the graph's initialisers explicitly.
   */
  public static Session open(Graph graph, String target, ConfigProto config) {
    TF_Session handle;
    try (Graph.Reference ref = graph.ref(); PointerScope scope = new PointerScope()) {
      TF_Status status = TF_Status.newStatus();
      TF_SessionOptions opts = TF_SessionOptions.newSessionOptions();
      TF_SetTarget(opts, target);
      if (config != null) {
        BytePointer bytes = new BytePointer(config.toByteArray());
        TF_SetConfig(opts, bytes, bytes.capacity(), status);
        status.throwExceptionIfNotOK();
      }
      handle = TF_Session.newSession(ref.nativeHandle(), opts, status);
      status.throwExceptionIfNotOK();
      handle.retainReference();
    }
    return new Session(graph, handle);
  }
}
