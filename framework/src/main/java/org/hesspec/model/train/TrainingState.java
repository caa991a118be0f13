package org.hesspec.model.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hesspec.json.Json;

/**
 * The trainer's own checkpoint: everything a resumed training needs to continue bit for bit
 * after the epoch it was taken at. The order of the examples needs no state: it depends only on
 * (seed, epoch) (see {@link EpochOrder}).
 *
 * <p>File layout: the line {@code hesspec-training-state/1}, a 4-byte length and a UTF-8 JSON
 * header (fingerprint, epoch, progress), then the tensors: parameters, momentum buffers, batch-norm
 * statistics, each as its name, rank, dimensions and float32 bits. Written to a temporary file,
 * synced, and renamed over the old one, so a reader (or a process killed while writing) never
 * sees a half-written state.
 *
 * @param fingerprint identifies the training (architecture, settings, data); a state is only
 *     resumed by the same training
 * @param epoch epochs completed
 * @param firstZeroErrorEpoch the first evaluated epoch with zero training error, or 0 if none yet
 * @param reachedTarget whether a stopping target was reached at {@code epoch}
 * @param elapsedMillis wall-clock training time so far (for reports only)
 * @param model parameters and batch-norm statistics after {@code epoch}
 * @param momentum the momentum buffer of every parameter, in the same order
 */
record TrainingState(String fingerprint, int epoch, int firstZeroErrorEpoch, boolean reachedTarget, long elapsedMillis,
    ModelState model, List<NamedTensor> momentum) {

  static final String MAGIC = "hesspec-training-state/1\n";

  TrainingState {
    momentum = List.copyOf(momentum);
  }

  /** Writes the state atomically to {@code file}. */
  void write(Path file) {
    Path target = file.toAbsolutePath();
    try {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
      try {
        try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(fos, 1 << 20))) {
          out.write(MAGIC.getBytes(StandardCharsets.UTF_8));
          byte[] header = Json.write(header()).getBytes(StandardCharsets.UTF_8);
          out.writeInt(header.length);
          out.write(header);
          List<NamedTensor> all = new ArrayList<>(model.parameters());
          all.addAll(momentum);
          all.addAll(model.statistics());
          out.writeInt(all.size());
          for (NamedTensor t : all) {
            out.writeUTF(t.name());
            long[] shape = t.shape();
            out.writeInt(shape.length);
            for (long d : shape) {
              out.writeLong(d);
            }
            float[] v = t.values();
            out.writeInt(v.length);
            for (float x : v) {
              out.writeInt(Float.floatToRawIntBits(x));
            }
          }
          out.flush();
          fos.getFD().sync();
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the training state " + target, e);
    }
  }

  private Map<String, Object> header() {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("fingerprint", fingerprint);
    h.put("epoch", epoch);
    h.put("first_zero_error_epoch", firstZeroErrorEpoch);
    h.put("reached_target", reachedTarget);
    h.put("elapsed_ms", elapsedMillis);
    h.put("parameters", model.parameters().size());
    h.put("statistics", model.statistics().size());
    return h;
  }

  /** Reads a state written by {@link #write}; a damaged or foreign file is an error naming it. */
  static TrainingState read(Path file) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
      byte[] magic = in.readNBytes(MAGIC.length());
      if (!new String(magic, StandardCharsets.UTF_8).equals(MAGIC)) {
        throw new IllegalArgumentException(file + " is not a hesspec training state (delete it to train from the start)");
      }
      byte[] header = in.readNBytes(in.readInt());
      if (!(Json.parse(new String(header, StandardCharsets.UTF_8)) instanceof Map<?, ?> h)) {
        throw new IllegalArgumentException(file + ": damaged header");
      }
      int params = number(h, "parameters", file);
      int stats = number(h, "statistics", file);
      int count = in.readInt();
      if (count != 2 * params + stats) {
        throw new IllegalArgumentException(file + ": " + count + " tensors, expected " + (2 * params + stats));
      }
      List<NamedTensor> all = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String name = in.readUTF();
        long[] shape = new long[in.readInt()];
        for (int d = 0; d < shape.length; d++) {
          shape[d] = in.readLong();
        }
        float[] v = new float[in.readInt()];
        for (int k = 0; k < v.length; k++) {
          v[k] = Float.intBitsToFloat(in.readInt());
        }
        all.add(new NamedTensor(name, shape, v));
      }
      ModelState model = new ModelState(all.subList(0, params), all.subList(2 * params, count));
      return new TrainingState((String) h.get("fingerprint"), number(h, "epoch", file), number(h, "first_zero_error_epoch", file),
          Boolean.TRUE.equals(h.get("reached_target")), ((Number) h.get("elapsed_ms")).longValue(), model,
          all.subList(params, 2 * params));
    } catch (java.io.EOFException e) {
      throw new IllegalArgumentException(file + " is truncated (delete it to train from the start)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the training state " + file, e);
    }
  }

  private static int number(Map<?, ?> h, String key, Path file) {
    if (h.get(key) instanceof Number n) {
      return n.intValue();
    }
    throw new IllegalArgumentException(file + ": header has no " + key);
  }
}
