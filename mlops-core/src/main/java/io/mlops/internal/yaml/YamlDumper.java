package io.mlops.internal.yaml;

import io.mlops.internal.json.PyJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes YAML text byte-identical to what DVC 3 writes for {@code dvc.lock}, {@code dvc.yaml},
 * {@code .dvc} files and run-cache entries.
 *
 * <p>DVC dumps with ruamel.yaml's round-trip dumper ({@code YAML()} with {@code default_flow_style =
 * False}, everything else at its default: YAML 1.2 resolver, indent 2, sequence dash offset 0, width
 * 80, unicode allowed). This class re-implements the parts of that pipeline that plain data can reach:
 *
 * <ul>
 *   <li>the representer: how {@code None}, booleans, integers and floats are spelled, and that every
 *       non-empty collection is written in block style while empty ones become {@code []} / {@code {}};
 *   <li>the YAML 1.2 implicit resolver, which decides whether a string would read back as something
 *       else (and therefore must be quoted);
 *   <li>the emitter: scalar analysis, the choice between plain, single-quoted and double-quoted style,
 *       the column bookkeeping, and the line folding at 80 columns, including its quirks (a folded plain
 *       line can keep a trailing space; {@code None} as a list item is written as {@code "- "}).
 * </ul>
 *
 * <p>Value model: {@code null}, {@link Boolean}, {@link String}, integers ({@link Integer}, {@link
 * Long}, {@link Short}, {@link Byte}, {@link BigInteger}), floats ({@link Double}, {@link Float},
 * {@link BigDecimal} as the nearest double), {@link Map} (written in iteration order; use a {@link
 * java.util.LinkedHashMap}) and {@link List} / {@code Object[]}. Map keys are normally strings; other
 * scalar keys are written the way ruamel writes the corresponding Python key.
 *
 * <p>Unlike ruamel, a container that occurs twice in the value is written out twice rather than as an
 * anchor and alias; DVC never dumps shared containers.
 */
public final class YamlDumper {

  private YamlDumper() {}

  /**
   * Returns the YAML document for {@code value}, exactly as {@code dvc.utils.serialize.dumps_yaml}
   * would return it (DVC writes this text as UTF-8). The text ends with a newline.
   *
   * @throws IllegalArgumentException if the value contains an unsupported type
   */
  public static String dump(Object value) {
    Emitter emitter = new Emitter();
    emitter.emitDocument(new Representer().represent(value));
    return emitter.output();
  }

  // ===============================================================================================
  // Nodes
  // ===============================================================================================

  /** The core-schema tags that plain data can produce, with their short forms. */
  enum Tag {
    STR("!!str"),
    NULL("!!null"),
    BOOL("!!bool"),
    INT("!!int"),
    FLOAT("!!float"),
    /**
     * Any other tag the resolver can detect (timestamp, merge, value, yaml). Only ever a resolver
     * result: no node carries it.
     */
    OTHER("");

    final String shortForm;

    Tag(String shortForm) {
      this.shortForm = shortForm;
    }
  }

  private sealed interface Node permits ScalarNode, SequenceNode, MappingNode {}

  /**
   * A scalar with its tag and value text.
   *
   * @param plainImplicit the value would resolve to {@code tag} if written plain (no tag needed)
   * @param quotedImplicit the value would resolve to {@code tag} if written quoted, i.e. tag is str
   */
  private record ScalarNode(Tag tag, String value, boolean plainImplicit, boolean quotedImplicit)
      implements Node {

    static ScalarNode of(Tag tag, String value) {
      return new ScalarNode(tag, value, Resolver.resolve(value) == tag, tag == Tag.STR);
    }
  }

  private record SequenceNode(List<Node> items) implements Node {}

  private record MappingNode(List<Node[]> entries) implements Node {}

  // ===============================================================================================
  // Representer: Java values -> nodes
  // ===============================================================================================

  private static final class Representer {

    /** ruamel writes a bare {@code None} as "null" only before any collection has been represented. */
    private boolean anyCollection;

