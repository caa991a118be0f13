package org.hesspec.distributed;

import java.util.Locale;
import org.tensorflow.DeviceSpec;

/**
 * A device of this process that holds one shard of a split product: a GPU, or a CPU device (a
 * session made with several logical CPU devices, which is how the split is tested without GPUs).
 *
 * @param type "GPU" or "CPU"
 * @param index the device's number, >= 0
 */
public record LocalDevice(String type, int index) {

  public LocalDevice {
    if (!type.equals("GPU") && !type.equals("CPU")) {
      throw new IllegalArgumentException("device type '" + type + "': expected GPU or CPU");
    }
    if (index < 0) {
      throw new IllegalArgumentException("device index " + index + ": expected >= 0");
    }
  }

  /** Parses {@code gpu:1} or {@code cpu:0} (case-insensitive). */
  public static LocalDevice parse(String s) {
    String[] parts = s.strip().split(":");
    if (parts.length != 2 || !parts[1].matches("[0-9]{1,4}")) {
      throw new IllegalArgumentException("device '" + s + "': expected gpu:N or cpu:N");
    }
    return new LocalDevice(parts[0].toUpperCase(Locale.ROOT), Integer.parseInt(parts[1]));
  }

  /** The device name nodes are placed on, {@code /device:GPU:1}. */
  public String name() {
    return "/device:" + type + ":" + index;
  }

  DeviceSpec spec() {
    return DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.valueOf(type)).deviceIndex(index).build();
  }

  @Override
  public String toString() {
    return type.toLowerCase(Locale.ROOT) + ":" + index;
  }
}
