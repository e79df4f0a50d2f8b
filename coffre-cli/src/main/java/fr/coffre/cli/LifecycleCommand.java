package fr.coffre.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code coffre admin lifecycle ...}: the buckets' lifecycle rules, applied on demand. */
@Command(
    name = "lifecycle",
    mixinStandardHelpOptions = true,
    description = "Buckets' lifecycle rules (expiration, abort of unfinished uploads).",
    subcommands = {LifecycleCommand.Run.class})
final class LifecycleCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description =
          "Applies every bucket's lifecycle rules now (the server also does every"
              + " --lifecycle-interval): expires what is due, aborts the unfinished uploads the rules"
              + " name, records each removal in the audit trail; prints what it did.")
  static final class Run implements Callable<Integer> {
    @Mixin AdminConnection admin;

    @Override
    public Integer call() {
      return AdminCommand.send(admin, "POST", "lifecycle/run", null, null);
    }
  }
}
