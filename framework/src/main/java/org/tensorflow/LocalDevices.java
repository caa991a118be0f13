package org.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListName;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetConfig;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.ConfigProto;

/**
 * The devices a local session sees ({@code TF_SessionListDevices}): TensorFlow Java 1.1.0 has no
 * Java API for them. Lives in package {@code org.tensorflow} for the graph's native handle.
 */
public final class LocalDevices {

  private LocalDevices() {}

  /** A device: its full name ({@code /job:localhost/replica:0/task:0/device:GPU:0}) and type ({@code GPU}). */
  public record Device(String name, String type) {}

  /** The devices of a local session made with {@code config} (null: defaults). */
  public static List<Device> list(ConfigProto config) {
    List<Device> out = new ArrayList<>();
    try (Graph graph = new Graph(); Graph.Reference ref = graph.ref(); PointerScope scope = new PointerScope()) {
      TF_Status status = TF_Status.newStatus();
      TF_SessionOptions opts = TF_SessionOptions.newSessionOptions();
      if (config != null) {
        BytePointer bytes = new BytePointer(config.toByteArray());
        TF_SetConfig(opts, bytes, bytes.capacity(), status);
        status.throwExceptionIfNotOK();
      }
      TF_Session session = TF_Session.newSession(ref.nativeHandle(), opts, status);
      status.throwExceptionIfNotOK();
      TF_DeviceList list = TF_SessionListDevices(session, status);
      status.throwExceptionIfNotOK();
      try {
        int n = TF_DeviceListCount(list);
        for (int i = 0; i < n; i++) {
          String name = TF_DeviceListName(list, i, status).getString();
          status.throwExceptionIfNotOK();
          String type = TF_DeviceListType(list, i, status).getString();
          status.throwExceptionIfNotOK();
          out.add(new Device(name, type));
        }
      } finally {
        TF_DeleteDeviceList(list);
      }
    }
    return out;
  }
}
