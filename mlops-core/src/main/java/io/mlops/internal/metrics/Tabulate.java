package io.mlops.internal.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The two layouts of Python's {@code tabulate} (0.10, with {@code wcwidth}) that DVC prints tables with:
 * {@code plain} and {@code github}, with {@code disable_numparse=True} (every column is text, left-aligned).
 *
 * <p>Rules reproduced: cells are stripped of surrounding whitespace; a column is as wide as its widest cell and
 * at least its header plus 2; widths count East Asian wide characters as 2 and combining marks as 0
 * ({@code wcwidth.wcswidth}); {@code plain} joins cells with two spaces and strips trailing blanks; {@code github}
 * pads cells with one space between pipes and puts a dashed rule under the header; cells holding line breaks
 * become several lines.
 */
public final class Tabulate {
  private Tabulate() {}

  /** tabulate's {@code plain} table (no trailing newline); "" for no headers and no rows. */
  public static String plain(List<String> headers, List<List<String>> rows) {
    return render(headers, rows, false);
  }

  /** tabulate's {@code github} table (no trailing newline). */
  public static String github(List<String> headers, List<List<String>> rows) {
    return render(headers, rows, true);
  }

  private static String render(List<String> headers, List<List<String>> rows, boolean github) {
    int ncols = headers.size();
    List<List<String>> cells = new ArrayList<>();
    boolean multiline = headers.stream().anyMatch(Tabulate::hasBreak);
    for (List<String> row : rows) {
      List<String> r = new ArrayList<>();
      for (int c = 0; c < ncols; c++) {
        String v = c < row.size() && row.get(c) != null ? pyStrip(row.get(c)) : "";
        multiline |= hasBreak(v);
        r.add(v);
      }
      cells.add(r);
    }
    int[] widths = new int[ncols];
    for (int c = 0; c < ncols; c++) {
      int w = width(headers.get(c), multiline) + 2;
      for (List<String> r : cells) {
        w = Math.max(w, width(r.get(c), multiline));
      }
      if (cells.isEmpty()) {
        w = Math.max(w, 0);
      }
      widths[c] = w;
    }
    int pad = github ? 1 : 0;
    List<String> out = new ArrayList<>();
    addRow(out, headers, widths, pad, github, multiline);
    if (github) {
      StringBuilder line = new StringBuilder("|");
      for (int c = 0; c < ncols; c++) {
        line.append("-".repeat(widths[c] + 2 * pad));
        line.append('|');
      }
      out.add(line.toString());
    }
    for (List<String> r : cells) {
      addRow(out, r, widths, pad, github, multiline);
    }
    if (ncols == 0 && rows.isEmpty()) {
      return "";
    }
    return String.join("\n", out);
  }

  private static void addRow(
      List<String> out, List<String> row, int[] widths, int pad, boolean github, boolean multiline) {
    List<List<String>> lines = new ArrayList<>();
    int n = 1;
    for (String cell : row) {
      List<String> ls = multiline ? splitLines(cell) : List.of(cell);
      lines.add(ls);
      n = Math.max(n, ls.size());
    }
    for (int i = 0; i < n; i++) {
      StringBuilder sb = new StringBuilder(github ? "|" : "");
      for (int c = 0; c < row.size(); c++) {
        List<String> ls = lines.get(c);
        String text = i < ls.size() ? padRight(ls.get(i), widths[c]) : " ".repeat(widths[c]);
        if (c > 0) {
          sb.append(github ? "|" : "  ");
        }
        sb.append(" ".repeat(pad)).append(text).append(" ".repeat(pad));
      }
      if (github) {
        sb.append('|');
      }
      out.add(stripTrailing(sb.toString()));
    }
  }

  /** Python's {@code "{:<N}".format(s)} after tabulate's wide-character correction. */
  private static String padRight(String s, int width) {
    int visible = wcswidth(s);
    int len = s.codePointCount(0, s.length());
    int target = width - (visible - len);
    return s + " ".repeat(Math.max(0, target - len));
  }

  private static boolean hasBreak(String s) {
    return s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
  }

  private static int width(String s, boolean multiline) {
    if (!multiline) {
      return wcswidth(s);
    }
    int w = 0;
    for (String part : s.split("[\r\n]", -1)) {
      w = Math.max(w, wcswidth(part));
    }
    return w;
  }

