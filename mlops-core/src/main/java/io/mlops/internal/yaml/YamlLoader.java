package io.mlops.internal.yaml;

import io.mlops.api.MlopsException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.Schema;

/**
 * Loads YAML the way DVC does (ruamel.yaml {@code YAML(typ="safe")}, YAML 1.2 resolution) into plain Java values,
 * keeping source lines.
 *
 * <p>Value model: {@code LinkedHashMap<String,Object>} (document order), {@code ArrayList<Object>}, {@code String},
 * {@code Boolean}, {@code Long} ({@code BigInteger} when it does not fit), {@code Double}, {@code null}.
 *
 * <p>Plain scalars resolve exactly as ruamel.yaml's YAML 1.2 resolver does:
 *
 * <ul>
 *   <li>{@code true|True|TRUE|false|False|FALSE} → Boolean; {@code yes/no/on/off/y/n} stay strings;
 *   <li>{@code ~}, {@code null|Null|NULL} and the empty scalar → null;
 *   <li>ints: decimal (leading zeros are decimal: {@code 010} → 10), {@code 0o17}, {@code 0x1F}, {@code 0b101},
 *       optional sign, {@code _} separators ignored ({@code 1_000} → 1000);
 *   <li>floats: {@code 1.5}, {@code 1.}, {@code .5}, {@code 1e5} (no dot needed: → 100000.0), {@code _}
 *       ignored, {@code .inf}/{@code -.inf}/{@code .nan} (any of the three capitalisations);
 *   <li>timestamps ({@code 2001-12-14}, {@code 2001-12-14 21:59:43.10 -5}) are kept as their text: ruamel gives
 *       a {@code datetime.date}/{@code datetime}, which has no counterpart in the value model;
 *   <li>{@code <<} merge keys are applied like ruamel (the merged keys come first, own keys override).
 * </ul>
 *
 * <p>Mapping keys that are not strings are converted with Python's {@code str()} ({@code 1} → "1", {@code true}
 * → "True", {@code null} → "None"). Duplicate keys are an error, as in ruamel.yaml.
 */
public final class YamlLoader {
  private YamlLoader() {}

  private static final Pattern BOOL = Pattern.compile("true|True|TRUE|false|False|FALSE");
  private static final Pattern FLOAT =
      Pattern.compile(
          "[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
              + "|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
              + "|[-+]?\\.[0-9_]+(?:[eE][-+][0-9]+)?"
              + "|[-+]?\\.(?:inf|Inf|INF)"
              + "|\\.(?:nan|NaN|NAN)");
  private static final Pattern INT =
      Pattern.compile("[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+");
  private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
  private static final Pattern TIMESTAMP =
      Pattern.compile(
          "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
              + "|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
              + "(?:[Tt]|[ \\t]+)[0-9][0-9]?"
              + ":[0-9][0-9]:[0-9][0-9](?:\\.[0-9]*)?"
              + "(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?");

  static final Tag TIMESTAMP_TAG = new Tag(Tag.PREFIX + "timestamp");

  /**
   * The tag given to a plain {@code <<} key. Not snakeyaml's {@link Tag#MERGE}, so that its composer leaves the
   * merge to us (ruamel merges in a different order).
   */
  static final Tag MERGE_TAG = new Tag("tag:mlops.io,2025:merge");

  /** ruamel.yaml's YAML 1.2 implicit resolver, in its order: bool, float, int, merge, null, timestamp. */
  static final ScalarResolver RESOLVER =
      (value, implicit) -> {
        if (!implicit) {
          return Tag.STR;
        }
        if (BOOL.matcher(value).matches()) {
          return Tag.BOOL;
        }
        if (FLOAT.matcher(value).matches()) {
          return Tag.FLOAT;
        }
        if (!value.isEmpty() && "-+0123456789".indexOf(value.charAt(0)) >= 0 && INT.matcher(value).matches()) {
          return Tag.INT;
        }
        if (value.equals("<<")) {
          return MERGE_TAG;
        }
        if (NULL.matcher(value).matches()) {
          return Tag.NULL;
        }
        if (TIMESTAMP.matcher(value).matches()) {
          return TIMESTAMP_TAG;
        }
        return Tag.STR;
      };

