package dev.clawrate.contract.engine;

import java.util.concurrent.atomic.AtomicLong;

/** What happened to one runtime's instances, across the pools it has had. */
final class InstanceCounters {
  final AtomicLong created = new AtomicLong();
  final AtomicLong discarded = new AtomicLong();
  final AtomicLong evicted = new AtomicLong();
}
