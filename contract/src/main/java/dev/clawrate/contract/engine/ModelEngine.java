package dev.clawrate.contract.engine;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every compiled module and runtime in the process: validates and compiles a module once per
 * digest and keeps one {@link ModelRuntime} per (digest, entry point, limits), so snapshots that
 * repeat a model share its compiled code and warm instances.
 */
public final class ModelEngine implements AutoCloseable {

  /** Compiled modules kept after they leave every live snapshot: quick rollbacks. */
  static final int RETIRED_TO_KEEP = 4;

  /** Idle instances are looked for four times per idle time, but not more often than this. */
  static final long EVICTION_SWEEP_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /**
   * @param shadow whether the runtime serves shadow evaluations: those get runtimes of their own,
   *     so a candidate never takes instances from the live pool, nor skews the call times that
   *     decide where live calls run, even when it is the very model it shadows
   */
  private record RuntimeKey(String digest, String entrypoint, ModelLimits limits, boolean shadow) {}

  private static final Logger LOG = LoggerFactory.getLogger(ModelEngine.class);

  private final ExecutionMode mode;
  private final boolean tiered;
  private final int maxIdleInstances;
  // Compiles modules behind their interpreted start, one at a time, at low priority.
  private final ExecutorService backgroundCompiler;
  private final CallWatchdog watchdog = new CallWatchdog();
  private final InstancePolicy policy;
  private final MemoryBudget memory;
  // Drops instances left idle past the policy's idle time.
  private final ScheduledExecutorService evictor;
  private final Map<String, CompiledModel> compiled = new ConcurrentHashMap<>();
  private final Map<RuntimeKey, ModelRuntime> runtimes = new ConcurrentHashMap<>();
  // Digests served by the interpreter while the background compiler works on them; each future
  // completes when that compilation ends, whether the compiled code was installed or not.
  private final Map<String, CompletableFuture<Void>> compiling = new ConcurrentHashMap<>();
  // Digests compiled but in no live snapshot, oldest first; guarded by this.
  private final Deque<String> retired = new ArrayDeque<>();

  /**
   * @param maxIdleInstances instances each runtime keeps between calls; set it to the number of
   *     request threads so a steady load never instantiates
   */
  public ModelEngine(ExecutionMode mode, int maxIdleInstances) {
    this(mode, maxIdleInstances, false);
  }

  /**
   * @param tiered in compiled mode, serve a new module with the interpreter at once and switch its
   *     runtimes to compiled code when the compiler finishes in the background: a snapshot goes
   *     live (and a rater gets ready) without waiting for the compiler
   */
  public ModelEngine(ExecutionMode mode, int maxIdleInstances, boolean tiered) {
    this(mode, maxIdleInstances, tiered, InstancePolicy.defaults());
  }

