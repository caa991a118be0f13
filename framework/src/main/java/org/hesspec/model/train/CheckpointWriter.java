package org.hesspec.model.train;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.Save;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * Writes named tensors from Java memory into a TensorFlow checkpoint (a {@code SaveV2} op fed
 * with the values), so that a graph's variables can be set by restoring it: this keeps the
 * serving graph free of the placeholder-and-assign ops that feeding values directly would add.
 */
final class CheckpointWriter {
  private CheckpointWriter() {}

  /** Writes {@code tensors} under {@code prefix} (files {@code prefix.index}, {@code prefix.data-*}). */
  static void write(String prefix, List<NamedTensor> tensors) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      String[] names = new String[tensors.size()];
      String[] slices = new String[tensors.size()];
      List<Operand<?>> feeds = new ArrayList<>();
      for (int i = 0; i < names.length; i++) {
        names[i] = tensors.get(i).name();
        slices[i] = "";
        feeds.add(tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(tensors.get(i).shape()))));
      }
      Placeholder<TString> file = tf.placeholder(TString.class);
      Save save = tf.train.save(file, tf.constant(StandardCharsets.UTF_8, names), tf.constant(StandardCharsets.UTF_8, slices), feeds);
      List<Tensor> values = new ArrayList<>();
      try (Session s = new Session(g); TString f = TString.scalarOf(prefix)) {
        Session.Runner r = s.runner().feed(file, f);
        for (int i = 0; i < names.length; i++) {
          TFloat32 v = Tensors.floats(tensors.get(i).values(), tensors.get(i).shape());
          values.add(v);
          r.feed(feeds.get(i), v);
        }
        r.addTarget(save).run().close();
      } finally {
        values.forEach(Tensor::close);
      }
    }
  }
}
