package org.hesspec.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a whole data file into memory in one bulk read, inflating it when it is gzipped.
 *
 * <p>Compression is detected from the content (the gzip magic bytes {@code 1f 8b}), not from the
 * file name, so {@code train-images-idx3-ubyte} may be either. Whole-file reads keep the parsers
 * simple and fast: the largest input (60000 Fashion-MNIST images, 47 MB) takes well under a second.
 */
final class FileBytes {

  private static final int BUFFER = 1 << 16;

  private FileBytes() {}

  /** The (decompressed) content of {@code file}. */
  static byte[] read(Path file) {
    if (!Files.exists(file)) {
      throw new DataFormatException(file, "file not found");
    }
    if (!Files.isRegularFile(file)) {
      throw new DataFormatException(file, "not a regular file");
    }
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      if (b0 == 0x1f && b1 == 0x8b) {
        try (InputStream in = new GZIPInputStream(raw, BUFFER)) {
          return in.readAllBytes();
        } catch (EOFException e) {
          throw new DataFormatException(file, "gzip stream is truncated (unexpected end of file)", e);
        } catch (ZipException e) {
          throw new DataFormatException(file, "corrupt gzip stream: " + e.getMessage(), e);
        }
      }
      return raw.readAllBytes();
    } catch (IOException e) {
      throw new DataFormatException(file, "cannot read: " + e, e);
    }
  }
}