  private static final Schema SCHEMA =
      new Schema() {
        @Override
        public ScalarResolver getScalarResolver() {
          return RESOLVER;
        }

        @Override
        public Map<Tag, ConstructNode> getSchemaTagConstructors() {
          return Map.of();
        }
      };

  /** Reads and loads a UTF-8 YAML file. */
  public static LoadedYaml load(Path file) {
    return load(readUtf8(file), file);
  }

  /** Loads YAML text; {@code nameForErrors} names the source in error messages (may be null). */
  public static LoadedYaml load(String text, Path nameForErrors) {
    return compose(text, nameForErrors);
  }

  /**
   * The deepest nesting of collections accepted, counted in the text and, through aliases, in the loaded values.
   * The composer, the builder and every reader of the values recurse once per level, so without a bound a file
   * of a few kilobytes of {@code [[[[...} overflows the stack. DVC itself stops near 470 levels ("maximum
   * recursion depth exceeded"), so no file DVC can read is refused; real files use fewer than ten. (At 1000, the
   * fuzzer's instrumented code overflowed a 1 MiB stack.)
   */
  public static final int MAX_DEPTH = 500;

  private static MlopsException tooDeep(Path file, int line) {
    return new MlopsException(
        "invalid YAML: collections nested more than " + MAX_DEPTH + " levels deep (line " + line + ")",
        file,
        line,
        "Flatten the structure; DVC's files need a few levels of nesting.");
  }

  /** The parser's events, failing as soon as collections nest more than {@link #MAX_DEPTH} levels. */
  private static final class DepthLimitedParser implements Parser {
    private final Parser parser;
    private final Path file;
    private int depth;

    DepthLimitedParser(Parser parser, Path file) {
      this.parser = parser;
      this.file = file;
    }

    @Override
    public boolean checkEvent(Event.ID id) {
      return parser.checkEvent(id);
    }

    @Override
    public Event peekEvent() {
      return parser.peekEvent();
    }

    @Override
    public boolean hasNext() {
      return parser.hasNext();
    }

    @Override
    public Event next() {
      Event e = parser.next();
      switch (e.getEventId()) {
        case SequenceStart, MappingStart -> {
          if (++depth > MAX_DEPTH) {
            throw tooDeep(file, e.getStartMark().map(m -> m.getLine() + 1).orElse(0));
          }
        }
        case SequenceEnd, MappingEnd -> depth--;
        default -> {}
      }
      return e;
    }
  }

  private static LoadedYaml compose(String text, Path nameForErrors) {
    LoadSettings settings =
        LoadSettings.builder()
            .setSchema(SCHEMA)
            .setLabel(nameForErrors == null ? "<text>" : nameForErrors.toString())
            .setAllowRecursiveKeys(false)
            .setCodePointLimit(Integer.MAX_VALUE)
            // the whole text in one buffer: the reader's default 1 KiB buffer is refilled by copying what is
            // left of it for every token, quadratic on a long line (a 20 MB line took a minute)
            .setBufferSize(Math.max(1024, text.length() + 1))
            .setUseMarks(true)
            .build();
    Node node;
    try {
      java.util.Iterator<Node> docs =
          new Composer(settings, new DepthLimitedParser(new ParserImpl(settings, new StreamReader(settings, text)),
              nameForErrors));
      if (!docs.hasNext()) {
        return new LoadedYaml(null, nameForErrors, new SourceLines());
      }
      node = docs.next();
      if (docs.hasNext()) {
        Node second = docs.next();
        throw new MlopsException(
            "expected a single document in the stream, but found another document",
            nameForErrors,
            line(second),
            "Keep one YAML document per file (remove the extra '---').");
      }
    } catch (MarkedYamlEngineException e) {
      throw syntaxError(e, nameForErrors);
    } catch (YamlEngineException e) {
      throw new MlopsException(
          "invalid YAML: " + firstLine(e.getMessage()), nameForErrors, 0, "Fix the YAML syntax.");
    }
    Builder b = new Builder(nameForErrors);
    Object root = b.construct(node, true);
    return new LoadedYaml(root, nameForErrors, b.lines);
  }

