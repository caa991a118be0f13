/**
 * What a run writes (docs/output-contract.md): the tidy CSV tables with their row
 * records, writers and readers ({@link org.hesspec.report.Tables}, {@link
 * org.hesspec.report.TableFile}), the run folder with its atomic completion and {@code run.json}
 * ({@link org.hesspec.report.RunDirectory}), the per-key sweep columns of a sweep's tables
 * ({@link org.hesspec.report.SweepColumns}), the figures as PNG, SVG and PDF with their caption as
 * text ({@link org.hesspec.report.DensityFigures}, {@link org.hesspec.report.EigenvalueFigures},
 * {@link org.hesspec.report.EmbeddingFigures}, written by {@link org.hesspec.report.FigureWriter}
 * in a {@link org.hesspec.report.FigureStyle}: for the screen or sized for a paper) and the
 * offline HTML page ({@link org.hesspec.report.HtmlReport}).
 *
 * <p>Typical use by the runner:
 *
 * <pre>{@code
 * RunDirectory run = RunDirectory.create(out.resolve(name), RunId.generate(now, random), info);
 * run.table(Tables.DENSITY).append(densityRows);          // once per sweep value and split
 * RenderedFigure f = FigureWriter.write(
 *     DensityFigures.density(FigureText.of("density_train_hessian_linear", title, params),
 *         curves, YScale.LOG),
 *     run.figures());
 * new HtmlReport(title, params, summaryRows, figures, HtmlReport.tablesIn(run.root()))
 *     .write(run.root());
 * run.complete();                                         // atomic rename into place
 * }</pre>
 *
 * <p>This package depends on no other hesspec package but {@code org.hesspec.json} (for
 * {@code run.json}): numbers arrive as plain records and arrays, so the runner decides what to
 * plot and this package only decides how.
 */
package org.hesspec.report;
