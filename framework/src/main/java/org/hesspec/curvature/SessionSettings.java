package org.hesspec.curvature;

import org.tensorflow.proto.ConfigProto;

/**
 * Thread and memory settings of a TensorFlow session. On a small machine one inter-op thread and
 * as many intra-op threads as cores was fastest for products (measured on 2 cores: 2 intra-op threads and 1 inter-op thread).
 *
 * @param intraOpThreads threads inside one op (0: TensorFlow's default, all cores)
 * @param interOpThreads ops run concurrently (0: TensorFlow's default)
 * @param productCacheBytes the most memory the v-independent part of repeated products may keep
 *     (forward activations and back-propagated signals of every batch; see {@link ProductCache});
 *     0 recomputes everything on every product
 */
public record SessionSettings(int intraOpThreads, int interOpThreads, long productCacheBytes) {

  /** The default budget of the product cache: 1 GiB. */
  public static final long DEFAULT_PRODUCT_CACHE_BYTES = 1L << 30;

  public SessionSettings {
    if (productCacheBytes < 0) {
      throw new IllegalArgumentException("productCacheBytes must be >= 0, got " + productCacheBytes);
    }
  }

  /** The given threads, with the default product cache. */
  public SessionSettings(int intraOpThreads, int interOpThreads) {
    this(intraOpThreads, interOpThreads, DEFAULT_PRODUCT_CACHE_BYTES);
  }

  /** All available cores inside ops, one op at a time. */
  public static SessionSettings defaults() {
    return new SessionSettings(Runtime.getRuntime().availableProcessors(), 1);
  }

  /** These settings with another product-cache budget (0: no cache). */
  public SessionSettings withProductCacheBytes(long bytes) {
    return new SessionSettings(intraOpThreads, interOpThreads, bytes);
  }

  ConfigProto toConfigProto() {
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(intraOpThreads)
        .setInterOpParallelismThreads(interOpThreads)
        .setAllowSoftPlacement(true)
        .build();
  }
}
