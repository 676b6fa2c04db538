package dev.clawrate.contract.engine;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;

/**
 * One instance of a model with its ABI exports looked up once. Not thread-safe (neither is a
 * Chicory instance): the {@link InstancePool} hands it to one caller at a time.
 */
final class ModelInstance {

  private final Memory memory;
  private final BudgetedMemory budgeted;
  private final ExportFunction alloc;
  private final ExportFunction rate;
  private final ExportFunction dealloc;
  // When it was last given back to its pool, as System.nanoTime(); read by the evictor.
  private volatile long idleSince;

  /**
   * @param budgeted the instance's memory, whose charge {@link #close()} returns
   */
  ModelInstance(Instance instance, BudgetedMemory budgeted, String entrypoint, boolean hasDealloc) {
    this.memory = instance.memory();
    this.budgeted = budgeted;
    this.alloc = instance.export(WasmAbi.ALLOC);
    this.rate = instance.export(entrypoint);
    this.dealloc = hasDealloc ? instance.export(WasmAbi.DEALLOC) : null;
  }

  /**
   * Runs one call of the ABI: alloc, write input, rate, read output, dealloc. Every pointer and
   * length the module hands back is bounds-checked before it is used.
   *
   * @throws ModelCallException BAD_OUTPUT for pointers or lengths outside memory
   * @throws RuntimeException whatever the module raised (a trap); the caller classifies it
   */
  byte[] call(byte[] input) throws ModelCallException {
    int inPtr = (int) alloc.apply(input.length)[0];
    checkRange("alloc returned", inPtr, input.length);
    memory.write(inPtr, input, 0, input.length);
    long packed = rate.apply(inPtr, input.length)[0];
    int outPtr = (int) (packed >>> 32);
    int outLen = (int) packed;
    if (outLen < 0 || outLen > ModelLimits.MAX_OUTPUT_BYTES) {
      throw new ModelCallException(
          ModelCallException.Failure.BAD_OUTPUT,
          "model returned an output length of "
              + Integer.toUnsignedString(outLen)
              + " bytes, above the limit of "
              + ModelLimits.MAX_OUTPUT_BYTES);
    }
    checkRange("model returned an output", outPtr, outLen);
    byte[] output = memory.readBytes(outPtr, outLen);
    if (dealloc != null) {
      dealloc.apply(inPtr, input.length);
      dealloc.apply(outPtr, outLen);
    }
    return output;
  }

  void markIdle(long nanoTime) {
    idleSince = nanoTime;
  }

  long idleSince() {
    return idleSince;
  }

  /** Returns the instance's memory to the budget; the instance is not used again. */
  void close() {
    budgeted.release();
  }

  private void checkRange(String what, int ptr, int len) throws ModelCallException {
    long end = Integer.toUnsignedLong(ptr) + len;
    long size = (long) memory.pages() * WasmAbi.PAGE_BYTES;
    if (end > size) {
      throw new ModelCallException(
          ModelCallException.Failure.BAD_OUTPUT,
          what
              + " pointer "
              + Integer.toUnsignedString(ptr)
              + " with length "
              + len
              + " outside its "
              + size
              + "-byte memory");
    }
  }
}
