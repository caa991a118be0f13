package org.hesspec.curvature;

import org.tensorflow.proto.ConfigProto;

/**
 * Thread settings of a TensorFlow session. On a small machine one inter-op thread and as many
 * intra-op threads as cores was fastest for products (TFJAVA-NOTES.md: 2 and 1 on 2 cores).
 *
 * @param intraOpThreads threads inside one op (0: TensorFlow's default, all cores)
 * @param interOpThreads ops run concurrently (0: TensorFlow's default)
 */
public record SessionSettings(int intraOpThreads, int interOpThreads) {

  /** All available cores inside ops, one op at a time. */
  public static SessionSettings defaults() {
    return new SessionSettings(Runtime.getRuntime().availableProcessors(), 1);
  }

  ConfigProto toConfigProto() {
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(intraOpThreads)
        .setInterOpParallelismThreads(interOpThreads)
        .setAllowSoftPlacement(true)
        .build();
  }
}
