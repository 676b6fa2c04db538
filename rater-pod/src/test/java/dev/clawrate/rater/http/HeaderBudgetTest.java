package dev.clawrate.rater.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import org.junit.jupiter.api.Test;

class HeaderBudgetTest {

  @Test
  void countsEveryHeaderLineAsItWasSent() {
    HeaderMap headers = new HeaderMap();
    headers.add(new HttpString("Host"), "rater"); // 4 + 5 + 4 = 13
    headers.add(new HttpString("Accept"), "a"); // 6 + 1 + 4 = 11
    headers.add(new HttpString("Accept"), "b"); // 11
    // Request line 10 + CRLF 2: 47 bytes in 3 lines.
    assertNull(new HeaderBudget(47, 3).excess(headers, 10));
    assertEquals(
        "request line and headers are 47 bytes; at most 46 are allowed",
        new HeaderBudget(46, 3).excess(headers, 10));
    assertEquals(
        "request has 3 header lines; at most 2 are allowed",
        new HeaderBudget(47, 2).excess(headers, 10));
  }
}
