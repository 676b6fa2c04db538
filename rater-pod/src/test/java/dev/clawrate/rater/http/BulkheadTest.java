package dev.clawrate.rater.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkheadTest {

  private final List<Bulkhead.Permit> granted = new ArrayList<>();

  private Bulkhead.Permit admitted(Bulkhead bulkhead, String model, String tenant) {
    return assertInstanceOf(Bulkhead.Admitted.class, bulkhead.admit(model, tenant, granted::add))
        .permit();
  }

  @Test
  void sharesArePercentagesOfTheWorkersAndAtLeastOneThread() {
    assertEquals(new Bulkhead.Shares(8, 4, 3, 16), Bulkhead.Shares.of(16, 50, 25, 3));
    assertEquals(new Bulkhead.Shares(1, 1, 0, 2), Bulkhead.Shares.of(2, 10, 10, 0));
    assertThrows(IllegalArgumentException.class, () -> new Bulkhead.Shares(0, 1, 1));
  }

  @Test
  void beyondItsShareATenantBorrowsIdleWorkersButLeavesOneTenantsShareIdle() {
    // 8 workers, 2 per tenant: a lone tenant may run on 6, and 2 stay for whoever comes next.
    Bulkhead bulkhead = new Bulkhead(Bulkhead.Shares.of(8, 25, 25, 1));
    List<Bulkhead.Permit> flood = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      flood.add(admitted(bulkhead, "loop", "flood"));
    }
    Bulkhead.Queued queued =
        assertInstanceOf(Bulkhead.Queued.class, bulkhead.admit("loop", "flood", granted::add));
    assertEquals(Bulkhead.Scope.TENANT, queued.ticket().blockedBy());
    assertEquals(
        new Bulkhead.Refused(Bulkhead.Scope.TENANT), bulkhead.admit("loop", "flood", granted::add));
    admitted(bulkhead, "calm", "quiet");
    admitted(bulkhead, "calm", "quiet");
    assertEquals(6, bulkhead.running("loop"));

    bulkhead.release(flood.get(0));
    assertEquals(
        List.of(),
        granted,
        "the freed worker is not the flood's while the quiet tenant holds its share");
  }

  @Test
  void aModelBeyondItsShareWaitsThenIsRefusedWhileAnotherModelIsAdmitted() {
    Bulkhead bulkhead = new Bulkhead(new Bulkhead.Shares(2, 10, 1));
    admitted(bulkhead, "loop", "a");
    admitted(bulkhead, "loop", "b");
    Bulkhead.Queued queued =
        assertInstanceOf(Bulkhead.Queued.class, bulkhead.admit("loop", "c", granted::add));
    assertEquals(Bulkhead.Scope.MODEL, queued.ticket().blockedBy());
    assertEquals(
        new Bulkhead.Refused(Bulkhead.Scope.MODEL), bulkhead.admit("loop", "d", granted::add));
    admitted(bulkhead, "calm", "e");
    assertEquals(2, bulkhead.running("loop"));
  }

  @Test
  void aTenantBeyondItsShareIsStoppedEvenOnAModelWithRoom() {
    Bulkhead bulkhead = new Bulkhead(new Bulkhead.Shares(10, 1, 0));
    admitted(bulkhead, "m1", "flood");
    assertEquals(
        new Bulkhead.Refused(Bulkhead.Scope.TENANT), bulkhead.admit("m2", "flood", granted::add));
    admitted(bulkhead, "m1", "quiet");
  }

  @Test
  void aReleasedWorkerGoesToTheOldestWaitingRequestThatFits() {
    Bulkhead bulkhead = new Bulkhead(new Bulkhead.Shares(1, 10, 2));
    Bulkhead.Permit first = admitted(bulkhead, "m", "a");
    var older = assertInstanceOf(Bulkhead.Queued.class, bulkhead.admit("m", "b", granted::add));
    assertInstanceOf(Bulkhead.Queued.class, bulkhead.admit("m", "c", granted::add));
    bulkhead.release(first);
    assertEquals(1, granted.size(), "one worker freed, one request admitted");
    assertFalse(bulkhead.withdraw(older.ticket()), "the oldest was the one granted");
    assertEquals(1, bulkhead.waiting());
    assertEquals(1, bulkhead.running("m"));
  }

  @Test
  void aWithdrawnTicketIsNeverGrantedAndFreesItsPlaceInTheQueue() {
    Bulkhead bulkhead = new Bulkhead(new Bulkhead.Shares(1, 10, 1));
    Bulkhead.Permit first = admitted(bulkhead, "m", "a");
    var queued = assertInstanceOf(Bulkhead.Queued.class, bulkhead.admit("m", "b", granted::add));
    assertTrue(bulkhead.withdraw(queued.ticket()));
    assertInstanceOf(Bulkhead.Queued.class, bulkhead.admit("m", "c", granted::add));
    bulkhead.release(first);
    assertEquals(1, granted.size());
  }

  @Test
  void aGrantThatCannotHandTheRequestOnGivesItsWorkerBack() {
    Bulkhead bulkhead = new Bulkhead(new Bulkhead.Shares(1, 10, 1));
    Bulkhead.Permit first = admitted(bulkhead, "m", "a");
    bulkhead.admit(
        "m",
        "b",
        permit -> {
          throw new IllegalStateException("stopping");
        });
    bulkhead.release(first);
    assertEquals(0, bulkhead.running("m"));
    admitted(bulkhead, "m", "c");
  }

  @Test
  void releasingTwiceFreesOneWorker() {
    Bulkhead bulkhead = new Bulkhead(new Bulkhead.Shares(2, 10, 0));
    Bulkhead.Permit first = admitted(bulkhead, "m", "a");
    admitted(bulkhead, "m", "b");
    bulkhead.release(first);
    bulkhead.release(first);
    assertEquals(1, bulkhead.running("m"));
    admitted(bulkhead, "m", "c");
    assertInstanceOf(Bulkhead.Refused.class, bulkhead.admit("m", "d", granted::add));
  }

  @Test
  void tryAdmitNeverQueues() {
    Bulkhead bulkhead = new Bulkhead(new Bulkhead.Shares(1, 10, 5));
    assertNotNull(bulkhead.tryAdmit("m", "a"));
    assertNull(bulkhead.tryAdmit("m", "b"));
    assertEquals(0, bulkhead.waiting());
  }

  @Test
  void aModelThatLeavesKeepsNoCount() {
    Bulkhead bulkhead = new Bulkhead(new Bulkhead.Shares(1, 1, 1));
    Bulkhead.Permit permit = admitted(bulkhead, "gone", "t");
    bulkhead.release(permit);
    assertEquals(0, bulkhead.running("gone"));
    assertEquals(0, bulkhead.waiting());
  }
}
