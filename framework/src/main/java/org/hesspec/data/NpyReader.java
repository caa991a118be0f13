package org.hesspec.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy {@code .npy} files, format versions 1.0, 2.0 and 3.0.
 *
 * <p>A file is the magic string {@code \x93NUMPY}, a major and minor version byte, the header
 * length (little-endian uint16 in version 1, uint32 in versions 2 and 3), and a header that is a
 * Python dict literal such as {@code {'descr': '<f4', 'fortran_order': False, 'shape': (60000, 784), }},
 * then the data. Supported element types: float32, float64, uint8, int32, int64, little- or
 * big-endian. Fortran-ordered arrays and structured dtypes are rejected. The data must hold
 * exactly the bytes the header announces.
 */
public final class NpyReader {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private NpyReader() {}

  /** Reads {@code file} (gzipped content is inflated first). */
  public static NpyArray read(Path file) {
    byte[] bytes = FileBytes.read(file);
    if (bytes.length < 10) {
      throw new DataFormatException(file, "truncated: " + bytes.length + " bytes, too short for an NPY preamble (at least 10 bytes)");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        throw new DataFormatException(file, String.format("wrong magic: expected 93 4e 55 4d 50 59 (\\x93NUMPY), found %s; not an .npy file",
            hex(bytes, 0, MAGIC.length)));
      }
    }
    int major = bytes[6] & 0xff;
    int minor = bytes[7] & 0xff;
    ByteBuffer pre = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen;
    int headerStart;
    if (major == 1) {
      headerLen = pre.getShort(8) & 0xffff;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      if (bytes.length < 12) {
        throw new DataFormatException(file, "truncated: " + bytes.length + " bytes, too short for an NPY " + major + ".0 preamble (12 bytes)");
      }
      headerLen = pre.getInt(8) & 0xffffffffL;
      headerStart = 12;
    } else {
      throw new DataFormatException(file, "unsupported NPY format version " + major + "." + minor + " (supported: 1.0, 2.0, 3.0)");
    }
    if (headerStart + headerLen > bytes.length) {
      throw new DataFormatException(file, "truncated header: expected " + (headerStart + headerLen) + " bytes, found " + bytes.length);
    }
    String header = new String(bytes, headerStart, (int) headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    int dataStart = headerStart + (int) headerLen;

    Matcher m = DESCR.matcher(header);
    if (!m.find()) {
      throw new DataFormatException(file, "unsupported dtype: the header has no simple 'descr' (structured arrays are not supported): " + header.trim());
    }
    String descr = m.group(1);
    if (descr.length() < 2) {
      throw new DataFormatException(file, "unsupported dtype '" + descr + "'");
    }
    char orderChar = descr.charAt(0);
    NpyArray.Dtype dtype = NpyArray.Dtype.fromCode(descr.substring(1));
    if (dtype == null || "<>|=".indexOf(orderChar) < 0) {
      throw new DataFormatException(file, "unsupported dtype '" + descr + "' (supported: float32 <f4, float64 <f8, uint8 |u1, int32 <i4, int64 <i8, either byte order)");
    }
    ByteOrder order = switch (orderChar) {
      case '>' -> ByteOrder.BIG_ENDIAN;
      case '<' -> ByteOrder.LITTLE_ENDIAN;
      default -> ByteOrder.nativeOrder(); // '|' (single bytes, order irrelevant) or '=' (native)
    };

    Matcher f = FORTRAN.matcher(header);
    if (!f.find()) {
      throw new DataFormatException(file, "malformed header: no 'fortran_order' entry: " + header.trim());
    }
    if (f.group(1).equals("True")) {
      throw new DataFormatException(file, "Fortran-ordered array (fortran_order: True) is not supported; "
          + "save it in C order, e.g. np.save(path, np.ascontiguousarray(a))");
    }

    Matcher s = SHAPE.matcher(header);
    if (!s.find()) {
      throw new DataFormatException(file, "malformed header: no 'shape' tuple: " + header.trim());
    }
    int[] shape = parseShape(file, s.group(1));
    long count = 1;
    for (int d : shape) {
      count *= d;
    }
    long expected = dataStart + count * dtype.bytes();
    if (bytes.length < expected) {
      throw new DataFormatException(file, "truncated: shape " + java.util.Arrays.toString(shape) + " of " + dtype.numpyName()
          + " needs " + expected + " bytes, found " + bytes.length);
    }
    if (bytes.length > expected) {
      throw new DataFormatException(file, "shape " + java.util.Arrays.toString(shape) + " of " + dtype.numpyName()
          + " needs " + expected + " bytes but the file has " + bytes.length + "; trailing data");
    }
    ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) (count * dtype.bytes())).slice().order(order);
    return new NpyArray(file, dtype, shape, data);
  }

  private static int[] parseShape(Path file, String tuple) {
    String t = tuple.trim();
    if (t.isEmpty()) {
      return new int[0];
    }
    String[] parts = t.split(",");
    int k = 0;
    int[] shape = new int[parts.length];
    for (String p : parts) {
      String q = p.trim();
      if (q.isEmpty()) {
        continue; // trailing comma of a one-element tuple
      }
      try {
        // NumPy on some platforms writes 60000L; accept the suffix.
        shape[k++] = Integer.parseInt(q.endsWith("L") ? q.substring(0, q.length() - 1) : q);
      } catch (NumberFormatException e) {
        throw new DataFormatException(file, "malformed shape (" + tuple + "): '" + q + "' is not an integer");
      }
      if (shape[k - 1] < 0) {
        throw new DataFormatException(file, "malformed shape (" + tuple + "): negative dimension");
      }
    }
    return java.util.Arrays.copyOf(shape, k);
  }

  private static String hex(byte[] b, int from, int len) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < from + len && i < b.length; i++) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(String.format("%02x", b[i] & 0xff));
    }
    return sb.toString();
  }
}