    Node represent(Object value) {
      if (value == null) {
        return ScalarNode.of(Tag.NULL, anyCollection ? "" : "null");
      }
      if (value instanceof String s) {
        return ScalarNode.of(Tag.STR, s);
      }
      if (value instanceof Boolean b) {
        return ScalarNode.of(Tag.BOOL, b ? "true" : "false");
      }
      if (value instanceof Integer
          || value instanceof Long
          || value instanceof Short
          || value instanceof Byte
          || value instanceof BigInteger) {
        return ScalarNode.of(Tag.INT, value.toString());
      }
      if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
        return ScalarNode.of(Tag.FLOAT, floatText(((Number) value).doubleValue()));
      }
      if (value instanceof Map<?, ?> map) {
        anyCollection = true;
        List<Node[]> entries = new ArrayList<>(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (e.getKey() instanceof Map<?, ?>
              || e.getKey() instanceof List<?>
              || e.getKey() instanceof Object[]) {
            throw new IllegalArgumentException("mapping keys must be scalars: " + e.getKey());
          }
          Node key = represent(e.getKey());
          Node val = represent(e.getValue());
          entries.add(new Node[] {key, val});
        }
        return new MappingNode(entries);
      }
      if (value instanceof List<?> || value instanceof Object[]) {
        anyCollection = true;
        List<?> list = value instanceof Object[] arr ? Arrays.asList(arr) : (List<?>) value;
        List<Node> items = new ArrayList<>(list.size());
        for (Object item : list) {
          items.add(represent(item));
        }
        return new SequenceNode(items);
      }
      throw new IllegalArgumentException(
          "cannot represent an object of type " + value.getClass().getName());
    }