  /** Python's {@code str.splitlines()} for \n, \r and \r\n. */
  private static List<String> splitLines(String s) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < s.length()) {
      char ch = s.charAt(i);
      if (ch == '\n' || ch == '\r') {
        out.add(s.substring(start, i));
        if (ch == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
      i++;
    }
    if (start < s.length()) {
      out.add(s.substring(start));
    }
    return out;
  }

  /** Python's {@code str.strip()}: Unicode whitespace at both ends. */
  static String pyStrip(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && isPySpace(s.codePointAt(b))) {
      b += Character.charCount(s.codePointAt(b));
    }
    while (e > b && isPySpace(s.codePointBefore(e))) {
      e -= Character.charCount(s.codePointBefore(e));
    }
    return s.substring(b, e);
  }

  private static String stripTrailing(String s) {
    int e = s.length();
    while (e > 0 && isPySpace(s.codePointBefore(e))) {
      e -= Character.charCount(s.codePointBefore(e));
    }
    return s.substring(0, e);
  }

  private static boolean isPySpace(int cp) {
    return (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20) || cp == 0x85 || cp == 0xa0
        || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 || cp == 0x202f
        || cp == 0x205f || cp == 0x3000;
  }

  /** {@code wcwidth.wcswidth}: -1 when the text holds a control character. */
  static int wcswidth(String s) {
    int w = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      int cw = wcwidth(cp);
      if (cw < 0) {
        return -1;
      }
      w += cw;
    }
    return w;
  }

  private static int wcwidth(int cp) {
    if (cp == 0) {
      return 0;
    }
    if (cp < 32 || (cp >= 0x7f && cp < 0xa0)) {
      return -1;
    }
    int type = Character.getType(cp);
    if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
        || (type == Character.FORMAT && cp != 0xad) || cp == 0x200b || (cp >= 0x1160 && cp <= 0x11ff)) {
      return 0;
    }
    return isWide(cp) ? 2 : 1;
  }

  private static final int[][] WIDE = {
    {0x1100, 0x115f}, {0x231a, 0x231b}, {0x2329, 0x232a}, {0x23e9, 0x23ec}, {0x23f0, 0x23f0},
    {0x23f3, 0x23f3}, {0x25fd, 0x25fe}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267f, 0x267f},
    {0x2693, 0x2693}, {0x26a1, 0x26a1}, {0x26aa, 0x26ab}, {0x26bd, 0x26be}, {0x26c4, 0x26c5},
    {0x26ce, 0x26ce}, {0x26d4, 0x26d4}, {0x26ea, 0x26ea}, {0x26f2, 0x26f3}, {0x26f5, 0x26f5},
    {0x26fa, 0x26fa}, {0x26fd, 0x26fd}, {0x2705, 0x2705}, {0x270a, 0x270b}, {0x2728, 0x2728},
    {0x274c, 0x274c}, {0x274e, 0x274e}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
    {0x27b0, 0x27b0}, {0x27bf, 0x27bf}, {0x2b1b, 0x2b1c}, {0x2b50, 0x2b50}, {0x2b55, 0x2b55},
    {0x2e80, 0x303e}, {0x3041, 0x33ff}, {0x3400, 0x4dbf}, {0x4e00, 0x9fff}, {0xa000, 0xa4cf},
    {0xa960, 0xa97f}, {0xac00, 0xd7a3}, {0xf900, 0xfaff}, {0xfe10, 0xfe19}, {0xfe30, 0xfe6f},
    {0xff00, 0xff60}, {0xffe0, 0xffe6}, {0x16fe0, 0x16fe4}, {0x17000, 0x18cff}, {0x1b000, 0x1b2ff},
    {0x1f004, 0x1f004}, {0x1f0cf, 0x1f0cf}, {0x1f18e, 0x1f18e}, {0x1f191, 0x1f19a}, {0x1f200, 0x1f2ff},
    {0x1f300, 0x1f320}, {0x1f32d, 0x1f335}, {0x1f337, 0x1f37c}, {0x1f37e, 0x1f393}, {0x1f3a0, 0x1f3ca},
    {0x1f3cf, 0x1f3d3}, {0x1f3e0, 0x1f3f0}, {0x1f3f4, 0x1f3f4}, {0x1f3f8, 0x1f43e}, {0x1f440, 0x1f440},
    {0x1f442, 0x1f4fc}, {0x1f4ff, 0x1f53d}, {0x1f54b, 0x1f54e}, {0x1f550, 0x1f567}, {0x1f57a, 0x1f57a},
    {0x1f595, 0x1f596}, {0x1f5a4, 0x1f5a4}, {0x1f5fb, 0x1f64f}, {0x1f680, 0x1f6c5}, {0x1f6cc, 0x1f6cc},
    {0x1f6d0, 0x1f6d2}, {0x1f6d5, 0x1f6d7}, {0x1f6dc, 0x1f6df}, {0x1f6eb, 0x1f6ec}, {0x1f6f4, 0x1f6fc},
    {0x1f7e0, 0x1f7eb}, {0x1f7f0, 0x1f7f0}, {0x1f90c, 0x1f93a}, {0x1f93c, 0x1f945}, {0x1f947, 0x1f9ff},
    {0x1fa70, 0x1faff}, {0x20000, 0x2fffd}, {0x30000, 0x3fffd},
  };

  private static boolean isWide(int cp) {
    if (cp < 0x1100) {
      return false;
    }
    for (int[] r : WIDE) {
      if (cp >= r[0] && cp <= r[1]) {
        return true;
      }
    }
    return false;
  }
}
