package dev.clawrate.contract.engine;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;

/**
 * An instance's linear memory, charged to its model's {@link MemoryBudget.Account} page by page
 * before the pages exist, and allocated in steps the call's watchdog can stop.
 *
 * <p>A {@code memory.grow} the budget refuses fails the call as overloaded (it throws {@link
 * MemoryRefusedException}) rather than returning -1 as Wasm would for a memory at its maximum: a
 * model sees -1 only for its own declared limit, so what it computes never depends on what other
 * models on the pod happen to hold, and the client gets a 503 to retry instead of a trap or a
 * rating computed under pressure.
 *
 * <p>Zeroing pages cannot be interrupted, and Chicory checks for interruption only at function
 * entry and on loop back-edges, so one large grow used to run far past the call's time limit. Pages
 * are allocated {@link #PAGES_PER_STEP} at a time with the interrupt checked in between.
 */
final class BudgetedMemory implements Memory {

  /** 1 MiB: milliseconds to allocate on a busy machine, so a stop lands within a few. */
  static final int PAGES_PER_STEP = 16;

  private final ByteArrayMemory delegate;
  private final MemoryBudget.Account account;
  private final int initialPages;
  // Bytes charged to the account and not yet released; the owner's thread only.
  private long charged;

  /**
   * Charges and allocates {@code limits.initialPages()}.
   *
   * @throws MemoryRefusedException when the budget has no room for them
   */
  BudgetedMemory(MemoryLimits limits, MemoryBudget.Account account) {
    this.account = account;
    this.initialPages = limits.initialPages();
    this.delegate = new ByteArrayMemory(new MemoryLimits(0, limits.maximumPages()));
    growCharged(initialPages);
  }

  /** Returns everything this memory charged to the budget; the memory must not be used after. */
  void release() {
    account.release(charged);
    charged = 0;
  }

  @Override
  public int grow(int delta) {
    int before = delegate.pages();
    if (delta <= 0 || delta > delegate.maximumPages() - before) {
      // Nothing to allocate, or past the model's own maximum: Wasm's answer, unchanged.
      return delegate.grow(delta);
    }
    growCharged(delta);
    return before;
  }

  private void growCharged(int pages) {
    if (pages == 0) {
      return;
    }
    account.charge(MemoryBudget.pagesToBytes(pages));
    charged += MemoryBudget.pagesToBytes(pages);
    for (int left = pages; left > 0; left -= PAGES_PER_STEP) {
      if (Thread.currentThread().isInterrupted()) {
        throw new ChicoryInterruptedException("stopped while growing memory");
      }
      delegate.grow(Math.min(left, PAGES_PER_STEP));
    }
  }

  @Override
  public int pages() {
    return delegate.pages();
  }

  @Override
  public int initialPages() {
    return initialPages;
  }

  @Override
  public int maximumPages() {
    return delegate.maximumPages();
  }

  @Override
  public void initialize(Instance instance, DataSegment[] segments) {
    delegate.initialize(instance, segments);
  }

  @Override
  public void initialize(Instance instance, DataSegment[] segments, int count) {
    delegate.initialize(instance, segments, count);
  }

  @Override
  public Object lock(int a) {
    return delegate.lock(a);
  }

  @Override
  public int waitOn(int a, int b, long c) {
    return delegate.waitOn(a, b, c);
  }

  @Override
  public int waitOn(int a, long b, long c) {
    return delegate.waitOn(a, b, c);
  }

  @Override
  public int notify(int a, int b) {
    return delegate.notify(a, b);
  }

  @Override
  public boolean shared() {
    return delegate.shared();
  }

  @Override
  public void initPassiveSegment(int a, int b, int c, int d) {
    delegate.initPassiveSegment(a, b, c, d);
  }

  @Override
  public void write(int a, byte[] b, int c, int d) {
    delegate.write(a, b, c, d);
  }

  @Override
  public byte read(int a) {
    return delegate.read(a);
  }

  @Override
  public byte[] readBytes(int a, int b) {
    return delegate.readBytes(a, b);
  }

  @Override
  public void writeI32(int a, int b) {
    delegate.writeI32(a, b);
  }

  @Override
  public int readInt(int a) {
    return delegate.readInt(a);
  }

  @Override
  public void writeLong(int a, long b) {
    delegate.writeLong(a, b);
  }

  @Override
  public long readLong(int a) {
    return delegate.readLong(a);
  }

  @Override
  public void writeShort(int a, short b) {
    delegate.writeShort(a, b);
  }

  @Override
  public short readShort(int a) {
    return delegate.readShort(a);
  }

  @Override
  public long readU16(int a) {
    return delegate.readU16(a);
  }

  @Override
  public void writeByte(int a, byte b) {
    delegate.writeByte(a, b);
  }

