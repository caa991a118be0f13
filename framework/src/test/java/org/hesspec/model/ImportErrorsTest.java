package org.hesspec.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Models the curvature code cannot use are rejected at import with the tensor named. */
class ImportErrorsTest {

  @Test
  void integerInputIsRejectedNamingTheInput(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("int-input");
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TInt32> x = tf.withName("tokens").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, 3)));
      Operand<TFloat32> w = tf.withName("w").variable(tf.constant(new float[][] {{1, 2}, {3, 4}, {5, 6}}));
      Operand<TFloat32> z = tf.linalg.matMul(tf.dtypes.cast(x, TFloat32.class), w);
      export(g, dir, x, z);
    }
    ModelImportException e = assertThrows(ModelImportException.class, () -> SavedModelImporter.load(dir));
    assertTrue(e.getMessage().contains("tokens") && e.getMessage().contains("DT_INT32"), e.getMessage());
  }

  @Test
  void modelWithoutTrainableParametersIsRejected(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("no-params");
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2)));
      Operand<TFloat32> z = tf.math.mul(x, tf.constant(2f));
      // A variable the output does not depend on keeps the exporter happy and must not count.
      tf.withName("unused").variable(tf.constant(1f));
      export(g, dir, x, z);
    }
    ModelImportException e = assertThrows(ModelImportException.class, () -> SavedModelImporter.load(dir));
    assertTrue(e.getMessage().contains("no trainable") && e.getMessage().contains("nothing to differentiate"), e.getMessage());
  }

  private static void export(Graph g, Path dir, Operand<?> x, Operand<?> z) throws IOException {
    try (Session s = new Session(g)) {
      s.initialize();
      SavedModelBundle.exporter(dir.toString()).withSession(s)
          .withSignature(Signature.builder().key("serving_default").input("x", x).output("logits", z).build()).export();
    }
  }
}
