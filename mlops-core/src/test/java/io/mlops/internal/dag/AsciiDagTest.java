package io.mlops.internal.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AsciiDag} without DVC: the example of DVC's {@code dagascii.draw} docstring, as DVC 3.67.1 returns it. */
class AsciiDagTest {
  @Test
  void drawsTheDocstringExample() {
    // vertices 1..4; 1 depends on 2 and 4, 2 on 3 and 4 (DVC's edge direction: stage, dependency)
    String drawn = AsciiDag.draw(List.of("1", "2", "3", "4"),
        List.of(new String[] {"1", "2"}, new String[] {"2", "3"}, new String[] {"2", "4"}, new String[] {"1", "4"}));
    assertEquals(String.join("\n",
        "+---+     +---+  ",
        "| 3 |     | 4 |  ",
        "+---+    *+---+  ",
        "  *    **   *    ",
        "  *  **     *    ",
        "  * *       *    ",
        "+---+       *    ",
        "| 2 |      *     ",
        "+---+     *      ",
        "     *    *      ",
        "      *  *       ",
        "       **        ",
        "     +---+       ",
        "     | 1 |       ",
        "     +---+       "), drawn);
  }

  @Test
  void aLoneStageIsItsBoxOnDvcsRoundedCanvas() {
    assertEquals("+-------+  \n| train |  \n+-------+  ", AsciiDag.draw(List.of("train"), List.of()));
  }
}
