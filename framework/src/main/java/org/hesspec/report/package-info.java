/**
 * What a run writes (CONTRACT.md, "What a run writes"): the tidy CSV tables with their row
 * records, writers and readers ({@link org.hesspec.report.Tables}, {@link
 * org.hesspec.report.TableFile}), the run folder with its atomic completion and {@code run.json}
 * ({@link org.hesspec.report.RunDirectory}), the figures as PNG and SVG ({@link
 * org.hesspec.report.Figures}, {@link org.hesspec.report.FigureWriter}) and the offline HTML page
 * ({@link org.hesspec.report.HtmlReport}).
 *
 * <p>This package depends on no other hesspec package: numbers arrive as plain records and
 * arrays, so the runner decides what to plot and this package only decides how.
 */
package org.hesspec.report;
