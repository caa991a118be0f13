/**
 * Data sets for hesspec: readers, the synthetic Gaussian mixture, per-class subsampling,
 * preprocessing and mini-batches.
 *
 * <p>Conventions shared by every class here:
 * <ul>
 *   <li>A data set is a {@link org.hesspec.data.Dataset}: features in one flat float array,
 *       images as height x width x channels (NHWC), 8-bit pixels scaled to {@code [0, 1]}.
 *   <li>{@link org.hesspec.data.DataLoader#load} is the entry point for a runner; a
 *       {@link org.hesspec.data.DataSource} mirrors the experiment file's {@code data:} keys.
 *   <li>Every problem with input data is a {@link org.hesspec.data.DataException}; problems with a
 *       file are its subclass {@link org.hesspec.data.DataFormatException}, whose message starts
 *       with the file. Both are unchecked.
 *   <li>Every random choice takes a named stream of the experiment seed
 *       ({@link org.hesspec.data.Seeds}), so results are reproducible across runs and JVMs.
 * </ul>
 */
package org.hesspec.data;