  @Override
  public void writeF32(int a, float b) {
    delegate.writeF32(a, b);
  }

  @Override
  public long readF32(int a) {
    return delegate.readF32(a);
  }

  @Override
  public float readFloat(int a) {
    return delegate.readFloat(a);
  }

  @Override
  public void writeF64(int a, double b) {
    delegate.writeF64(a, b);
  }

  @Override
  public double readDouble(int a) {
    return delegate.readDouble(a);
  }

  @Override
  public long readF64(int a) {
    return delegate.readF64(a);
  }

  @Override
  public void zero() {
    delegate.zero();
  }

  @Override
  public void fill(byte a, int b, int c) {
    delegate.fill(a, b, c);
  }

  @Override
  public void copy(int a, int b, int c) {
    delegate.copy(a, b, c);
  }

  @Override
  public void drop(int a) {
    delegate.drop(a);
  }

  @Override
  public void atomicFence() {
    delegate.atomicFence();
  }

  @Override
  public byte atomicAddByte(int a, byte b) {
    return delegate.atomicAddByte(a, b);
  }

  @Override
  public int atomicAddInt(int a, int b) {
    return delegate.atomicAddInt(a, b);
  }

  @Override
  public long atomicAddLong(int a, long b) {
    return delegate.atomicAddLong(a, b);
  }

  @Override
  public short atomicAddShort(int a, short b) {
    return delegate.atomicAddShort(a, b);
  }

  @Override
  public byte atomicAndByte(int a, byte b) {
    return delegate.atomicAndByte(a, b);
  }

  @Override
  public int atomicAndInt(int a, int b) {
    return delegate.atomicAndInt(a, b);
  }

  @Override
  public long atomicAndLong(int a, long b) {
    return delegate.atomicAndLong(a, b);
  }

  @Override
  public short atomicAndShort(int a, short b) {
    return delegate.atomicAndShort(a, b);
  }

  @Override
  public byte atomicCmpxchgByte(int a, byte b, byte c) {
    return delegate.atomicCmpxchgByte(a, b, c);
  }

  @Override
  public int atomicCmpxchgInt(int a, int b, int c) {
    return delegate.atomicCmpxchgInt(a, b, c);
  }

  @Override
  public long atomicCmpxchgLong(int a, long b, long c) {
    return delegate.atomicCmpxchgLong(a, b, c);
  }

  @Override
  public short atomicCmpxchgShort(int a, short b, short c) {
    return delegate.atomicCmpxchgShort(a, b, c);
  }

  @Override
  public byte atomicOrByte(int a, byte b) {
    return delegate.atomicOrByte(a, b);
  }

  @Override
  public int atomicOrInt(int a, int b) {
    return delegate.atomicOrInt(a, b);
  }

  @Override
  public long atomicOrLong(int a, long b) {
    return delegate.atomicOrLong(a, b);
  }

  @Override
  public short atomicOrShort(int a, short b) {
    return delegate.atomicOrShort(a, b);
  }

  @Override
  public byte atomicReadByte(int a) {
    return delegate.atomicReadByte(a);
  }

  @Override
  public int atomicReadInt(int a) {
    return delegate.atomicReadInt(a);
  }

  @Override
  public long atomicReadLong(int a) {
    return delegate.atomicReadLong(a);
  }

  @Override
  public short atomicReadShort(int a) {
    return delegate.atomicReadShort(a);
  }

  @Override
  public void atomicWriteByte(int a, byte b) {
    delegate.atomicWriteByte(a, b);
  }

  @Override
  public void atomicWriteInt(int a, int b) {
    delegate.atomicWriteInt(a, b);
  }

  @Override
  public void atomicWriteLong(int a, long b) {
    delegate.atomicWriteLong(a, b);
  }

  @Override
  public void atomicWriteShort(int a, short b) {
    delegate.atomicWriteShort(a, b);
  }

  @Override
  public byte atomicXchgByte(int a, byte b) {
    return delegate.atomicXchgByte(a, b);
  }

  @Override
  public int atomicXchgInt(int a, int b) {
    return delegate.atomicXchgInt(a, b);
  }

  @Override
  public long atomicXchgLong(int a, long b) {
    return delegate.atomicXchgLong(a, b);
  }

  @Override
  public short atomicXchgShort(int a, short b) {
    return delegate.atomicXchgShort(a, b);
  }

  @Override
  public byte atomicXorByte(int a, byte b) {
    return delegate.atomicXorByte(a, b);
  }

  @Override
  public int atomicXorInt(int a, int b) {
    return delegate.atomicXorInt(a, b);
  }

  @Override
  public long atomicXorLong(int a, long b) {
    return delegate.atomicXorLong(a, b);
  }

  @Override
  public short atomicXorShort(int a, short b) {
    return delegate.atomicXorShort(a, b);
  }
}
