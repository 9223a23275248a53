package io.mlops.internal.hash;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.mlops.internal.json.PyJson;
import io.mlops.internal.util.PathUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A directory manifest ({@code .dir} object): entries sorted by relpath in code-point order; its bytes are
 * Python's {@code json.dumps(entries, sort_keys=True)} and its hash is the md5 of those bytes plus ".dir".
 */
public final class Tree {
  /**
   * One file of a tree. Size and isexec are known when built from a workspace, -1/false when parsed. The md5 is kept
   * as two numbers (a million-file tree holds a million of them: 16 bytes each instead of a 72-byte string).
   */
  public record Entry(String relpath, long md5High, long md5Low, long size, boolean isexec) {
    /** An entry whose md5 is 32 lower-case hex digits (anything else is refused). */
    public Entry(String relpath, String md5, long size, boolean isexec) {
      this(relpath, Md5Hex.high(md5), Md5Hex.low(md5), size, isexec);
    }

    /** The md5 as 32 lower-case hex digits. */
    public String md5() {
      return Md5Hex.format(md5High, md5Low);
    }
  }

  private static final JsonFactory JSON = new JsonFactory(); // the streaming parser only: no databind start-up

  private final List<Entry> entries;
  private final String hashName;
  private volatile HashInfo digest;

  public Tree(List<Entry> entries, String hashName) {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort((a, b) -> PathUtil.compareCodePoints(a.relpath(), b.relpath()));
    this.entries = Collections.unmodifiableList(sorted);
    this.hashName = hashName;
  }

  public List<Entry> entries() {
    return entries;
  }

  /** The hash name of the files inside ({@code md5} or legacy {@code md5-dos2unix}). */
  public String hashName() {
    return hashName;
  }

  /**
   * Writes the exact bytes of the {@code .dir} object: Python's {@code json.dumps(list, sort_keys=True)} of
   * {@code {"md5", "relpath"}} objects, written directly and in chunks (a million entries are ~80 MB of JSON that is
   * never held in memory whole).
   */
  public void writeTo(OutputStream out) throws IOException {
    StringBuilder sb = new StringBuilder(CHUNK + 512);
    sb.append('[');
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      if (i > 0) {
        sb.append(", ");
      }
      sb.append("{\"md5\": \"");
      Md5Hex.append(sb, e.md5High(), e.md5Low());
      sb.append("\", \"relpath\": ");
      PyJson.writeJsonString(sb, e.relpath());
      sb.append('}');
      if (sb.length() >= CHUNK) {
        flush(sb, out);
      }
    }
    sb.append(']');
    flush(sb, out);
  }

  private static final int CHUNK = 1 << 15;

  /** The chunk as bytes: PyJson escapes everything outside ASCII, so each char is one byte. */
  private static void flush(StringBuilder sb, OutputStream out) throws IOException {
    out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
    sb.setLength(0);
  }

  /** The exact bytes of the {@code .dir} object (for small trees and tests; {@link #writeTo} streams them). */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The tree's hash, {@code <md5>.dir}: the md5 of the bytes {@link #writeTo} writes, computed once. */
  public HashInfo digest() {
    HashInfo d = digest;
    if (d == null) {
      MessageDigest md = FileHasher.md5();
      try {
        writeTo(new OutputStream() {
          @Override
          public void write(int b) {
            md.update((byte) b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            md.update(b, off, len);
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException(e); // not thrown by a digest
      }
      d = new HashInfo(hashName, FileHasher.hex(md.digest()) + HashInfo.DIR_SUFFIX);
      digest = d;
    }
    return d;
  }

  public long totalSize() {
    long s = 0;
    for (Entry e : entries) {
      s += Math.max(0, e.size());
    }
    return s;
  }

  public Meta meta() {
    return Meta.dir(totalSize(), entries.size());
  }

  private static final java.util.regex.Pattern ENTRY_MD5 = java.util.regex.Pattern.compile("[0-9a-f]{32}");

  /**
   * Reads a {@code .dir} object. Anything DVC would not have written is refused with what is wrong: not a JSON list
   * of {@code {md5, relpath}} entries, an md5 that is not one, a path that leaves the directory or is listed twice.
   */
  public static Tree parse(byte[] data, String hashName, String where) {
    String fix = "the object was not written by DVC or this plugin: delete it from the cache and pull again "
        + "(mlops:pull, `mlops pull` or `dvc pull`)";
    String notAList = "is not a JSON list of {\"md5\", \"relpath\"} entries";
    // read token by token into entries (a million-entry manifest as maps of strings would take ~0.5 GB)
    List<Entry> entries = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    try (JsonParser p = JSON.createParser(data)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw corrupt(where, notAList, fix);
      }
      int n = 0;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        n++;
        if (t == JsonToken.VALUE_NULL) {
          throw corrupt(where, "entry " + n + " has no relpath", fix);
        }
        if (t != JsonToken.START_OBJECT) {
          throw corrupt(where, notAList, fix);
        }
        Object rel = null;
        Object md5 = null;
        for (JsonToken f = p.nextToken(); f != JsonToken.END_OBJECT; f = p.nextToken()) {
          String name = p.currentName();
          JsonToken v = p.nextToken();
          Object value = v == JsonToken.VALUE_STRING ? p.getText() : v.isScalarValue() ? scalar(p, v) : skip(p, v);
          if ("relpath".equals(name)) {
            rel = value;
          } else if ("md5".equals(name)) {
            md5 = value;
          }
        }
        if (!(rel instanceof String r)) {
          throw corrupt(where, "entry " + n + " has no relpath", fix);
        }
        if (!(md5 instanceof String h) || !ENTRY_MD5.matcher(h).matches()) {
          throw corrupt(where, "entry " + n + " ('" + abbreviate(r) + "') has "
              + (md5 == null ? "no md5" : "md5 '" + abbreviate(String.valueOf(md5)) + "', not 32 hex digits"), fix);
        }
        String norm = PathUtil.normalize(r);
        if (norm == null || r.startsWith("/") || ".".equals(norm) || !norm.equals(r)) {
          throw new io.mlops.api.MlopsException(
              "directory manifest " + where + " has an unsafe path '" + abbreviate(r) + "' that leaves its directory",
              null,
              0,
              fix);
        }
        if (!seen.add(r)) {
          throw corrupt(where, "lists '" + abbreviate(r) + "' twice", fix);
        }
        entries.add(new Entry(r, h, -1, false));
      }
      if (p.nextToken() != null) {
        throw corrupt(where, notAList, fix); // something after the list
      }
    } catch (com.fasterxml.jackson.core.JsonParseException e) {
      throw corrupt(where, "is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")", fix);
    } catch (IOException e) {
      throw corrupt(where, notAList, fix);
    }
    return new Tree(entries, hashName);
  }

  /** A scalar that is not a string, as the generic reader would have given it (only its presence matters). */
  private static Object scalar(JsonParser p, JsonToken v) throws IOException {
    return v == JsonToken.VALUE_NULL ? null : p.getText();
  }

  /** Skips an array or object value (never a valid md5 or relpath), shown as {@code [...]} or <code>{...}</code>. */
  private static Object skip(JsonParser p, JsonToken v) throws IOException {
    p.skipChildren();
    String shown = v == JsonToken.START_ARRAY ? "[...]" : "{...}";
    return new Object() {
      @Override
      public String toString() {
        return shown;
      }
    };
  }

  private static io.mlops.api.MlopsException corrupt(String where, String what, String fix) {
    return new io.mlops.api.MlopsException("corrupt directory manifest " + where + ": it " + what, null, 0, fix);
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
