package dev.clawrate.local;

import dev.clawrate.operator.OperatorOptions.UsageException;

/** Entry point of {@code java -jar clawrate-local.jar}: the whole system on this machine. */
public final class LocalMain {

  private LocalMain() {}

  public static void main(String[] args) {
    LocalOptions options;
    try {
      options = LocalOptions.parse(args);
    } catch (UsageException e) {
      if (e.getMessage() == null) {
        System.out.print(LocalOptions.usage());
        System.exit(0);
      }
      System.err.println("error: " + e.getMessage());
      System.err.print(LocalOptions.usage());
      System.exit(2);
      return;
    }
    int status = LocalRun.main(options);
    if (status != 0) {
      System.exit(status);
    }
  }
}
