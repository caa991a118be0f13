/**
 * Second derivatives in TensorFlow graphs: Hessian-vector products by two reverse passes.
 *
 * <p>TensorFlow's C++ gradient registry, which {@code Graph.addGradients} uses, lacks the gradients
 * of most gradient ops, so gradient-of-gradient fails with "No gradient defined for op: X".
 * {@link org.hesspec.model.grad.SecondOrderGradients#ensureRegistered()} adds Java gradients for
 * them, once per process, through one dispatching adapter. Registered (TensorFlow 2.18 / TF Java
 * 1.1.0 has none of these):
 *
 * <ul>
 *   <li>gradient ops that first derivatives emit: ReluGrad, Relu6Grad, TanhGrad, SigmoidGrad,
 *       SoftplusGrad, EluGrad, SeluGrad, SoftsignGrad, SqrtGrad, RsqrtGrad, ReciprocalGrad (the
 *       last three for Sqrt, Rsqrt, Reciprocal in a model, e.g. a normalisation written as
 *       arithmetic), BiasAddGrad,
 *       Conv2DBackpropFilter, MaxPoolGrad (from MaxPool, what Python exports), MaxPoolGradV2 (from
 *       MaxPoolV2, what TF Java's tf.nn.maxPool builds), AvgPoolGrad;
 *   <li>SparseSoftmaxCrossEntropyWithLogits, which lacks even a first derivative, including the
 *       gradient through its {@code backprop} output that second order needs;
 *   <li>OnesLike (zero), which {@code addGradients} inserts as the seed when none is given.
 * </ul>
 *
 * Found by building second-order graphs of every op the reference networks use; the others
 * (MatMul, BiasAdd, Conv2D, Conv2DBackpropInput, MaxPool, AvgPool, Reshape, Mean, Sum, Softmax,
 * LogSoftmax, Square, Sub, Mul, AddV2, Identity, StopGradient, Pad, ConcatV2, Slice, Cast,
 * Maximum, Neg, Exp, Log, SquaredDifference, LeakyRelu and the helper ops their C++ gradients emit)
 * differentiate twice with TensorFlow's own gradients. {@link
 * org.hesspec.model.grad.DerivativeSupport} probes any graph for what is still missing (e.g.
 * Lgamma, whose gradient Digamma has none, or the fused SoftmaxCrossEntropyWithLogits in float64;
 * FusedBatchNormGradV3 is another; batch norm is folded for inference before differentiating).
 *
 * <p>The curvature products themselves (Pearlmutter's Hessian-vector product and the others) are
 * built in one place, {@code org.hesspec.curvature.ProductOps}, on the gradients registered here.
 */
package org.hesspec.model.grad;
