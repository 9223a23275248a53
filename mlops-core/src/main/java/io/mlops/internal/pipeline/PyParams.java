package io.mlops.internal.pipeline;

import io.mlops.api.MlopsException;
import io.mlops.internal.yaml.YamlLoader;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small subset of DVC's {@code .py} params reader ({@code dvc/utils/serialize/_py.py}), which walks the
 * module's AST:
 *
 * <ul>
 *   <li>module-level {@code NAME = literal} and {@code NAME: type = literal};
 *   <li>{@code class Name:} becomes a nested mapping of its own assignments (recursively);
 *   <li>inside a class, {@code def __init__(self, ...):} contributes its {@code self.name = literal} assignments;
 *   <li>a {@code self.name = literal} anywhere it is seen counts too (as in DVC).
 * </ul>
 *
 * Literals are what {@code ast.literal_eval} accepts, except complex numbers and bytes: strings (with implicit
 * concatenation and escapes), ints, floats, True/False/None, lists, tuples and sets (as lists) and dicts.
 * Statements that are not such assignments, or whose value is not a literal, are skipped silently, like DVC.
 * Every other statement (imports, functions, if/for blocks, ...) is ignored.
 */
final class PyParams {
  private PyParams() {}

  private enum T {
    NAME,
    NUMBER,
    STRING,
    OP,
    NEWLINE,
    END
  }

  private record Tok(T type, String text, Object value, int line) {}

  /** A logical line: its indentation, tokens (without NEWLINE), and the nested block lines. */
  private static final class Line {
    final int indent;
    final List<Tok> toks;
    final List<Line> body = new ArrayList<>();

    Line(int indent, List<Tok> toks) {
      this.indent = indent;
      this.toks = toks;
    }
  }

  static Map<String, Object> parse(String text, Path file) {
    List<Line> lines = new Lexer(text, file).logicalLines();
    List<Line> module = nest(lines);
    return toDict(module, false);
  }

  private static List<Line> nest(List<Line> lines) {
    List<Line> top = new ArrayList<>();
    ArrayList<Line> stack = new ArrayList<>();
    for (Line l : lines) {
      while (!stack.isEmpty() && stack.get(stack.size() - 1).indent >= l.indent) {
        stack.remove(stack.size() - 1);
      }
      if (stack.isEmpty()) {
        top.add(l);
      } else {
        stack.get(stack.size() - 1).body.add(l);
      }
      stack.add(l);
    }
    return top;
  }

  private static Map<String, Object> toDict(List<Line> body, boolean onlySelf) {
    LinkedHashMap<String, Object> result = new LinkedHashMap<>();
    for (Line l : body) {
      List<Tok> t = l.toks;
      if (t.isEmpty()) {
        continue;
      }
      Tok first = t.get(0);
      if (first.type == T.OP && first.text.equals("@")) {
        continue; // decorator line; the decorated def/class follows
      }
      if (first.type == T.NAME && first.text.equals("class") && t.size() > 1 && t.get(1).type == T.NAME) {
        List<Line> classBody = new ArrayList<>(l.body);
        List<Tok> inline = afterColon(t);
        if (inline != null && !inline.isEmpty()) {
          classBody.add(0, new Line(l.indent + 1, inline));
        }
        result.put(t.get(1).text, toDict(classBody, false));
        continue;
      }
      if (first.type == T.NAME && first.text.equals("def")) {
        if (t.size() > 1 && t.get(1).text.equals("__init__")) {
          List<Line> defBody = new ArrayList<>(l.body);
          List<Tok> inline = afterColon(t);
          if (inline != null && !inline.isEmpty()) {
            defBody.add(0, new Line(l.indent + 1, inline));
          }
          result.putAll(toDict(defBody, true));
        }
        continue;
      }
      if (l.body.size() > 0 || endsWithColon(t)) {
        continue; // other compound statement: ignored with its block
      }
      for (List<Tok> stmt : splitSemicolons(t)) {
        assign(stmt, onlySelf, result);
      }
    }
    return result;
  }

  private static boolean endsWithColon(List<Tok> t) {
    Tok last = t.get(t.size() - 1);
    return last.type == T.OP && last.text.equals(":");
  }

  /** Tokens after the header's top-level ':' of a one-line compound statement, or null. */
  private static List<Tok> afterColon(List<Tok> t) {
    int depth = 0;
    for (int i = 0; i < t.size(); i++) {
      Tok k = t.get(i);
      if (k.type == T.OP) {
        switch (k.text) {
          case "(", "[", "{" -> depth++;
          case ")", "]", "}" -> depth--;
          case ":" -> {
            if (depth == 0) {
              return t.subList(i + 1, t.size());
            }
          }
          default -> {}
        }
      }
    }
    return null;
  }

