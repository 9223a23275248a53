package io.mlops.internal.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PyStrTest {
  /** Expected strings from CPython 3.11 {@code repr(float)}. */
  @ParameterizedTest
  @CsvSource({
    "0.001, 0.001",
    "1.0E-5, 1e-05",
    "1.0E16, 1e+16",
    "1.0E15, 1000000000000000.0",
    "0.0001, 0.0001",
    "100000.0, 100000.0",
    "1.5, 1.5",
    "0.1, 0.1",
    "0.30000000000000004, 0.30000000000000004",
    "1.7976931348623157E308, 1.7976931348623157e+308",
    "4.9E-324, 5e-324",
    "-2.5E-7, -2.5e-07",
    "123456789.123, 123456789.123",
    "1.2345678901234567E19, 1.2345678901234567e+19",
    "2.0E22, 2e+22",
    "9.999999999999998E15, 9999999999999998.0",
    "9.999999999999999E15, 1e+16",
    "1.23E-18, 1.23e-18",
    "8.41E21, 8.41e+21",
    "5.0E-324, 5e-324",
    "2.0E-3, 0.002",
    "-0.0, -0.0",
    "12.0, 12.0",
  })
  void floatRepr(double d, String expected) {
    assertEquals(expected, PyStr.floatRepr(d));
  }

  @Test
  void specials() {
    assertEquals("inf", PyStr.floatRepr(Double.POSITIVE_INFINITY));
    assertEquals("-inf", PyStr.floatRepr(Double.NEGATIVE_INFINITY));
    assertEquals("nan", PyStr.floatRepr(Double.NaN));
  }

  @Test
  void strAndRepr() {
    assertEquals("None", PyStr.str(null));
    assertEquals("True", PyStr.str(true));
    assertEquals("12345678901234567890", PyStr.str(new BigInteger("12345678901234567890")));
    assertEquals("abc", PyStr.str("abc"));
    assertEquals("'abc'", PyStr.repr("abc"));
    assertEquals("\"it's\"", PyStr.repr("it's"));
    assertEquals("'a\\'b\"'", PyStr.repr("a'b\""));
    assertEquals("'a\\nb\\\\'", PyStr.repr("a\nb\\"));
    assertEquals("[1, 'a', None, 1.5, True]", PyStr.str(Arrays.asList(1L, "a", null, 1.5, true)));
    LinkedHashMap<String, Object> m = new LinkedHashMap<>();
    m.put("b", List.of(1L));
    m.put("a", "x");
    assertEquals("{'b': [1], 'a': 'x'}", PyStr.str(m));
  }
}
