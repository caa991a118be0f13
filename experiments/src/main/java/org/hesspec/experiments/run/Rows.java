package org.hesspec.experiments.run;

import java.util.ArrayList;
import java.util.List;
import org.hesspec.report.ClassStructureRow;
import org.hesspec.report.DensityRow;
import org.hesspec.report.EigenvalueRow;
import org.hesspec.report.EmbeddingRow;
import org.hesspec.report.RitzRow;
import org.hesspec.report.SummaryRow;
import org.hesspec.report.TraceRow;

/** The table rows one unit of work produced (mutable while the unit runs, then only read). */
public final class Rows {
  public final List<DensityRow> density = new ArrayList<>();
  public final List<RitzRow> ritz = new ArrayList<>();
  public final List<EigenvalueRow> eigenvalues = new ArrayList<>();
  public final List<TraceRow> trace = new ArrayList<>();
  public final List<ClassStructureRow> classStructure = new ArrayList<>();
  public final List<SummaryRow> summary = new ArrayList<>();
  public final List<EmbeddingRow> embedding = new ArrayList<>();

  /** Appends all of {@code other}'s rows. */
  public void addAll(Rows other) {
    density.addAll(other.density);
    ritz.addAll(other.ritz);
    eigenvalues.addAll(other.eigenvalues);
    trace.addAll(other.trace);
    classStructure.addAll(other.classStructure);
    summary.addAll(other.summary);
    embedding.addAll(other.embedding);
  }
}
