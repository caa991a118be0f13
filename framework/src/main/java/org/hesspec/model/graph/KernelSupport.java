package org.hesspec.model.graph;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteBuffer;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetRegisteredKernelsForOp;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.KernelDef;
import org.tensorflow.proto.KernelList;

/**
 * Which CPU kernels the TensorFlow runtime has registered, from {@code
 * TF_GetRegisteredKernelsForOp}: an op whose kernels are all constrained to other types (LRN,
 * MaxPool3D, FusedBatchNorm* in float64) would only fail when a session first runs it.
 */
final class KernelSupport {
  private static final Map<String, KernelList> CACHE = new ConcurrentHashMap<>();

  private KernelSupport() {}

  /**
   * Whether a CPU kernel of {@code op} accepts the given values of its type attributes. An op with
   * no CPU kernel at all is reported as supported: it does not run on CPU in float32 either, so
   * the question is not one of precision.
   */
  static boolean hasCpuKernel(String op, Map<String, DataType> typeAttrs) {
    KernelList kernels = CACHE.computeIfAbsent(op, KernelSupport::load);
    boolean anyCpu = false;
    for (KernelDef k : kernels.getKernelList()) {
      if (!k.getDeviceType().equals("CPU")) {
        continue;
      }
      anyCpu = true;
      if (accepts(k, typeAttrs)) {
        return true;
      }
    }
    return !anyCpu;
  }

  private static boolean accepts(KernelDef k, Map<String, DataType> typeAttrs) {
    for (KernelDef.AttrConstraint c : k.getConstraintList()) {
      DataType t = typeAttrs.get(c.getName());
      if (t != null && !c.getAllowedValues().getList().getTypeList().contains(t)) {
        return false;
      }
    }
    return true;
  }

  private static KernelList load(String op) {
    TensorFlow.version(); // loads the native library
    TF_Status status = TF_Status.newStatus();
    TF_Buffer buffer = TF_GetRegisteredKernelsForOp(op, status);
    try {
      status.throwExceptionIfNotOK();
      return KernelList.parseFrom(buffer.dataAsByteBuffer());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot parse the kernel list of op " + op, e);
    } finally {
      TF_DeleteBuffer(buffer);
    }
  }
}
