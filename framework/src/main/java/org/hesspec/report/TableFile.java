package org.hesspec.report;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * One CSV table file of a run: written in stages, read back for resume and tests.
 *
 * <p>Format: UTF-8 without byte-order mark, one header row, comma-separated, {@code \n} line
 * ends, a cell quoted only when it contains a comma, quote or line break, numbers as in {@link
 * CsvNumbers}. The same rows always give the same bytes.
 *
 * <p>Crash safety: each {@link #append} writes its rows with one write call and forces them to
 * disk; a crash can still leave a truncated last line, which the reader refuses (a cut-off number
 * would otherwise read back as a different number) and {@link #repairTruncatedTail} removes on
 * resume. Whole-file rewrites ({@link #write}, {@link #retain}) go through a temporary file and an
 * atomic rename, so they leave either the old or the new table.
 *
 * @param path the file
 * @param schema its table
 * @param <R> the row record
 */
public record TableFile<R>(Path path, TableSchema<R> schema) {

  private static final CSVFormat READ_FORMAT = CSVFormat.DEFAULT.builder().get();

  public TableFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(schema, "schema");
  }

  /** The table {@code schema} in {@code folder}, under the schema's file name. */
  public static <R> TableFile<R> in(Path folder, TableSchema<R> schema) {
    return new TableFile<>(folder.resolve(schema.fileName()), schema);
  }

  /** Whether the file exists and holds at least its header. */
  public boolean exists() {
    try {
      return Files.isRegularFile(path) && Files.size(path) > 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Appends rows, writing the header first when the file is new or empty. Appending nothing still
   * creates the file with its header, so a table that is legitimately empty exists.
   *
   * @throws IllegalStateException if the existing file has another header or a truncated tail
   */
  public void append(Collection<? extends R> rows) {
    StringBuilder text = new StringBuilder();
    try {
      if (!exists()) {
        appendLine(text, schema.columns());
      } else {
        checkHeaderAndTail();
      }
      for (R row : rows) {
        appendLine(text, schema.encode(row));
      }
      Files.createDirectories(path.toAbsolutePath().getParent());
      try (FileChannel channel =
          FileChannel.open(
              path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.APPEND)) {
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("appending to " + path, e);
    }
  }

  /** Replaces the whole table with {@code rows}, atomically. */
  public void write(Collection<? extends R> rows) {
    StringBuilder text = new StringBuilder();
    appendLine(text, schema.columns());
    for (R row : rows) {
      appendLine(text, schema.encode(row));
    }
    AtomicFiles.writeString(path, text.toString());
  }

  /**
   * Reads every row. A missing file reads as no rows (nothing of this table was written yet).
   *
   * @throws IllegalStateException if the header differs from the schema's, a line has the wrong
   *     number of cells, or the last line is truncated
   * @throws IllegalArgumentException if a cell does not parse
   */
  public List<R> read() {
    if (!exists()) {
      return List.of();
    }
    checkHeaderAndTail();
    List<R> rows = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
        CSVParser parser = CSVParser.builder().setReader(reader).setFormat(READ_FORMAT).get()) {
      boolean header = true;
      for (CSVRecord record : parser) {
        if (header) {
          header = false;
          continue;
        }
        if (record.size() != schema.columns().size()) {
          throw new IllegalStateException(
              path + " line " + parser.getCurrentLineNumber() + ": " + record.size()
                  + " cells, expected " + schema.columns().size());
        }
        try {
          rows.add(schema.decoder().apply(record.toList()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              path + " line " + parser.getCurrentLineNumber() + ": " + e.getMessage(), e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + path, e);
    }
    return rows;
  }

  /**
   * Keeps only the rows that {@code keep} accepts, rewriting the file atomically. On resume the
   * runner uses this to drop the rows of a stage that did not finish before redoing it.
   *
   * @return the number of rows removed
   */
  public int retain(Predicate<? super R> keep) {
    if (!exists()) {
      return 0;
    }
    List<R> rows = read();
    List<R> kept = rows.stream().filter(keep).toList();
    if (kept.size() != rows.size()) {
      write(kept);
    }
    return rows.size() - kept.size();
  }

  /**
   * Removes a last line that a crash cut off (one without its line end), so that appending can
   * continue. The runner calls this on resume, then redoes the stage whose rows it lost.
   *
   * @return whether anything was removed
   */
  public boolean repairTruncatedTail() {
    if (!exists()) {
      return false;
    }
    try {
      byte[] bytes = Files.readAllBytes(path);
      int end = bytes.length;
      while (end > 0 && bytes[end - 1] != '\n') {
        end--;
      }
      if (end == bytes.length) {
        return false;
      }
      String kept = new String(bytes, 0, end, StandardCharsets.UTF_8);
      AtomicFiles.writeString(path, kept);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("repairing " + path, e);
    }
  }

  private void checkHeaderAndTail() {
    try {
      byte[] bytes = Files.readAllBytes(path);
      if (bytes[bytes.length - 1] != '\n') {
        throw new IllegalStateException(
            path + ": last line is truncated (a crash while writing?); call repairTruncatedTail()");
      }
      String text = new String(bytes, StandardCharsets.UTF_8);
      String first = text.substring(0, text.indexOf('\n'));
      StringBuilder expected = new StringBuilder();
      appendLine(expected, schema.columns());
      if (!(first + "\n").contentEquals(expected)) {
        throw new IllegalStateException(
            path + ": header is '" + first + "', expected '" + expected.toString().strip() + "'");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + path, e);
    }
  }

  private static void appendLine(StringBuilder out, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      appendCell(out, cells.get(i));
    }
    out.append('\n');
  }

  /** RFC 4180 quoting, only where needed, so ordinary tables stay free of quotes. */
  private static void appendCell(StringBuilder out, String cell) {
    boolean quote =
        cell.indexOf(',') >= 0
            || cell.indexOf('"') >= 0
            || cell.indexOf('\n') >= 0
            || cell.indexOf('\r') >= 0;
    if (!quote) {
      out.append(cell);
      return;
    }
    out.append('"').append(cell.replace("\"", "\"\"")).append('"');
  }
}
