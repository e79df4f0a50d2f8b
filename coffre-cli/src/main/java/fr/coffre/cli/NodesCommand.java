package fr.coffre.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code coffre admin nodes ...}: the nodes of a cluster (docs/cluster.md). */
@Command(
    name = "nodes",
    mixinStandardHelpOptions = true,
    description = "The nodes of a cluster: list, drain, activate, remove a lost one.",
    subcommands = {
      NodesCommand.ListNodes.class,
      NodesCommand.Drain.class,
      NodesCommand.Activate.class,
      NodesCommand.Remove.class
    })
final class NodesCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Every registered node: site, internal address, alive, state, volumes.")
  static final class ListNodes implements Callable<Integer> {
    @Mixin AdminConnection admin;

    @Override
    public Integer call() {
      return AdminCommand.send(admin, "GET", "nodes", null, null);
    }
  }

  @Command(
      name = "drain",
      mixinStandardHelpOptions = true,
      description =
          "No new copies go to the node; it still serves what it holds (before taking it out).")
  static final class Drain implements Callable<Integer> {
    @Mixin AdminConnection admin;

    @Parameters(paramLabel = "NODE")
    String node;

    @Override
    public Integer call() {
      return AdminCommand.send(admin, "POST", "nodes/" + node + "/drain", null, null);
    }
  }

  @Command(
      name = "activate",
      mixinStandardHelpOptions = true,
      description = "The node takes new copies again.")
  static final class Activate implements Callable<Integer> {
    @Mixin AdminConnection admin;

    @Parameters(paramLabel = "NODE")
    String node;

    @Override
    public Integer call() {
      return AdminCommand.send(admin, "POST", "nodes/" + node + "/activate", null, null);
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description =
          "Declares a stopped node lost: its volumes count as gone, and the scrubber recreates"
              + " their copies on the other nodes (`coffre residency scrub` runs it now). Refused while"
              + " the node runs.")
  static final class Remove implements Callable<Integer> {
    @Mixin AdminConnection admin;

    @Parameters(paramLabel = "NODE")
    String node;

    @Override
    public Integer call() {
      return AdminCommand.send(admin, "DELETE", "nodes/" + node, null, null);
    }
  }
}