  static String readUtf8(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new MlopsException("file does not exist", file, 0, "Create the file or fix the path.");
    } catch (IOException e) {
      throw new MlopsException("cannot read file: " + e.getMessage(), file, 0, null, e);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MlopsException("is not valid utf-8", file, 0, "Save the file with UTF-8 encoding.");
    }
  }

  private static MlopsException syntaxError(MarkedYamlEngineException e, Path file) {
    StringBuilder msg = new StringBuilder("invalid YAML: ");
    String problem = e.getProblem();
    Optional<Mark> pm = e.getProblemMark();
    Optional<Mark> cm = e.getContextMark();
    int line = pm.map(m -> m.getLine() + 1).orElse(cm.map(m -> m.getLine() + 1).orElse(0));
    if (problem != null) {
      msg.append(problem.strip());
      pm.ifPresent(m -> msg.append(" (line ").append(m.getLine() + 1).append(", column ")
          .append(m.getColumn() + 1).append(')'));
    }
    if (e.getContext() != null) {
      msg.append(problem != null ? ", " : "").append(e.getContext().strip());
      cm.ifPresent(m -> msg.append(" (line ").append(m.getLine() + 1).append(", column ")
          .append(m.getColumn() + 1).append(')'));
    }
    String hint = "Fix the YAML syntax near line " + line + ".";
    return new MlopsException(msg.toString(), file, line, hint);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int i = s.indexOf('\n');
    return i < 0 ? s : s.substring(0, i);
  }

  static int line(Node n) {
    return n.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  /** Builds plain values from the node graph, recording lines. */
  private static final class Builder {
    final Path file;
    final SourceLines lines = new SourceLines();
    final IdentityHashMap<Node, Object> constructed = new IdentityHashMap<>();
    final IdentityHashMap<Node, Boolean> inProgress = new IdentityHashMap<>();
    /** Levels of collections in each constructed collection's value, aliases followed (a scalar has none). */
    final IdentityHashMap<Node, Integer> heights = new IdentityHashMap<>();

    Builder(Path file) {
      this.file = file;
    }

    MlopsException error(String message, Node at, String hint) {
      return new MlopsException(message, file, line(at), hint);
    }

    Object construct(Node node, boolean allowMerge) {
      if (constructed.containsKey(node)) {
        return constructed.get(node);
      }
      if (inProgress.containsKey(node)) {
        throw error("recursive YAML aliases are not supported", node, "Remove the self-referencing alias.");
      }
      Object value;
      if (node instanceof ScalarNode s) {
        value = scalar(s);
      } else if (node instanceof SequenceNode seq) {
        checkCollectionTag(seq, Tag.SEQ);
        inProgress.put(node, Boolean.TRUE);
        ArrayList<Object> list = new ArrayList<>(seq.getValue().size());
        lines.container(list, line(seq));
        int i = 0;
        int height = 0;
        for (Node item : seq.getValue()) {
          list.add(construct(item, true));
          lines.item(list, i++, line(item));
          height = Math.max(height, heightOf(item));
        }
        inProgress.remove(node);
        setHeight(node, height + 1);
        value = list;
      } else if (node instanceof MappingNode map) {
        checkCollectionTag(map, Tag.MAP);
        inProgress.put(node, Boolean.TRUE);
        value = mapping(map);
        inProgress.remove(node);
      } else {
        throw error("unsupported YAML node", node, null);
      }
      constructed.put(node, value);
      return value;
    }

    int heightOf(Node node) {
      return heights.getOrDefault(node, 0);
    }

    /**
     * Records a collection's height. The parser bounds the nesting of the text; this bounds it in the values,
     * where aliases can stack one deep collection inside another.
     */
    void setHeight(Node node, int height) {
      if (height > MAX_DEPTH) {
        throw tooDeep(file, line(node));
      }
      heights.put(node, height);
    }

    void checkCollectionTag(Node node, Tag expected) {
      Tag tag = node.getTag();
      if (!tag.equals(expected)) {
        throw error(
            "could not determine a constructor for the tag '" + tag.getValue() + "'",
            node,
            "Remove the tag; only standard YAML types are supported.");
      }
    }

    /** One entry of a mapping: key text, its node (for lines/messages), value node. */
    record Pair(String key, Object pyKey, Node keyNode, Node valueNode) {}

    LinkedHashMap<String, Object> mapping(MappingNode node) {
      List<Pair> merged = new ArrayList<>();
      List<Pair> own = new ArrayList<>();
      flatten(node, merged, own);
      LinkedHashMap<String, Object> result = new LinkedHashMap<>();
      lines.container(result, line(node));
      if (merged.isEmpty()) {
        // like ruamel, duplicate keys are only checked when nothing was merged in
        Map<Object, Pair> seen = new HashMap<>();
        for (Pair p : own) {
          Pair prev = seen.putIfAbsent(p.pyKey, p);
          if (prev == null && !p.key.equals(p.pyKey)) {
            prev = seen.putIfAbsent(p.key, p);
          }
          if (prev != null) {
            throw error(
                "found duplicate key \"" + p.key + "\" (first defined on line " + line(prev.keyNode) + ")",
                p.keyNode,
                "Remove or rename one of the duplicate keys; DVC rejects YAML files with duplicate keys.");
          }
        }
      }
      // a Python dict update: a repeated key keeps its first position and takes the last value
      int height = 0;
      for (List<Pair> part : List.of(merged, own)) {
        for (Pair p : part) {
          result.put(p.key, construct(p.valueNode, true));
          lines.key(result, p.key, line(p.keyNode));
          height = Math.max(height, heightOf(p.valueNode));
        }
      }
      setHeight(node, height + 1);
      return result;
    }

    /** ruamel's SafeConstructor.flatten_mapping: collects merge ({@code <<}) entries and own entries. */
    void flatten(MappingNode node, List<Pair> merged, List<Pair> own) {
      boolean sawMerge = false;
      for (NodeTuple t : node.getValue()) {
        Node k = t.getKeyNode();
        if (k instanceof ScalarNode ks && ks.getTag().equals(MERGE_TAG)) {
          if (sawMerge) {
            throw error("found duplicate merge key \"<<\"", k, "Use a single '<<' key with a list of mappings.");
          }
          sawMerge = true;
          Node v = t.getValueNode();
          if (v instanceof MappingNode vm) {
            List<Pair> sub = new ArrayList<>();
            flattenAll(vm, sub);
            merged.addAll(sub);
          } else if (v instanceof SequenceNode vs) {
            List<List<Pair>> subs = new ArrayList<>();
            for (Node sn : vs.getValue()) {
              if (!(sn instanceof MappingNode smn)) {
                throw error("expected a mapping for merging, but found " + kind(sn), sn, null);
              }
              List<Pair> sub = new ArrayList<>();
              flattenAll(smn, sub);
              subs.add(sub);
            }
            for (int i = subs.size() - 1; i >= 0; i--) {
              merged.addAll(subs.get(i));
            }
          } else {
            throw error(
                "expected a mapping or list of mappings for merging, but found " + kind(v), v, null);
          }
        } else {
          own.add(pair(t));
        }
      }
    }

    /** Entries of a merged mapping: its own merges first, then its own keys (later entries win on put). */
    void flattenAll(MappingNode node, List<Pair> out) {
      List<Pair> merged = new ArrayList<>();
      List<Pair> own = new ArrayList<>();
      flatten(node, merged, own);
      out.addAll(merged);
      out.addAll(own);
    }

    String kind(Node n) {
      if (n instanceof ScalarNode) {
        return "scalar";
      }
      if (n instanceof SequenceNode) {
        return "sequence";
      }
      return "mapping";
    }

    Pair pair(NodeTuple t) {
      Node k = t.getKeyNode();
      if (!(k instanceof ScalarNode)) {
        throw error(
            "complex (non-scalar) mapping keys are not supported",
            k,
            "Use plain string keys.");
      }
      Object key = construct(k, false);
      String text = PyStr.str(key);
      return new Pair(text, pyKey(key), k, t.getValueNode());
    }

    /** A key with Python's equality: 1 == 1.0 == True. */
    Object pyKey(Object key) {
      if (key instanceof Boolean b) {
        return BigInteger.valueOf(b ? 1 : 0);
      }
      if (key instanceof Long l) {
        return BigInteger.valueOf(l);
      }
      if (key instanceof Double d && !d.isInfinite() && !d.isNaN() && d == Math.rint(d)) {
        return new java.math.BigDecimal(d).toBigInteger();
      }
      if (key == null) {
        return List.of();
      }
      return key;
    }

    Object scalar(ScalarNode s) {
      Tag tag = s.getTag();
      String v = s.getValue();
      if (tag.equals(Tag.STR)) {
        return v;
      }
      if (tag.equals(Tag.NULL)) {
        return null;
      }
      if (tag.equals(Tag.BOOL)) {
        switch (v.toLowerCase(java.util.Locale.ROOT)) {
          case "true", "yes", "y", "on":
            return Boolean.TRUE;
          case "false", "no", "n", "off":
            return Boolean.FALSE;
          default:
            throw error("invalid boolean '" + v + "'", s, null);
        }
      }
      if (tag.equals(Tag.INT)) {
        return parseInt(v, s);
      }
      if (tag.equals(Tag.FLOAT)) {
        return parseFloat(v, s);
      }
      if (tag.equals(TIMESTAMP_TAG)) {
        return v;
      }
      if (tag.equals(MERGE_TAG)) {
        return "<<";
      }
      throw error(
          "could not determine a constructor for the tag '" + tag.getValue() + "'",
          s,
          "Remove the tag; only standard YAML types are supported.");
    }

    Object parseInt(String text, Node at) {
      String s = text.replace("_", "");
      int sign = 1;
      if (!s.isEmpty() && s.charAt(0) == '-') {
        sign = -1;
      }
      if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
        s = s.substring(1);
      }
      try {
        BigInteger value;
        if (s.equals("0")) {
          value = BigInteger.ZERO;
        } else if (s.startsWith("0b")) {
          value = new BigInteger(s.substring(2), 2);
        } else if (s.startsWith("0x")) {
          value = new BigInteger(s.substring(2), 16);
        } else if (s.startsWith("0o")) {
          value = new BigInteger(s.substring(2), 8);
        } else {
          value = new BigInteger(s.strip(), 10);
        }
        return narrow(sign < 0 ? value.negate() : value);
      } catch (NumberFormatException e) {
        throw error("invalid integer '" + text + "'", at, "Quote the value if it is meant to be a string.");
      }
    }

    Object parseFloat(String text, Node at) {
      String s = text.replace("_", "").toLowerCase(java.util.Locale.ROOT);
      double sign = 1;
      if (!s.isEmpty() && s.charAt(0) == '-') {
        sign = -1;
      }
      if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
        s = s.substring(1);
      }
      if (s.equals(".inf")) {
        return sign * Double.POSITIVE_INFINITY;
      }
      if (s.equals(".nan")) {
        return Double.NaN;
      }
      try {
        return sign * Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw error("invalid float '" + text + "'", at, "Quote the value if it is meant to be a string.");
      }
    }
  }

  /** A BigInteger as Long when it fits. */
  public static Object narrow(BigInteger v) {
    return v.bitLength() < 64 ? (Object) v.longValue() : v;
  }
}