  private static List<List<Tok>> splitSemicolons(List<Tok> t) {
    List<List<Tok>> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < t.size(); i++) {
      Tok k = t.get(i);
      if (k.type == T.OP) {
        switch (k.text) {
          case "(", "[", "{" -> depth++;
          case ")", "]", "}" -> depth--;
          case ";" -> {
            if (depth == 0) {
              out.add(t.subList(start, i));
              start = i + 1;
            }
          }
          default -> {}
        }
      }
    }
    out.add(t.subList(start, t.size()));
    return out;
  }

  private static void assign(List<Tok> t, boolean onlySelf, Map<String, Object> result) {
    // target: NAME | self.NAME ; then '=' or ':' annotation '=' ; value
    int i;
    String name;
    if (t.size() >= 3 && t.get(0).type == T.NAME && isOp(t.get(1), ".") && t.get(2).type == T.NAME) {
      if (!t.get(0).text.equals("self")) {
        return;
      }
      name = t.get(2).text;
      i = 3;
    } else if (!t.isEmpty() && t.get(0).type == T.NAME && !onlySelf) {
      name = t.get(0).text;
      i = 1;
    } else {
      return;
    }
    if (i >= t.size()) {
      return;
    }
    if (isOp(t.get(i), ":")) {
      // annotated assignment: skip the annotation up to the top-level '='
      int depth = 0;
      int j = i + 1;
      for (; j < t.size(); j++) {
        Tok k = t.get(j);
        if (k.type == T.OP) {
          if ("([{".contains(k.text)) {
            depth++;
          } else if (")]}".contains(k.text)) {
            depth--;
          } else if (k.text.equals("=") && depth == 0) {
            break;
          }
        }
      }
      if (j >= t.size()) {
        return; // no value
      }
      i = j;
    }
    if (!isOp(t.get(i), "=")) {
      return;
    }
    List<Tok> value = t.subList(i + 1, t.size());
    // chained assignment (a = b = 1) has two targets: DVC skips it
    int depth = 0;
    for (Tok k : value) {
      if (k.type == T.OP) {
        if ("([{".contains(k.text)) {
          depth++;
        } else if (")]}".contains(k.text)) {
          depth--;
        } else if (k.text.equals("=") && depth == 0) {
          return;
        }
      }
    }
    try {
      LiteralParser p = new LiteralParser(value);
      Object v = p.expression();
      if (!p.atEnd()) {
        return;
      }
      result.put(name, v);
    } catch (NotLiteral e) {
      // not a literal: DVC skips it
    }
  }

  private static boolean isOp(Tok t, String op) {
    return t.type == T.OP && t.text.equals(op);
  }

  private static final class NotLiteral extends RuntimeException {
    NotLiteral() {
      super(null, null, false, false);
    }
  }

  /** ast.literal_eval over a token list. */
  private static final class LiteralParser {
    private final List<Tok> toks;
    private int pos;

    LiteralParser(List<Tok> toks) {
      this.toks = toks;
    }

    boolean atEnd() {
      return pos >= toks.size();
    }

    Tok peek() {
      return pos < toks.size() ? toks.get(pos) : new Tok(T.END, "", null, 0);
    }

    boolean peekOp(String op) {
      return isOp(peek(), op);
    }

    void expectOp(String op) {
      if (!peekOp(op)) {
        throw new NotLiteral();
      }
      pos++;
    }

    /** A top-level value: a bare tuple {@code 1, 2} is allowed. */
    Object expression() {
      Object first = atom();
      if (peekOp(",")) {
        List<Object> tuple = new ArrayList<>();
        tuple.add(first);
        while (peekOp(",")) {
          pos++;
          if (atEnd()) {
            break;
          }
          tuple.add(atom());
        }
        return tuple;
      }
      return first;
    }

    Object atom() {
      Tok t = peek();
      switch (t.type) {
        case STRING -> {
          StringBuilder sb = new StringBuilder();
          while (peek().type == T.STRING) {
            sb.append((String) toks.get(pos++).value);
          }
          return sb.toString();
        }
        case NUMBER -> {
          pos++;
          return t.value;
        }
        case NAME -> {
          pos++;
          return switch (t.text) {
            case "True" -> Boolean.TRUE;
            case "False" -> Boolean.FALSE;
            case "None" -> null;
            default -> throw new NotLiteral();
          };
        }
        case OP -> {
          switch (t.text) {
            case "-", "+" -> {
              pos++;
              Tok n = peek();
              if (n.type != T.NUMBER) {
                throw new NotLiteral();
              }
              pos++;
              if (t.text.equals("+")) {
                return n.value;
              }
              Object v = n.value;
              if (v instanceof Long l) {
                return l == Long.MIN_VALUE ? YamlLoader.narrow(BigInteger.valueOf(l).negate()) : (Object) (-l);
              }
              if (v instanceof BigInteger b) {
                return YamlLoader.narrow(b.negate());
              }
              return -((Double) v);
            }
            case "[" -> {
              pos++;
              List<Object> list = new ArrayList<>();
              while (!peekOp("]")) {
                list.add(atom());
                if (!peekOp("]")) {
                  expectOp(",");
                }
              }
              pos++;
              return list;
            }
            case "(" -> {
              pos++;
              if (peekOp(")")) {
                pos++;
                return new ArrayList<>();
              }
              Object first = atom();
              if (peekOp(")")) {
                pos++;
                return first; // parenthesised value
              }
              List<Object> tuple = new ArrayList<>();
              tuple.add(first);
              while (!peekOp(")")) {
                expectOp(",");
                if (peekOp(")")) {
                  break;
                }
                tuple.add(atom());
              }
              pos++;
              return tuple;
            }
            case "{" -> {
              pos++;
              if (peekOp("}")) {
                pos++;
                return new LinkedHashMap<String, Object>();
              }
              Object first = atom();
              if (peekOp(":")) {
                LinkedHashMap<String, Object> map = new LinkedHashMap<>();
                pos++;
                map.put(key(first), atom());
                while (!peekOp("}")) {
                  expectOp(",");
                  if (peekOp("}")) {
                    break;
                  }
                  Object k = atom();
                  expectOp(":");
                  map.put(key(k), atom());
                }
                pos++;
                return map;
              }
              List<Object> set = new ArrayList<>();
              set.add(first);
              while (!peekOp("}")) {
                expectOp(",");
                if (peekOp("}")) {
                  break;
                }
                Object v = atom();
                if (!set.contains(v)) {
                  set.add(v);
                }
              }
              pos++;
              return set;
            }
            default -> throw new NotLiteral();
          }
        }
        default -> throw new NotLiteral();
      }
    }

    private String key(Object k) {
      if (k instanceof Map || k instanceof List) {
        throw new NotLiteral();
      }
      return io.mlops.internal.yaml.PyStr.str(k);
    }
  }

  /** CPython's tokenizer MAXLEVEL: at most this many brackets open at once. */
  static final int MAX_NESTING = 200;

  /** Splits Python source into logical lines of tokens. */
  private static final class Lexer {
    private final String s;
    private final Path file;
    private int i;
    private int line = 1;

    Lexer(String s, Path file) {
      this.s = s;
      this.file = file;
    }

    MlopsException corrupted(String why) {
      return new MlopsException(
          "unable to read: '" + file + "', Python file structure is corrupted (" + why + ")",
          file,
          line,
          "Fix the Python syntax.");
    }

    List<Line> logicalLines() {
      List<Line> out = new ArrayList<>();
      while (i < s.length()) {
        // indentation of a new logical line
        int indent = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\f')) {
          indent += s.charAt(i) == '\t' ? 8 - (indent % 8) : 1;
          i++;
        }
        List<Tok> toks = new ArrayList<>();
        int depth = 0;
        while (i < s.length()) {
          char c = s.charAt(i);
          if (c == '\n' || c == '\r') {
            i += (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') ? 2 : 1;
            line++;
            if (depth == 0) {
              break;
            }
            continue;
          }
          if (c == ' ' || c == '\t' || c == '\f') {
            i++;
            continue;
          }
          if (c == '#') {
            while (i < s.length() && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
              i++;
            }
            continue;
          }
          if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '\n' || s.charAt(i + 1) == '\r')) {
            i++;
            if (s.charAt(i) == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
              i++;
            }
            i++;
            line++;
            continue;
          }
          int tokLine = line;
          if (isStringStart()) {
            toks.add(string(tokLine));
            continue;
          }
          if (Character.isLetter(c) || c == '_' || c > 127) {
            int st = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) > 127)) {
              i++;
            }
            toks.add(new Tok(T.NAME, s.substring(st, i), null, tokLine));
            continue;
          }
          if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
            toks.add(number(tokLine));
            continue;
          }
          // operators
          String op3 = i + 3 <= s.length() ? s.substring(i, i + 3) : "";
          String op2 = i + 2 <= s.length() ? s.substring(i, i + 2) : "";
          String op;
          if (List.of("**=", "//=", ">>=", "<<=", "...").contains(op3)) {
            op = op3;
          } else if (List.of("==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "->", "**",
              "//", "<<", ">>", ":=", "@=").contains(op2)) {
            op = op2;
          } else {
            op = String.valueOf(c);
          }
          if ("([{".contains(op)) {
            if (depth >= MAX_NESTING) {
              // CPython's tokenizer stops at MAXLEVEL (200) open brackets, and so DVC's reading of the file
              throw corrupted("too many nested parentheses");
            }
            depth++;
          } else if (")]}".contains(op)) {
            depth--;
            if (depth < 0) {
              throw corrupted("unmatched '" + op + "'");
            }
          }
          i += op.length();
          toks.add(new Tok(T.OP, op, null, tokLine));
        }
        if (depth > 0) {
          throw corrupted("unclosed bracket");
        }
        if (!toks.isEmpty()) {
          out.add(new Line(indent, toks));
        }
      }
      return out;
    }

    private boolean isStringStart() {
      int j = i;
      while (j < s.length() && j - i < 2 && "rRbBuUfF".indexOf(s.charAt(j)) >= 0) {
        j++;
      }
      return j < s.length() && (s.charAt(j) == '\'' || s.charAt(j) == '"');
    }

    private Tok string(int tokLine) {
      int st = i;
      boolean raw = false;
      boolean notLiteral = false;
      while ("rRbBuUfF".indexOf(s.charAt(i)) >= 0) {
        char p = Character.toLowerCase(s.charAt(i));
        raw |= p == 'r';
        notLiteral |= p == 'b' || p == 'f';
        i++;
      }
      char q = s.charAt(i);
      boolean triple = i + 2 < s.length() && s.charAt(i + 1) == q && s.charAt(i + 2) == q;
      i += triple ? 3 : 1;
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw corrupted("unterminated string");
        }
        char c = s.charAt(i);
        if (c == q && (!triple || (i + 2 < s.length() && s.charAt(i + 1) == q && s.charAt(i + 2) == q))) {
          i += triple ? 3 : 1;
          break;
        }
        if ((c == '\n' || c == '\r') && !triple) {
          throw corrupted("unterminated string");
        }
        if (c == '\n') {
          line++;
        }
        if (c == '\\' && i + 1 < s.length()) {
          char n = s.charAt(i + 1);
          if (raw) {
            sb.append(c).append(n);
            if (n == '\n') {
              line++;
            }
            i += 2;
            continue;
          }
          i += 2;
          switch (n) {
            case '\n' -> line++;
            case '\\' -> sb.append('\\');
            case '\'' -> sb.append('\'');
            case '"' -> sb.append('"');
            case 'a' -> sb.append('\u0007');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'v' -> sb.append('\u000b');
            case 'x' -> sb.appendCodePoint(hex(2));
            case 'u' -> sb.appendCodePoint(hex(4));
            case 'U' -> sb.appendCodePoint(hex(8));
            case 'N' -> {
              notLiteral = true; // named escapes are not supported here
              int close = s.indexOf('}', i);
              i = close < 0 ? s.length() : close + 1;
            }
            default -> {
              if (n >= '0' && n <= '7') {
                int v = n - '0';
                for (int k = 0; k < 2 && i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7'; k++) {
                  v = v * 8 + (s.charAt(i++) - '0');
                }
                sb.append((char) v);
              } else {
                sb.append('\\').append(n);
              }
            }
          }
          continue;
        }
        sb.append(c);
        i++;
      }
      if (notLiteral) {
        return new Tok(T.NAME, s.substring(st, i), null, tokLine); // never a literal
      }
      return new Tok(T.STRING, s.substring(st, i), sb.toString(), tokLine);
    }

    private int hex(int n) {
      if (i + n > s.length()) {
        throw corrupted("truncated escape");
      }
      try {
        int v = Integer.parseInt(s.substring(i, i + n), 16);
        i += n;
        return v;
      } catch (NumberFormatException e) {
        throw corrupted("invalid escape");
      }
    }

    private Tok number(int tokLine) {
      int st = i;
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.'
          || ((s.charAt(i) == '+' || s.charAt(i) == '-') && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E')
              && !s.substring(st, i).toLowerCase().startsWith("0x")))) {
        i++;
      }
      String text = s.substring(st, i);
      String t = text.replace("_", "").toLowerCase();
      Object value;
      try {
        if (t.endsWith("j")) {
          return new Tok(T.NAME, text, null, tokLine); // complex: not supported
        } else if (t.startsWith("0x")) {
          value = YamlLoader.narrow(new BigInteger(t.substring(2), 16));
        } else if (t.startsWith("0o")) {
          value = YamlLoader.narrow(new BigInteger(t.substring(2), 8));
        } else if (t.startsWith("0b")) {
          value = YamlLoader.narrow(new BigInteger(t.substring(2), 2));
        } else if (t.contains(".") || t.contains("e")) {
          value = Double.parseDouble(t);
        } else {
          value = YamlLoader.narrow(new BigInteger(t));
        }
      } catch (NumberFormatException e) {
        throw corrupted("invalid number '" + text + "'");
      }
      return new Tok(T.NUMBER, text, value, tokLine);
    }
  }
}
