package dev.ferry.cli.syncthing;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A {@code ferry syncthing} command that talks to one node: the connection options and the command's spec. */
abstract class NodeCommand implements Callable<Integer> {

    @Mixin
    Connect connect;

    @Spec
    CommandSpec spec;
}