  /**
   * @param policy the memory budget of all instances, and how long idle ones are kept
   */
  public ModelEngine(
      ExecutionMode mode, int maxIdleInstances, boolean tiered, InstancePolicy policy) {
    this.policy = policy;
    this.memory = new MemoryBudget(policy);
    memory.reclaimWith(this::evictAllIdle);
    this.evictor =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "clawrate-instance-evictor");
              thread.setDaemon(true);
              return thread;
            });
    long sweepNanos = Math.max(policy.idleTimeout().toNanos() / 4, EVICTION_SWEEP_MIN_NANOS);
    evictor.scheduleWithFixedDelay(
        this::evictExpired, sweepNanos, sweepNanos, TimeUnit.NANOSECONDS);
    this.mode = mode;
    this.tiered = tiered && mode == ExecutionMode.COMPILED;
    this.maxIdleInstances = maxIdleInstances;
    this.backgroundCompiler =
        this.tiered
            ? Executors.newSingleThreadExecutor(
                runnable -> {
                  Thread thread = new Thread(runnable, "clawrate-background-compiler");
                  thread.setDaemon(true);
                  thread.setPriority(Thread.MIN_PRIORITY);
                  return thread;
                })
            : null;
  }

  /**
   * Returns the runtime for a module, validating and compiling it if this digest is new.
   *
   * @param bytes supplies the module's bytes; not called when the digest is compiled already
   */
  public ModelRuntime load(ModuleBytes bytes, String digest, String entrypoint, ModelLimits limits)
      throws ModelValidationException {
    return load(new RuntimeKey(digest, entrypoint, limits, false), bytes);
  }

  /**
   * Like {@link #load}, for a shadow's candidate: the compiled module is shared with every model of
   * that digest, the runtime (and so its instances and call times) is the shadows' own.
   */
  public ModelRuntime loadShadow(
      ModuleBytes bytes, String digest, String entrypoint, ModelLimits limits)
      throws ModelValidationException {
    return load(new RuntimeKey(digest, entrypoint, limits, true), bytes);
  }

  private ModelRuntime load(RuntimeKey key, ModuleBytes bytes) throws ModelValidationException {
    String digest = key.digest();
    String entrypoint = key.entrypoint();
    ModelLimits limits = key.limits();
    ModelRuntime existing = runtimes.get(key);
    if (existing != null) {
      return existing;
    }
    CompiledModel model =
        compiledFor(
            digest, () -> ModelValidator.validate(bytes.read(digest), digest, entrypoint, limits));
    // Compiled ahead of use, or for another entry point or limits: the checks must hold for these.
    ModelValidator.recheck(model.validated(), entrypoint, limits);
    synchronized (this) {
      ModelRuntime runtime =
          runtimes.computeIfAbsent(
              key,
              k ->
                  new ModelRuntime(
                      model, entrypoint, limits, watchdog, maxIdleInstances, memory.account()));
      // The compiled code may have arrived since `model` was read.
      CompiledModel current = compiled.get(digest);
      if (current != null && current.mode() == ExecutionMode.COMPILED) {
        runtime.upgrade(current);
      }
      return runtime;
    }
  }

  /**
   * Compiles a module that a snapshot is likely to name soon (its ConfigMap was just written, and
   * the operator writes modules before the snapshot that names them), so the swap does not wait for
   * the compiler. Kept among the retired modules until a snapshot uses it.
   */
  public void precompile(String digest, byte[] bytes) throws ModelValidationException {
    CompiledModel known = compiled.get(digest);
    if (known != null && known.mode() == mode) {
      return;
    }
    if (tiered) {
      ValidatedModule validated =
          known != null ? known.validated() : ModelValidator.validateModule(bytes, digest);
      install(compile(validated, mode), false);
    } else {
      compiledFor(digest, () -> ModelValidator.validateModule(bytes, digest));
    }
    synchronized (this) {
      if (!retired.contains(digest)) {
        retired.addLast(digest);
      }
      while (retired.size() > RETIRED_TO_KEEP) {
        compiled.remove(retired.removeFirst());
      }
    }
  }

  /** Validation that needs the caller's entry point and limits, or not. */
  @FunctionalInterface
  private interface Validation {
    ValidatedModule validate() throws ModelValidationException;
  }

  /**
   * The compiled module for a digest, compiling it if needed. A second caller asking for a digest
   * being compiled waits for that compilation instead of starting its own.
   */
  private CompiledModel compiledFor(String digest, Validation validation)
      throws ModelValidationException {
    boolean[] interpretedNow = {false};
    CompiledModel model;
    try {
      model =
          compiled.computeIfAbsent(
              digest,
              d -> {
                try {
                  ValidatedModule validated = validation.validate();
                  if (!tiered) {
                    return compile(validated, mode);
                  }
                  interpretedNow[0] = true;
                  return compile(validated, ExecutionMode.INTERPRETED);
                } catch (ModelValidationException e) {
                  throw new RejectedModule(e);
                }
              });
    } catch (RejectedModule e) {
      throw e.reason;
    }
    if (interpretedNow[0]) {
      // Scheduled only now that the interpreted model is in the map for the compiler to replace.
      ValidatedModule validated = model.validated();
      compiling.put(digest, new CompletableFuture<>());
      backgroundCompiler.execute(() -> compileInBackground(validated));
    }
    return model;
  }

  private void compileInBackground(ValidatedModule validated) {
    try {
      CompiledModel current = compiled.get(validated.digest());
      if (current == null || current.mode() == ExecutionMode.COMPILED) {
        // Dropped meanwhile, or compiled ahead of use by precompile().
        return;
      }
      install(compile(validated, ExecutionMode.COMPILED), true);
    } catch (ModelValidationException | RuntimeException e) {
      // It validated and runs in the interpreter; it just stays there.
      LOG.atWarn()
          .addKeyValue("digest", validated.digest())
          .addKeyValue("error", e.getMessage())
          .log("module could not be compiled; it keeps running in the interpreter");
    } finally {
      CompletableFuture<Void> done = compiling.remove(validated.digest());
      if (done != null) {
        done.complete(null);
      }
    }
  }

  /** Compiles for any entry point and limits, and says which functions the compiler left out. */
  private static CompiledModel compile(ValidatedModule validated, ExecutionMode mode)
      throws ModelValidationException {
    CompiledModel model = CompiledModel.compile(validated, mode, ModelValidator.PERMISSIVE);
    if (!model.interpretedFunctions().isEmpty()) {
      LOG.atWarn()
          .addKeyValue("digest", validated.digest())
          .addKeyValue("interpretedFunctions", model.interpretedFunctions())
          .log(
              "functions too large for one JVM method run in the interpreter; the rest of the"
                  + " module is compiled");
    }
    return model;
  }

  /**
   * Whether {@code digest} is served by the interpreter only until the background compiler finishes
   * it. False once compiled, and for a module that could not be compiled: it stays interpreted, and
   * waiting would not change that.
   */
  public boolean isCompiling(String digest) {
    return compiling.containsKey(digest);
  }

  /**
   * Completes when every runtime's module has left the background compiler: compiled code
   * installed, or the compilation over without it. Already complete when none is compiling.
   */
  public CompletableFuture<Void> compiledCode(Collection<ModelRuntime> runtimes) {
    return CompletableFuture.allOf(
        runtimes.stream()
            .map(runtime -> compiling.get(runtime.digest()))
            .filter(Objects::nonNull)
            .toArray(CompletableFuture[]::new));
  }

  /**
   * Makes compiled code the one every runtime of its digest uses from now on.
   *
   * @param onlyIfKept skip it when the module was dropped while it compiled
   */
  private synchronized void install(CompiledModel compiledModel, boolean onlyIfKept) {
    if (onlyIfKept && !compiled.containsKey(compiledModel.digest())) {
      return;
    }
    compiled.put(compiledModel.digest(), compiledModel);
    for (ModelRuntime runtime : runtimes.values()) {
      if (runtime.digest().equals(compiledModel.digest())) {
        runtime.upgrade(compiledModel);
      }
    }
  }

  /** Carries a validation failure out of {@link ConcurrentHashMap#computeIfAbsent}. */
  private static final class RejectedModule extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ModelValidationException reason;

    RejectedModule(ModelValidationException reason) {
      super(reason.getMessage(), null, false, false);
      this.reason = reason;
    }
  }

  /** Where a module's bytes come from, looked up by digest only when they are needed. */
  @FunctionalInterface
  public interface ModuleBytes {
    byte[] read(String digest) throws ModelValidationException;
  }

  /**
   * Forgets every runtime not in {@code inUse}, so models dropped from the live snapshots can be
   * collected once their in-flight calls finish. The compiled code of the last few retired modules
   * is kept, so rolling back to the previous version does not compile it again.
   */
  public synchronized void retainOnly(Set<ModelRuntime> inUse) {
    runtimes
        .values()
        .removeIf(
            runtime -> {
              if (inUse.contains(runtime)) {
                return false;
              }
              runtime.close();
              return true;
            });
    Set<String> live = new HashSet<>();
    inUse.forEach(runtime -> live.add(runtime.digest()));
    for (String digest : compiled.keySet()) {
      if (!live.contains(digest) && !retired.contains(digest)) {
        retired.addLast(digest);
      }
    }
    retired.removeAll(live);
    while (retired.size() > RETIRED_TO_KEEP) {
      compiled.remove(retired.removeFirst());
    }
  }

  public int compiledCount() {
    return compiled.size();
  }

  /** The linear memory all instances hold, and the most they may. */
  public MemoryBudget memoryBudget() {
    return memory;
  }

  public InstancePolicy instancePolicy() {
    return policy;
  }

  private void evictExpired() {
    long cutoff = System.nanoTime() - policy.idleTimeout().toNanos();
    runtimes.values().forEach(runtime -> runtime.evictIdle(cutoff));
  }

  private void evictAllIdle() {
    runtimes.values().forEach(ModelRuntime::evictAllIdle);
  }

  @Override
  public void close() {
    evictor.shutdownNow();
    watchdog.close();
    if (backgroundCompiler != null) {
      backgroundCompiler.shutdownNow();
    }
    // Compilations dropped with the executor never end on their own; nobody must wait for them.
    compiling.values().forEach(done -> done.complete(null));
  }
}