    /** ruamel's float representer: {@code repr(f).lower()}, with YAML spellings of the specials. */
    private static String floatText(double d) {
      if (Double.isNaN(d)) {
        return ".nan";
      }
      if (Double.isInfinite(d)) {
        return d > 0 ? ".inf" : "-.inf";
      }
      return PyJson.floatRepr(d);
    }
  }

  // ===============================================================================================
  // Resolver: YAML 1.2 implicit tags
  // ===============================================================================================

  /**
   * ruamel's YAML 1.2 implicit resolvers. A resolver is only tried when the value starts with one of
   * its first characters. Python's {@code $} also matches before a final {@code \n}, which {@link
   * Pattern#UNIX_LINES} plus {@code find()} reproduces.
   */
  static final class Resolver {
    private static final Pattern BOOL =
        compile("^(?:true|True|TRUE|false|False|FALSE)$");
    private static final Pattern FLOAT =
        compile(
            "^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
                + "|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
                + "|[-+]?\\.[0-9_]+(?:[eE][-+][0-9]+)?"
                + "|[-+]?\\.(?:inf|Inf|INF)"
                + "|\\.(?:nan|NaN|NAN))$");
    private static final Pattern INT =
        compile("^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$");
    private static final Pattern MERGE = compile("^(?:<<)$");
    private static final Pattern NULL = compile("^(?:~|null|Null|NULL|)$");
    private static final Pattern TIMESTAMP =
        compile(
            "^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
                + "|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
                + "(?:[Tt]|[ \\t]+)[0-9][0-9]?"
                + ":[0-9][0-9]:[0-9][0-9](?:\\.[0-9]*)?"
                + "(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$");
    private static final Pattern VALUE = compile("^(?:=)$");
    private static final Pattern YAML = compile("^(?:!|&|\\*)$");

    private Resolver() {}

    private static Pattern compile(String regex) {
      return Pattern.compile(regex, Pattern.UNIX_LINES);
    }

    private static boolean matches(Pattern p, String value) {
      return p.matcher(value).find();
    }

    /** The tag a plain scalar with this text would load as. */
    static Tag resolve(String value) {
      if (value.isEmpty()) {
        return Tag.NULL;
      }
      char first = value.charAt(0);
      switch (first) {
        case 't', 'T', 'f', 'F' -> {
          return matches(BOOL, value) ? Tag.BOOL : Tag.STR;
        }
        case '-', '+', '.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> {
          if (matches(FLOAT, value)) {
            return Tag.FLOAT;
          }
          if (first != '.' && matches(INT, value)) {
            return Tag.INT;
          }
          if (first >= '0' && first <= '9' && matches(TIMESTAMP, value)) {
            return Tag.OTHER;
          }
          return Tag.STR;
        }
        case '<' -> {
          return matches(MERGE, value) ? Tag.OTHER : Tag.STR;
        }
        case '~', 'n', 'N' -> {
          return matches(NULL, value) ? Tag.NULL : Tag.STR;
        }
        case '=' -> {
          return matches(VALUE, value) ? Tag.OTHER : Tag.STR;
        }
        case '!', '&', '*' -> {
          return matches(YAML, value) ? Tag.OTHER : Tag.STR;
        }
        default -> {
          return Tag.STR;
        }
      }
    }
  }

  // ===============================================================================================
  // Scalar analysis
  // ===============================================================================================

  /** Which styles a scalar's text allows (ruamel's ScalarAnalysis). */
  private record Analysis(
      boolean empty,
      boolean multiline,
      boolean allowFlowPlain,
      boolean allowBlockPlain,
      boolean allowSingleQuoted) {

    static Analysis of(int[] text) {
      int n = text.length;
      if (n == 0) {
        return new Analysis(true, false, false, true, true);
      }
      boolean blockIndicators = false;
      boolean flowIndicators = false;
      boolean lineBreaks = false;
      boolean specialCharacters = false;
      boolean leadingSpace = false;
      boolean leadingBreak = false;
      boolean trailingSpace = false;
      boolean trailingBreak = false;
      boolean breakSpace = false;
      boolean spaceBreak = false;

      if (startsWith(text, "---") || startsWith(text, "...")) {
        blockIndicators = true;
        flowIndicators = true;
      }
      boolean precededByWhitespace = true;
      boolean followedByWhitespace = n == 1 || isBlankOrBreak(text[1]);
      boolean previousSpace = false;
      boolean previousBreak = false;

      for (int index = 0; index < n; index++) {
        int ch = text[index];
        if (index == 0) {
          if ("#,[]{}&*!|>'\"%@`".indexOf(ch) >= 0) {
            flowIndicators = true;
            blockIndicators = true;
          }
          if (ch == '?' || ch == ':') {
            if (n == 1) {
              flowIndicators = true;
            }
            if (followedByWhitespace) {
              blockIndicators = true;
            }
          }
          if (ch == '-' && followedByWhitespace) {
            flowIndicators = true;
            blockIndicators = true;
          }
        } else {
          if (",[]{}".indexOf(ch) >= 0) {
            flowIndicators = true;
          }
          if (ch == ':' && followedByWhitespace) {
            flowIndicators = true;
            blockIndicators = true;
          }
          if (ch == '#' && precededByWhitespace) {
            flowIndicators = true;
            blockIndicators = true;
          }
        }

        if (isBreak(ch)) {
          lineBreaks = true;
        }
        if (!(ch == '\n' || (ch >= 0x20 && ch <= 0x7E)) && !isPrintableUnicode(ch)) {
          specialCharacters = true;
        }

        if (ch == ' ') {
          if (index == 0) {
            leadingSpace = true;
          }
          if (index == n - 1) {
            trailingSpace = true;
          }
          if (previousBreak) {
            breakSpace = true;
          }
          previousSpace = true;
          previousBreak = false;
        } else if (isBreak(ch)) {
          if (index == 0) {
            leadingBreak = true;
          }
          if (index == n - 1) {
            trailingBreak = true;
          }
          if (previousSpace) {
            spaceBreak = true;
          }
          previousSpace = false;
          previousBreak = true;
        } else {
          previousSpace = false;
          previousBreak = false;
        }

        precededByWhitespace = isBlankOrBreak(ch);
        followedByWhitespace = index + 2 >= n || isBlankOrBreak(text[index + 2]);
      }

      boolean allowFlowPlain = true;
      boolean allowBlockPlain = true;
      boolean allowSingleQuoted = true;
      if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
        allowFlowPlain = allowBlockPlain = false;
      }
      if (breakSpace) {
        allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
      }
      if (specialCharacters || spaceBreak) {
        allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
      }
      if (lineBreaks) {
        allowFlowPlain = allowBlockPlain = false;
      }
      if (flowIndicators) {
        allowFlowPlain = false;
      }
      if (blockIndicators) {
        allowBlockPlain = false;
      }
      return new Analysis(false, lineBreaks, allowFlowPlain, allowBlockPlain, allowSingleQuoted);
    }

    private static boolean startsWith(int[] text, String prefix) {
      if (text.length < prefix.length()) {
        return false;
      }
      for (int i = 0; i < prefix.length(); i++) {
        if (text[i] != prefix.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    /** Characters ruamel writes unescaped when unicode output is allowed (except U+FEFF). */
    private static boolean isPrintableUnicode(int ch) {
      return (ch == 0x85
              || (ch >= 0xA0 && ch <= 0xD7FF)
              || (ch >= 0xE000 && ch <= 0xFFFD)
              || (ch >= 0x10000 && ch <= 0x10FFFF))
          && ch != 0xFEFF;
    }
  }

  /** Line breaks as ruamel's emitter knows them: LF, NEL, LS, PS. */
  private static boolean isBreak(int ch) {
    return ch == '\n' || ch == 0x85 || ch == 0x2028 || ch == 0x2029;
  }

  /** NUL, space, tab, CR and the line breaks. */
  private static boolean isBlankOrBreak(int ch) {
    return ch == 0 || ch == ' ' || ch == '\t' || ch == '\r' || isBreak(ch);
  }

  // ===============================================================================================
  // Emitter
  // ===============================================================================================

  private enum Style {
    PLAIN,
    SINGLE_QUOTED,
    DOUBLE_QUOTED
  }

  /**
   * The block-style part of ruamel's Emitter. Instead of an event queue and a state stack this walks
   * the node tree recursively, but performs the same writes in the same order and keeps the same
   * position and context flags, because the folding and spacing decisions depend on them.
   */
  private static final class Emitter {
    private static final int BEST_INDENT = 2;
    private static final int BEST_WIDTH = 80;
    private static final int MAX_SIMPLE_KEY_LENGTH = 128;

    private final StringBuilder out = new StringBuilder();

    /** Current column, counted in code points as Python counts string length. */
    private int column;
    /** The last character written was whitespace (so an indicator needs no separating space). */
    private boolean whitespace = true;
    /** Only indentation (spaces, '-', '?', ':') has been written on the current line so far. */
    private boolean indention = true;
    /** Suppress the next line break in {@link #writeIndent()}. */
    private boolean noNewline;
    /** A plain root scalar was written: the document needs an explicit end marker. */
    private boolean openEnded;

    /** Current indentation; {@code null} before the root node is entered. */
    private Integer indent;
    /** Saved indentation levels and whether each level belongs to a sequence. */
    private final List<Integer> indentStack = new ArrayList<>();
    private final List<Boolean> indentIsSequence = new ArrayList<>();
    private int flowLevel;

    private boolean rootContext;
    private boolean sequenceContext;
    private boolean mappingContext;
    private boolean simpleKeyContext;

    String output() {
      return out.toString();
    }

    // --- document -------------------------------------------------------------------------------

    void emitDocument(Node root) {
      emitNode(root, true, false, false, false);
      writeIndent();
      if (openEnded) {
        writeIndicator("...", true, false, false);
        writeIndent();
      }
    }

    private void emitNode(
        Node node, boolean root, boolean sequence, boolean mapping, boolean simpleKey) {
      rootContext = root;
      sequenceContext = sequence;
      mappingContext = mapping;
      simpleKeyContext = simpleKey;
      if (node instanceof ScalarNode scalar) {
        emitScalar(scalar);
      } else if (node instanceof SequenceNode seq) {
        if (flowLevel > 0 || seq.items().isEmpty()) {
          emitEmptyFlowCollection('[', ']', true);
        } else {
          emitBlockSequence(seq);
        }
      } else {
        MappingNode map = (MappingNode) node;
        if (flowLevel > 0 || map.entries().isEmpty()) {
          emitEmptyFlowCollection('{', '}', false);
        } else {
          emitBlockMapping(map);
        }
      }
    }

    private void increaseIndent(boolean flow, boolean sequence, boolean indentless) {
      indentStack.add(indent);
      indentIsSequence.add(sequence);
      if (indent == null) {
        indent = flow ? null : 0;
      } else if (!indentless) {
        indent += BEST_INDENT;
      }
    }

    private Integer popIndent() {
      indentIsSequence.remove(indentIsSequence.size() - 1);
      return indentStack.remove(indentStack.size() - 1);
    }

    /** The two innermost indentation levels both belong to sequences ({@code - - item}). */
    private boolean seqSeq() {
      int n = indentIsSequence.size();
      return n >= 2 && indentIsSequence.get(n - 2) && indentIsSequence.get(n - 1);
    }

    // --- collections ----------------------------------------------------------------------------

    /**
     * Empty collections are the only flow collections plain data produces ({@code []} and {@code
     * {}}); flow content is never reached.
     */
    private void emitEmptyFlowCollection(char open, char close, boolean sequence) {
      int align = flowSequenceAlign();
      writeIndicator(" ".repeat(Math.max(0, align)) + open, true, true, false);
      if (sequence) {
        increaseIndent(true, true, false);
        flowLevel++;
        if (seqSeq()) {
          indention = true;
          noNewline = false;
        }
      } else {
        flowLevel++;
        increaseIndent(true, false, false);
      }
      indent = popIndent();
      flowLevel--;
      writeIndicator(String.valueOf(close), false, false, false);
      if (flowLevel == 0) {
        writeLineBreak();
      }
    }

    /** Extra spaces before a flow collection that directly follows a sequence dash. */
    private int flowSequenceAlign() {
      int n = indentStack.size();
      if (n < 2 || !indentIsSequence.get(n - 1)) {
        return 0;
      }
      Integer base = indentStack.get(n - 1);
      return (base == null ? 0 : base) + BEST_INDENT - column - 1;
    }

    private void emitBlockSequence(SequenceNode seq) {
      // A sequence that is a mapping value sits at its key's column ("indentless").
      boolean indentless = mappingContext && !indention;
      increaseIndent(false, true, indentless);
      if (seqSeq()) {
        indention = true;
        noNewline = false;
      }
      for (Node item : seq.items()) {
        boolean suppressNewline = column == 0 && noNewline;
        writeIndent();
        writeIndicator("-", true, false, true);
        if (suppressNewline) {
          noNewline = true;
        }
        emitNode(item, false, true, false, false);
      }
      indent = popIndent();
      noNewline = false;
    }

    private void emitBlockMapping(MappingNode map) {
      increaseIndent(false, false, false);
      for (Node[] entry : map.entries()) {
        Node key = entry[0];
        Node value = entry[1];
        writeIndent();
        if (isSimpleKey(key)) {
          emitNode(key, false, false, true, true);
          writeIndicator(":", false, false, false);
          emitNode(value, false, false, true, false);
        } else {
          writeIndicator("?", true, false, true);
          emitNode(key, false, false, true, false);
          writeIndent();
          writeIndicator(":", true, false, true);
          emitNode(value, false, false, true, false);
        }
      }
      indent = popIndent();
    }

    /**
     * Whether a key can be written as {@code key: value}: a single-line scalar whose text plus its
     * tag's short form ({@code !!str}) stays under 128 characters. Other keys are written as
     * {@code ? key} / {@code : value}.
     */
    private static boolean isSimpleKey(Node key) {
      ScalarNode s = (ScalarNode) key;
      int[] text = s.value().codePoints().toArray();
      int length = s.tag().shortForm.length() + text.length;
      return length < MAX_SIMPLE_KEY_LENGTH && !Analysis.of(text).multiline();
    }

    // --- scalars --------------------------------------------------------------------------------

    private void emitScalar(ScalarNode node) {
      String value = node.value();
      int[] text = value.codePoints().toArray();
      Analysis analysis = Analysis.of(text);
      Style style = chooseStyle(node, analysis);
      if (value.isEmpty() && style == Style.SINGLE_QUOTED && node.tag() == Tag.NULL) {
        // ruamel spells a null that cannot be written as nothing (e.g. a key) as "null"
        node = ScalarNode.of(Tag.NULL, "null");
        text = node.value().codePoints().toArray();
        analysis = Analysis.of(text);
        style = chooseStyle(node, analysis);
      }
      boolean implicit =
          style == Style.PLAIN ? node.plainImplicit() : node.quotedImplicit();
      if (!implicit) {
        // Not reached for the supported value types (a non-string's text always resolves back to
        // its own tag), but this is what ruamel would do.
        writeIndicator(node.tag().shortForm, true, false, false);
        if (sequenceContext && flowLevel == 0) {
          noNewline = true;
        }
      }

      increaseIndent(true, false, false);
      boolean split = !simpleKeyContext;
      if (sequenceContext && flowLevel == 0) {
        writeIndent();
      }
      switch (style) {
        case DOUBLE_QUOTED -> writeDoubleQuoted(text, split);
        case SINGLE_QUOTED -> writeSingleQuoted(text, split);
        case PLAIN -> writePlain(text, split);
      }
      indent = popIndent();
    }

    /**
     * Plain if the text reads back as the same value and the analysis allows it; otherwise double
     * quotes when the text contains {@code '} or a newline; otherwise single quotes if allowed.
     */
    private Style chooseStyle(ScalarNode node, Analysis analysis) {
      if (node.plainImplicit()
          && !(simpleKeyContext && (analysis.empty() || analysis.multiline()))
          && ((flowLevel > 0 && analysis.allowFlowPlain())
              || (flowLevel == 0 && analysis.allowBlockPlain()))) {
        return Style.PLAIN;
      }
      if (node.value().indexOf('\'') >= 0 || node.value().indexOf('\n') >= 0) {
        return Style.DOUBLE_QUOTED;
      }
      if (analysis.allowSingleQuoted() && !(simpleKeyContext && analysis.multiline())) {
        return Style.SINGLE_QUOTED;
      }
      return Style.DOUBLE_QUOTED;
    }

    /**
     * Writes a plain scalar, folding at single spaces once the line has reached the width, and moving
     * a word that would overflow the width onto a new line. In the latter case the space before the
     * word has already been written, so the folded line keeps a trailing space (a ruamel quirk).
     */
    private void writePlain(int[] text, boolean split) {
      if (rootContext) {
        openEnded = true;
      }
      if (text.length == 0) {
        return;
      }
      if (!whitespace) {
        append(" ");
        column += 1;
      }
      whitespace = false;
      indention = false;
      boolean spaces = false;
      int start = 0;
      int n = text.length;
      // Plain scalars never contain line breaks (the analysis forbids them), so only words and
      // spaces alternate here.
      for (int end = 0; end <= n; end++) {
        int ch = end < n ? text[end] : -1;
        if (spaces) {
          if (ch != ' ') {
            if (start + 1 == end && column >= BEST_WIDTH && split) {
              writeIndent();
              whitespace = false;
              indention = false;
            } else {
              write(text, start, end);
            }
            start = end;
          }
        } else if (ch == -1 || ch == ' ') {
          int length = end - start;
          if (length + column > BEST_WIDTH && indent != null && column > indent) {
            writeIndent();
          }
          write(text, start, end);
          start = end;
        }
        if (ch != -1) {
          spaces = ch == ' ';
        }
      }
    }

    /** Writes a single-quoted scalar, folding at a single space once past the width. */
    private void writeSingleQuoted(int[] text, boolean split) {
      writeIndicator("'", true, false, false);
      boolean spaces = false;
      boolean breaks = false;
      int start = 0;
      int n = text.length;
      for (int end = 0; end <= n; end++) {
        int ch = end < n ? text[end] : -1;
        if (spaces) {
          if (ch != ' ') {
            if (start + 1 == end && column > BEST_WIDTH && split && start != 0 && end != n) {
              writeIndent();
            } else {
              write(text, start, end);
            }
            start = end;
          }
        } else if (breaks) {
          if (ch == -1 || !isBreak(ch)) {
            // A lone line break inside quotes would fold into a space, so LF is written twice.
            if (text[start] == '\n') {
              writeLineBreak();
            }
            for (int i = start; i < end; i++) {
              writeLineBreak(text[i]);
            }
            writeIndent();
            start = end;
          }
        } else if (ch == -1 || ch == ' ' || isBreak(ch) || ch == '\'') {
          if (start < end) {
            write(text, start, end);
            start = end;
          }
        }
        if (ch == '\'') {
          append("''");
          column += 2;
          start = end + 1;
        }
        if (ch != -1) {
          spaces = ch == ' ';
          breaks = isBreak(ch);
        }
      }
      writeIndicator("'", false, false, false);
    }

    /**
     * Writes a double-quoted scalar with YAML escapes, folding long lines. A fold is escaped with a
     * trailing backslash unless the next word can simply continue on the next line.
     */
    private void writeDoubleQuoted(int[] text, boolean split) {
      writeIndicator("\"", true, false, false);
      int start = 0;
      int n = text.length;
      for (int end = 0; end <= n; end++) {
        int ch = end < n ? text[end] : -1;
        if (ch == -1 || needsEscape(ch)) {
          if (start < end) {
            write(text, start, end);
            start = end;
          }
          if (ch != -1) {
            String escape = escape(ch);
            append(escape);
            column += escape.length();
            start = end + 1;
          }
        }
        if (end > 0
            && end < n - 1
            && (ch == ' ' || start >= end)
            && column + (end - start) > BEST_WIDTH
            && split) {
          boolean needBackslash = needsBackslashAtFold(text, start, end);
          if (start < end) {
            write(text, start, end);
            start = end;
          }
          if (needBackslash) {
            append("\\");
            column += 1;
          }
          writeIndent();
          whitespace = false;
          indention = false;
          if (text[start] == ' ') {
            if (needBackslash) {
              append("\\");
              column += 1;
            } else {
              // the fold itself reads back as this space
              start++;
            }
          }
        }
      }
      writeIndicator("\"", false, false, false);
    }

    /**
     * Whether a fold at {@code end} must be escaped. It need not be when the text up to the next space
     * contains no quotes and the fold is not next to other spaces or line breaks.
     */
    private static boolean needsBackslashAtFold(int[] text, int start, int end) {
      int n = text.length;
      int spacePos = indexOf(text, ' ', end, n);
      if (spacePos < 0) {
        return true;
      }
      int newlinePos = indexOf(text, '\n', end, spacePos);
      if (newlinePos >= 0) {
        spacePos = newlinePos;
      }
      if (text[spacePos] == '\n' && text[spacePos + 1] != ' ') {
        return true;
      }
      if (indexOf(text, '"', end, spacePos) >= 0 || indexOf(text, '\'', end, spacePos) >= 0) {
        return true;
      }
      if (spacePos + 1 >= n) {
        return true;
      }
      int next = text[spacePos + 1];
      if (next == ' ' || next == '\n') {
        return true;
      }
      if (text[end - 1] == ' ' && text[end] == ' ') {
        return true;
      }
      return start == end;
    }

    private static int indexOf(int[] text, int ch, int from, int to) {
      for (int i = from; i < to; i++) {
        if (text[i] == ch) {
          return i;
        }
      }
      return -1;
    }

    private static boolean needsEscape(int ch) {
      if (ch == '"' || ch == '\\' || ch == 0x85 || ch == 0x2028 || ch == 0x2029 || ch == 0xFEFF) {
        return true;
      }
      boolean printable =
          (ch >= 0x20 && ch <= 0x7E)
              || (ch >= 0xA0 && ch <= 0xD7FF)
              || (ch >= 0xE000 && ch <= 0xFFFD)
              || (ch >= 0x10000 && ch <= 0x10FFFF);
      return !printable;
    }

    private static String escape(int ch) {
      return switch (ch) {
        case 0 -> "\\0";
        case 0x07 -> "\\a";
        case 0x08 -> "\\b";
        case 0x09 -> "\\t";
        case 0x0A -> "\\n";
        case 0x0B -> "\\v";
        case 0x0C -> "\\f";
        case 0x0D -> "\\r";
        case 0x1B -> "\\e";
        case '"' -> "\\\"";
        case '\\' -> "\\\\";
        case 0x85 -> "\\N";
        case 0xA0 -> "\\_";
        case 0x2028 -> "\\L";
        case 0x2029 -> "\\P";
        default -> {
          if (ch <= 0xFF) {
            yield String.format(Locale.ROOT, "\\x%02X", ch);
          } else if (ch <= 0xFFFF) {
            yield String.format(Locale.ROOT, "\\u%04X", ch);
          } else {
            yield String.format(Locale.ROOT, "\\U%08X", ch);
          }
        }
      };
    }

    // --- low-level writers ----------------------------------------------------------------------

    private void writeIndicator(
        String indicator, boolean needWhitespace, boolean isWhitespace, boolean isIndention) {
      String data = whitespace || !needWhitespace ? indicator : " " + indicator;
      whitespace = isWhitespace;
      indention = indention && isIndention;
      column += data.codePointCount(0, data.length());
      openEnded = false;
      append(data);
    }

    /** Starts a new line if needed and pads to the current indentation. */
    private void writeIndent() {
      int target = indent == null ? 0 : indent;
      if (!indention || column > target || (column == target && !whitespace)) {
        if (noNewline) {
          noNewline = false;
        } else {
          writeLineBreak();
        }
      }
      if (column < target) {
        whitespace = true;
        append(" ".repeat(target - column));
        column = target;
      }
    }

    private void writeLineBreak() {
      writeLineBreak('\n');
    }

    private void writeLineBreak(int lineBreak) {
      whitespace = true;
      indention = true;
      column = 0;
      out.appendCodePoint(lineBreak);
    }

    private void write(int[] text, int start, int end) {
      for (int i = start; i < end; i++) {
        out.appendCodePoint(text[i]);
      }
      column += end - start;
    }

    private void append(String s) {
      out.append(s);
    }
  }
}
