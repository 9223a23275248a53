package io.mlops.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InterpolatorTest {
  /** Expected results of DVC's {@code parse_expr} (pyparsing) on the same expressions. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          x           | x
          " x "       | " x "
          "x .y"      | "x .y"
          "a[ 0 ]"    | "a. 0 "
          a[0][1]     | a.0.1
          a.b[0].c    | a.b.0.c
          a[b]        | a.b
          "a[0] .b"   | a.0.b
          "a[0] "     | a.0
          " l[-1] "   | " l.-1"
          "a. [0]"    | "a. .0"
          a-b         | a-b
          a$b         | a$b
          a{b         | a{b
          """)
  void parsesLikePyparsing(String expr, String expected) {
    assertEquals(expected, Interpolator.parseExpr(expr));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          a[]      | "ParseException: Expected end of text, found '['  (at char 3), (line:1, col:4)"
          a]       | "ParseException: Expected end of text, found ']'  (at char 3), (line:1, col:4)"
          [0]      | "ParseException: Expected !W:(.[]), found '['  (at char 2), (line:1, col:3)"
          a.       | "ParseException: Expected end of text, found '.'  (at char 3), (line:1, col:4)"
          a..b     | "ParseException: Expected end of text, found '.'  (at char 3), (line:1, col:4)"
          a[0]bcd  | "ParseException: Expected end of text, found 'bcd'  (at char 6), (line:1, col:7)"
          .x       | "ParseException: Expected !W:(.[]), found '.'  (at char 2), (line:1, col:3)"
          a[0      | "ParseException: Expected end of text, found '['  (at char 3), (line:1, col:4)"
          "a[0] x" | "ParseException: Expected end of text, found 'x'  (at char 7), (line:1, col:8)"
          """)
  void syntaxErrorsLikePyparsing(String expr, String lastLine) {
    Interpolator.ParseError e = assertThrows(Interpolator.ParseError.class, () -> Interpolator.parseExpr(expr));
    String[] lines = e.getMessage().split("\n");
    assertEquals("${" + expr + "}", lines[0]);
    assertEquals(lastLine, lines[2]);
  }

  @Test
  void emptyExpression() {
    Interpolator.ParseError e = assertThrows(Interpolator.ParseError.class, () -> Interpolator.parseExpr(""));
    assertEquals("${}\n  ^\nParseException: Expected !W:(.[]), found '}'  (at char 2), (line:1, col:3)", e.getMessage());
  }

  @Test
  void shlexQuote() {
    assertEquals("''", Interpolator.shlexQuote(""));
    assertEquals("abc-1.2/x@y%z+=:,", Interpolator.shlexQuote("abc-1.2/x@y%z+=:,"));
    assertEquals("'a b'", Interpolator.shlexQuote("a b"));
    assertEquals("'it'\"'\"'s'", Interpolator.shlexQuote("it's"));
    assertEquals("'é'", Interpolator.shlexQuote("é"));
  }
}
