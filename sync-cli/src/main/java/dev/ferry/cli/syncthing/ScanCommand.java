package dev.ferry.cli.syncthing;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code ferry syncthing scan FOLDER_ID [--sub PATH]...}: scan now, and wait for the scan. */
@Command(name = "scan", mixinStandardHelpOptions = true, description = "Scan a folder (or only some paths of it) "
        + "now; returns when the scan is done.")
final class ScanCommand extends NodeCommand {
    @Parameters(paramLabel = "FOLDER_ID", description = "The folder.")
    String folderId;

    @Option(names = "--sub", paramLabel = "PATH", description = "Only this path, relative to the folder (repeatable).")
    List<String> subs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        try {
            connect.node().scan(folderId, subs);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Output.out(spec).println("scanned " + folderId + (subs.isEmpty() ? "" : " (" + String.join(", ", subs) + ")"));
        return 0;
    }
}
