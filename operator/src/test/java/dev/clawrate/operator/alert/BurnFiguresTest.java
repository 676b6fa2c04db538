package dev.clawrate.operator.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BurnFiguresTest {

  @Test
  void ratesAreWrittenWithTwoSignificantDigitsAndBelowOneAsLessThanOne() {
    assertNull(BurnFigures.display(Double.NaN));
    assertEquals("<1", BurnFigures.display(0));
    assertEquals("<1", BurnFigures.display(0.999));
    assertEquals("1", BurnFigures.display(1));
    assertEquals("15", BurnFigures.display(15.2));
    assertEquals("14", BurnFigures.display(14.44));
    assertEquals("1.5", BurnFigures.display(1.45));
    assertEquals("1000", BurnFigures.display(1000));
    assertEquals("inf", BurnFigures.display(Double.POSITIVE_INFINITY));
  }

  @Test
  void whatWasWrittenReadsBackAndAnythingElseIsUnknown() {
    assertEquals(15, BurnFigures.parse("15"));
    assertEquals(0, BurnFigures.parse("<1"));
    assertEquals(Double.POSITIVE_INFINITY, BurnFigures.parse("inf"));
    assertTrue(Double.isNaN(BurnFigures.parse(null)));
    assertTrue(Double.isNaN(BurnFigures.parse("-3")));
    assertTrue(Double.isNaN(BurnFigures.parse("NaN")));
    assertTrue(Double.isNaN(BurnFigures.parse("lots")));
  }
}
