package io.mlops.internal.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import io.mlops.api.MlopsException;
import io.mlops.internal.yaml.PyStr;
import io.mlops.internal.yaml.YamlLoader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads params files the way DVC does ({@code dvc/utils/serialize}): the format goes by the (lower-cased)
 * extension — {@code .json}, {@code .toml}, {@code .py} — and anything else is YAML (ruamel safe, see
 * {@link YamlLoader}). Values use the plain value model (LinkedHashMap in file order, ArrayList, String, Boolean,
 * Long/BigInteger, Double, null).
 */
public final class ParamsFile {
  private ParamsFile() {}

  /** Returned by {@link #get} when the key is absent (null is a legitimate value). */
  public static final Object MISSING =
      new Object() {
        @Override
        public String toString() {
          return "<missing>";
        }
      };

  private static final JsonFactory JSON =
      JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private static final TomlFactory TOML = new TomlFactory();

  /**
   * Reads a params file. An empty document (or any "falsy" one, as DVC's {@code load(...) or {}}) gives an
   * empty map.
   *
   * @throws MlopsException naming the file when it is missing, a directory, unreadable, unparsable, or its top
   *     level is not a mapping
   */
  public static Map<String, Object> read(Path file) {
    Object data = load(file);
    if (data instanceof Map<?, ?>) {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) data;
      return map;
    }
    throw new MlopsException(
        "expected a dictionary, got '" + PyStr.typeName(data) + "' in file '" + file + "'",
        file,
        0,
        "A params file must hold a mapping of names to values at its top level.");
  }

  /**
   * Reads a file of any supported format and returns its top-level value as DVC's {@code load_path} does
   * (falsy documents become an empty map).
   */
  public static Object load(Path file) {
    if (Files.isDirectory(file)) {
      throw new MlopsException(
          "'" + file + "' is a directory, expected a parameters file", file, 0, "Point to a file.");
    }
    Object data = parse(readUtf8(file), file);
    return PyStr.falsy(data) ? new LinkedHashMap<String, Object>() : data;
  }

  /**
   * Parses a file's contents (e.g. read from a Git revision) as {@link #load(Path)} does (falsy documents become
   * an empty map); {@code file} gives the format (by extension) and names the file in errors.
   */
  public static Object parse(byte[] contents, Path file) {
    Object data = parse(decodeUtf8(contents, file), file);
    return PyStr.falsy(data) ? new LinkedHashMap<String, Object>() : data;
  }

  /**
   * Parses the text of a JSON, TOML, {@code .py} or (any other name) YAML file, chosen by the extension of
   * {@code file}, which also names the source in errors. Returns the document as it is (no falsy-to-map).
   */
  public static Object parse(String text, Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    return switch (suffix(name)) {
      case ".json" -> parseJson(text, file);
      case ".toml" -> parseToml(text, file);
      case ".py" -> PyParams.parse(text, file);
      default -> YamlLoader.load(text, file).root();
    };
  }

  /** Python's {@code os.path.splitext(name)[1].lower()} (a leading dot does not start an extension). */
  static String suffix(String name) {
    int dot = name.lastIndexOf('.');
    if (dot <= 0) {
      return "";
    }
    int i = 0;
    while (i < name.length() && name.charAt(i) == '.') {
      i++;
    }
    if (dot < i) {
      return "";
    }
    return name.substring(dot).toLowerCase(Locale.ROOT);
  }

  /**
   * Looks up a dotted key like DVC ({@code dpath.get(data, key, separator=".")}): {@code a.b.c} walks nested
   * mappings, and a segment addressing a list is an index ({@code layers.0}, negative counts from the end).
   * Leading dots are ignored. Returns {@link #MISSING} when the key is absent; an empty key gives the root.
   */
  public static Object get(Map<String, Object> root, String dottedKey) {
    String key = dottedKey;
    int start = 0;
    while (start < key.length() && key.charAt(start) == '.') {
      start++;
    }
    key = key.substring(start);
    if (key.isEmpty()) {
      return root;
    }
    Object current = root;
    for (String segment : key.split("\\.", -1)) {
      if (current instanceof Map<?, ?> m) {
        if (!m.containsKey(segment)) {
          return MISSING;
        }
        current = m.get(segment);
      } else if (current instanceof List<?> l) {
        Integer idx = pyInt(segment);
        if (idx == null) {
          return MISSING;
        }
        int i = idx < 0 ? l.size() + idx : idx;
        if (i < 0 || i >= l.size()) {
          return MISSING;
        }
        current = l.get(i);
      } else {
        return MISSING;
      }
    }
    return current;
  }

  /** True when {@link #get} finds the key. */
  public static boolean contains(Map<String, Object> root, String dottedKey) {
    return get(root, dottedKey) != MISSING;
  }

  /** Python's {@code int(s)} for list indices: surrounding whitespace, sign, digits; null if invalid. */
  private static Integer pyInt(String s) {
    String t = s.strip();
    if (!t.matches("[-+]?[0-9]+")) {
      return null;
    }
    try {
      return Integer.parseInt(t.startsWith("+") ? t.substring(1) : t);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static String readUtf8(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new MlopsException(
          "params file '" + file + "' does not exist", file, 0, "Create the file or fix its path in dvc.yaml.");
    } catch (IOException e) {
      throw new MlopsException("cannot read '" + file + "': " + e.getMessage(), file, 0, null, e);
    }
    return decodeUtf8(bytes, file);
  }

  private static String decodeUtf8(byte[] bytes, Path file) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MlopsException(
          "unable to read: '" + file + "', is not valid utf-8", file, 0, "Save the file with UTF-8 encoding.");
    }
  }

  private static Object parseJson(String text, Path file) {
    try (JsonParser p = JSON.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw corrupted(file, "JSON", "the file is empty", 0);
      }
      Object value = readValue(p, first);
      if (p.nextToken() != null) {
        throw corrupted(file, "JSON", "extra data after the JSON value", p.currentLocation().getLineNr());
      }
      return value;
    } catch (JsonProcessingException e) {
      throw corrupted(file, "JSON", e.getOriginalMessage(), e.getLocation() == null ? 0 : e.getLocation().getLineNr());
    } catch (IOException e) {
      throw new MlopsException("cannot read '" + file + "': " + e.getMessage(), file, 0, null, e);
    }
  }

  private static Object parseToml(String text, Path file) {
    try (JsonParser p = TOML.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return new LinkedHashMap<String, Object>();
      }
      return readValue(p, first);
    } catch (JsonProcessingException e) {
      throw corrupted(file, "TOML", e.getOriginalMessage(), e.getLocation() == null ? 0 : e.getLocation().getLineNr());
    } catch (IOException e) {
      throw new MlopsException("cannot read '" + file + "': " + e.getMessage(), file, 0, null, e);
    }
  }

  private static MlopsException corrupted(Path file, String format, String detail, int line) {
    String msg = "unable to read: '" + file + "', " + format + " file structure is corrupted";
    if (detail != null && !detail.isBlank()) {
      msg += " (" + detail.lines().findFirst().orElse("").strip() + ")";
    }
    return new MlopsException(msg, file, Math.max(line, 0), "Fix the " + format + " syntax.");
  }

  /** Builds the plain value model from a Jackson token stream positioned on {@code t}. */
  private static Object readValue(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        LinkedHashMap<String, Object> map = new LinkedHashMap<>();
        JsonToken n;
        while ((n = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          map.put(name, readValue(p, p.nextToken()));
        }
        return map;
      }
      case START_ARRAY -> {
        ArrayList<Object> list = new ArrayList<>();
        JsonToken n;
        while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
          list.add(readValue(p, n));
        }
        return list;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT -> {
        return switch (p.getNumberType()) {
          case INT, LONG -> p.getLongValue();
          default -> YamlLoader.narrow(p.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return p.getDoubleValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IOException("unexpected token " + t);
    }
  }
}
