package dev.ferry.cli.syncthing;

import dev.ferry.backend.syncthing.DeviceId;
import dev.ferry.backend.syncthing.PendingDevice;
import dev.ferry.backend.syncthing.PendingFolder;
import dev.ferry.backend.syncthing.SyncthingNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code ferry syncthing pending [--accept ID|--dismiss ID]}: devices and folders waiting for an answer. */
@Command(name = "pending", mixinStandardHelpOptions = true, description = "List devices that want to connect and "
        + "folders offered to this node; accept or dismiss one by device ID or folder ID.")
final class PendingCommand extends NodeCommand {
    @Option(names = "--accept", paramLabel = "ID", description = "Accept this pending device or folder.")
    String accept;

    @Option(names = "--dismiss", paramLabel = "ID", description = "Dismiss this pending device or folder.")
    String dismiss;

    @Option(names = "--path", paramLabel = "DIR", description = "Where an accepted folder lives on the node's machine.")
    Path path;

    @Option(names = "--address", paramLabel = "tcp://HOST:PORT", description = "Where to dial an accepted device "
            + "(repeatable; default dynamic).")
    List<String> addresses = new ArrayList<>();

    @Option(names = "--json", description = "Print the pending lists as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (accept != null && dismiss != null) {
            throw new ParameterException(spec.commandLine(), "--accept and --dismiss: one at a time");
        }
        SyncthingNode node = connect.node();
        List<PendingDevice> devices = node.pendingDevices();
        List<PendingFolder> folders = node.pendingFolders();
        String id = accept != null ? accept : dismiss;
        if (id == null) {
            print(devices, folders);
            return 0;
        }
        boolean isDevice = DeviceId.isValid(id) && devices.stream().anyMatch(d -> d.device().equals(DeviceId.parse(id)));
        boolean isFolder = folders.stream().anyMatch(f -> f.folderId().equals(id));
        if (!isDevice && !isFolder) {
            throw new ParameterException(spec.commandLine(), "nothing pending with ID '" + id + "'");
        }
        if (isDevice) {
            DeviceId d = DeviceId.parse(id);
            if (accept != null) {
                node.acceptDevice(d, addresses);
                Output.out(spec).println("accepted device " + d);
            } else {
                node.dismissDevice(d);
                Output.out(spec).println("dismissed device " + d);
            }
        } else if (accept != null) {
            if (path == null) {
                throw new ParameterException(spec.commandLine(), "accepting folder '" + id + "' needs --path DIR");
            }
            node.acceptFolder(id, path.toAbsolutePath());
            Output.out(spec).println("accepted folder " + id + " at " + path.toAbsolutePath());
        } else {
            node.dismissFolder(id);
            Output.out(spec).println("dismissed folder " + id);
        }
        return 0;
    }

    private void print(List<PendingDevice> devices, List<PendingFolder> folders) {
        if (json) {
            List<Object> ds = new ArrayList<>();
            for (PendingDevice d : devices) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("deviceID", d.device().value());
                m.put("name", d.name());
                m.put("address", d.address());
                m.put("time", d.time().toString());
                ds.add(m);
            }
            List<Object> fs = new ArrayList<>();
            for (PendingFolder f : folders) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", f.folderId());
                m.put("label", f.label());
                m.put("offeredBy", f.offeredBy().value());
                m.put("time", f.time().toString());
                fs.add(m);
            }
            Output.json(spec, Map.of("devices", ds, "folders", fs));
            return;
        }
        var out = Output.out(spec);
        for (PendingDevice d : devices) {
            out.println("device " + d.device() + "  " + d.name() + "  from " + d.address());
        }
        for (PendingFolder f : folders) {
            out.println("folder " + f.folderId() + "  '" + f.label() + "'  offered by " + f.offeredBy().shortId());
        }
        if (devices.isEmpty() && folders.isEmpty()) {
            out.println("nothing pending");
        }
    }
}
