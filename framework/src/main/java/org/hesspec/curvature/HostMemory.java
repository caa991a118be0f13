package org.hesspec.curvature;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataStorageVisitor;

/**
 * Where TensorFlow keeps a host tensor's elements, seen from Java without a copy. TensorFlow Java
 * hands out a fetched or fed tensor's own buffer (a fetched read of a resource variable shares the
 * variable's), so two tensors are the same memory exactly when their addresses are equal.
 */
final class HostMemory {
  private HostMemory() {}

  /** The address of {@code t}'s first element, or -1 when its storage is not raw host memory. */
  static long address(Tensor t) {
    return t.asRawTensor().data().accept(new DataStorageVisitor<Long>() {
      @Override
      public Long visit(long address, long length, long scale) {
        return address;
      }

      @Override
      public Long fallback() {
        return -1L;
      }
    });
  }

  /**
   * A native-order buffer over {@code t}'s elements, for reading and writing them in place. Valid
   * only while {@code t} is open (it keeps the memory alive); writes are seen by everything that
   * shares the buffer.
   */
  static ByteBuffer view(Tensor t) {
    long start = address(t);
    if (start <= 0) {
      throw new IllegalStateException("tensor of shape " + t.shape() + " has no host buffer");
    }
    long bytes = t.numBytes();
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalStateException("tensor of " + bytes + " bytes is larger than a Java buffer (2 GiB)");
    }
    // a pointer to memory the tensor owns: no deallocator, the view does not outlive the tensor
    BytePointer p = new BytePointer() {
      {
        address = start; // Pointer's field (a local named "address" would be shadowed by it here)
      }
    };
    p.capacity(bytes).limit(bytes);
    return p.asByteBuffer().order(ByteOrder.nativeOrder());
  }
}
