package dev.clawrate.contract.engine;

/**
 * An instance's memory was refused by the {@link MemoryBudget}. Unchecked, as it is thrown from
 * inside a running model (its {@code memory.grow}) and must pass through Chicory's frames; the
 * runtime turns it into an overloaded call.
 */
final class MemoryRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  MemoryRefusedException(String message) {
    super(message, null, false, false);
  }
}
