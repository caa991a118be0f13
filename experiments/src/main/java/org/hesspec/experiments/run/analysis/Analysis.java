package org.hesspec.experiments.run.analysis;

import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.experiments.run.Rows;

/**
 * One analysis of a sweep point, built from its record of the experiment's {@code analyses} (or always
 * run, as the regime). {@link PointAnalysis} calls it on every split of every parameter group: first
 * {@link #onOperator} for each declared operator in the declared order (each analysis in the order of
 * {@link PointAnalysis#declared}), then {@link #onSplit}. Each hook appends the rows of its units of work,
 * each computed once through {@link Target#cached} so that a resumed run redoes none that finished.
 */
interface Analysis {

  /** Appends this analysis's rows on operator {@code op} of target {@code t}; none by default. */
  default void onOperator(Target t, CurvatureOperator op, Rows out) {}

  /** Appends this analysis's rows on the split of target {@code t}, after all operators; none by default. */
  default void onSplit(Target t, Rows out) {}
}
