package dev.clawrate.rater.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompositeReloadListenerTest {

  @Test
  void aFailingListenerDoesNotStopTheOthers() {
    List<String> told = new ArrayList<>();
    ReloadListener failing =
        new ReloadListener() {
          @Override
          public void accepted(LoadedSnapshot snapshot) {
            throw new IllegalStateException("disk full");
          }

          @Override
          public void rejected(String track, String error) {
            throw new IllegalStateException("disk full");
          }
        };
    ReloadListener recording =
        new ReloadListener() {
          @Override
          public void accepted(LoadedSnapshot snapshot) {
            told.add("accepted");
          }

          @Override
          public void rejected(String track, String error) {
            told.add("rejected " + error);
          }
        };
    ReloadListener both = CompositeReloadListener.of(failing, recording);
    both.accepted(null);
    both.rejected("stable", "bad");
    assertEquals(List.of("accepted", "rejected bad"), told);
  }
}
