package dev.ferry.backend.syncthing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON shapes of Syncthing 1.19's REST API, both ways, in one place. */
final class Wire {

    private Wire() {}

    static Instant instant(JsonNode n) {
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            return Instant.EPOCH;
        }
        try {
            return OffsetDateTime.parse(n.asText()).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static SystemStatus status(JsonNode status, JsonNode version) {
        List<String> listen = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = status.path("connectionServiceStatus").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            listen.add(e.getKey());
            for (JsonNode a : e.getValue().path("lanAddresses")) {
                if (!addresses.contains(a.asText())) {
                    addresses.add(a.asText());
                }
            }
        }
        return new SystemStatus(DeviceId.parse(status.path("myID").asText()), version.path("version").asText(),
                listen, addresses, instant(status.path("startTime")), Duration.ofSeconds(status.path("uptime").asLong()));
    }

    static DeviceConfig device(JsonNode d) {
        String by = d.path("introducedBy").asText("");
        return new DeviceConfig(DeviceId.parse(d.path("deviceID").asText()), d.path("name").asText(""),
                strings(d.path("addresses")), d.path("introducer").asBoolean(), d.path("autoAcceptFolders").asBoolean(),
                d.path("paused").asBoolean(), by.isEmpty() ? Optional.empty() : Optional.of(DeviceId.parse(by)));
    }

    static ObjectNode device(DeviceConfig c) {
        ObjectNode o = RestClient.JSON.createObjectNode();
        o.put("deviceID", c.id().value());
        o.put("name", c.name());
        ArrayNode a = o.putArray("addresses");
        c.addresses().forEach(a::add);
        o.put("introducer", c.introducer());
        o.put("autoAcceptFolders", c.autoAcceptFolders());
        o.put("paused", c.paused());
        return o;
    }

    static FolderConfig folder(JsonNode f, DeviceId self) {
        List<DeviceId> devices = new ArrayList<>();
        for (JsonNode d : f.path("devices")) {
            DeviceId id = DeviceId.parse(d.path("deviceID").asText());
            if (!id.equals(self)) {
                devices.add(id);
            }
        }
        FolderType type;
        try {
            type = FolderType.parse(f.path("type").asText("sendreceive"));
        } catch (IllegalArgumentException e) {
            type = FolderType.SEND_RECEIVE;
        }
        return new FolderConfig(f.path("id").asText(), f.path("label").asText(""), folderPath(f),
                type, devices, f.path("rescanIntervalS").asInt(), f.path("fsWatcherEnabled").asBoolean(),
                f.path("fsWatcherDelayS").asInt(), f.path("maxConflicts").asInt(), f.path("paused").asBoolean());
    }

    /** A folder's path; one this system cannot spell (a NUL) is refused, its control characters shown escaped. */
    private static Path folderPath(JsonNode f) {
        String raw = f.path("path").asText();
        try {
            return Path.of(raw);
        } catch (java.nio.file.InvalidPathException e) {
            StringBuilder shown = new StringBuilder();
            raw.codePoints().forEach(c -> shown.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : Character.toString(c)));
            throw new IllegalArgumentException("folder '" + f.path("id").asText() + "' has a path this system cannot use ("
                    + e.getReason() + "): " + shown);
        }
    }

    static ObjectNode folder(FolderConfig c, DeviceId self) {
        ObjectNode o = RestClient.JSON.createObjectNode();
        o.put("id", c.id());
        o.put("label", c.label());
        o.put("path", c.path().toString());
        o.put("type", c.type().wireName());
        o.set("devices", folderDevices(c.devices(), self));
        o.put("rescanIntervalS", c.rescanIntervalS());
        o.put("fsWatcherEnabled", c.fsWatcherEnabled());
        o.put("fsWatcherDelayS", c.fsWatcherDelayS());
        o.put("maxConflicts", c.maxConflicts());
        o.put("paused", c.paused());
        return o;
    }

    static ArrayNode folderDevices(List<DeviceId> devices, DeviceId self) {
        ArrayNode a = RestClient.JSON.createArrayNode();
        a.addObject().put("deviceID", self.value());
        for (DeviceId d : devices) {
            if (!d.equals(self)) {
                a.addObject().put("deviceID", d.value());
            }
        }
        return a;
    }

    static NodeOptions options(JsonNode o) {
        return new NodeOptions(strings(o.path("listenAddresses")), o.path("relaysEnabled").asBoolean(),
                o.path("globalAnnounceEnabled").asBoolean(), o.path("localAnnounceEnabled").asBoolean(),
                o.path("natEnabled").asBoolean());
    }

    static ObjectNode options(NodeOptions.Change c) {
        ObjectNode o = RestClient.JSON.createObjectNode();
        c.listenAddresses().ifPresent(l -> {
            ArrayNode a = o.putArray("listenAddresses");
            l.forEach(a::add);
        });
        c.relaysEnabled().ifPresent(v -> o.put("relaysEnabled", v));
        c.globalDiscoveryEnabled().ifPresent(v -> o.put("globalAnnounceEnabled", v));
        c.localDiscoveryEnabled().ifPresent(v -> o.put("localAnnounceEnabled", v));
        c.natEnabled().ifPresent(v -> o.put("natEnabled", v));
        return o;
    }

    static FolderStatus folderStatus(JsonNode s) {
        String error = s.path("error").asText("");
        return new FolderStatus(s.path("state").asText(), error.isEmpty() ? Optional.empty() : Optional.of(error),
                s.path("globalFiles").asLong(), s.path("globalBytes").asLong(), s.path("localFiles").asLong(),
                s.path("localBytes").asLong(), s.path("needFiles").asLong(), s.path("needBytes").asLong(),
                s.path("needDeletes").asLong(), s.path("pullErrors").asLong(s.path("errors").asLong()),
                s.path("sequence").asLong());
    }

    static Completion completion(String folder, DeviceId device, JsonNode c) {
        return new Completion(folder, device, c.path("completion").asDouble(), c.path("globalBytes").asLong(),
                c.path("needBytes").asLong(), c.path("globalItems").asLong(), c.path("needItems").asLong(),
                c.path("needDeletes").asLong(), c.path("sequence").asLong());
    }

    static Connection connection(DeviceId id, JsonNode c) {
        boolean connected = c.path("connected").asBoolean();
        String address = c.path("address").asText("");
        String type = c.path("type").asText("");
        return new Connection(id, connected, c.path("paused").asBoolean(),
                connected && !address.isEmpty() ? Optional.of(address) : Optional.empty(),
                connected && !type.isEmpty() ? Optional.of(type) : Optional.empty(),
                c.path("inBytesTotal").asLong(), c.path("outBytesTotal").asLong());
    }
}
