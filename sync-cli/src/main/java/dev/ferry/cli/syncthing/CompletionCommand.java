package dev.ferry.cli.syncthing;

import dev.ferry.backend.syncthing.Completion;
import dev.ferry.backend.syncthing.Connection;
import dev.ferry.backend.syncthing.DeviceId;
import dev.ferry.backend.syncthing.FolderConfig;
import dev.ferry.backend.syncthing.FolderStatus;
import dev.ferry.backend.syncthing.SyncthingNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code ferry syncthing completion FOLDER_ID}: how far each peer is, decided by the need counts. */
@Command(name = "completion", mixinStandardHelpOptions = true, description = "Show a folder's state here and each "
        + "sharing device's completion; 'done' means connected with nothing needed (not just 100%%).")
final class CompletionCommand extends NodeCommand {
    @Parameters(paramLabel = "FOLDER_ID", description = "The folder.")
    String folderId;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        SyncthingNode node = connect.node();
        FolderConfig folder;
        try {
            folder = node.requireFolder(folderId);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        FolderStatus status = node.folderStatus(folderId);
        Map<DeviceId, Connection> connections = node.connections();
        List<Object> rows = new ArrayList<>();
        var out = Output.out(spec);
        if (!json) {
            out.printf("%s here: %s, %d files, needs %d%n", folderId, status.state(), status.localFiles(), status.needFiles());
        }
        for (DeviceId d : folder.devices()) {
            Completion c = node.completion(folderId, d);
            boolean connected = connections.containsKey(d) && connections.get(d).connected();
            if (json) {
                rows.add(Output.completion(c, connected));
            } else {
                out.printf("%s  %6.2f%%  needs %d items (%d bytes, %d deletions)  %s%n", d.shortId(), c.percent(),
                        c.needItems(), c.needBytes(), c.needDeletes(),
                        !connected ? "not connected" : c.hasEverything() ? "done" : "syncing");
            }
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("folder", folderId);
            m.put("state", status.state());
            m.put("localFiles", status.localFiles());
            m.put("needFiles", status.needFiles());
            m.put("devices", rows);
            Output.json(spec, m);
        }
        return 0;
    }
}
