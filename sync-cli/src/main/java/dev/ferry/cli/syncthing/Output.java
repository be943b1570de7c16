package dev.ferry.cli.syncthing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ferry.backend.syncthing.Completion;
import dev.ferry.backend.syncthing.Connection;
import dev.ferry.backend.syncthing.DeviceConfig;
import dev.ferry.backend.syncthing.DeviceId;
import dev.ferry.backend.syncthing.FolderConfig;
import dev.ferry.backend.syncthing.FolderStatus;
import dev.ferry.backend.syncthing.SystemStatus;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** How {@code ferry syncthing} prints: plain lines for people, {@code --json} for programs. */
final class Output {

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Output() {}

    static PrintWriter out(CommandSpec spec) {
        return spec.commandLine().getOut();
    }

    static void json(CommandSpec spec, Object value) {
        try {
            out(spec).println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> status(SystemStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("myID", s.myId().value());
        m.put("version", s.version());
        m.put("listen", s.listen());
        m.put("addresses", s.addresses());
        m.put("startTime", s.startTime().toString());
        m.put("uptimeSeconds", s.uptime().toSeconds());
        return m;
    }

    static Map<String, Object> device(DeviceConfig d, Connection c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceID", d.id().value());
        m.put("name", d.name());
        m.put("addresses", d.addresses());
        m.put("introducer", d.introducer());
        m.put("autoAcceptFolders", d.autoAcceptFolders());
        m.put("paused", d.paused());
        d.introducedBy().ifPresent(i -> m.put("introducedBy", i.value()));
        if (c != null) {
            m.put("connected", c.connected());
            c.address().ifPresent(a -> m.put("connectedAddress", a));
        }
        return m;
    }

    static Map<String, Object> folder(FolderConfig f, FolderStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("label", f.label());
        m.put("path", f.path().toString());
        m.put("type", f.type().wireName());
        m.put("devices", f.devices().stream().map(DeviceId::value).toList());
        m.put("rescanIntervalS", f.rescanIntervalS());
        m.put("fsWatcherEnabled", f.fsWatcherEnabled());
        m.put("maxConflicts", f.maxConflicts());
        m.put("paused", f.paused());
        if (s != null) {
            m.put("state", s.state());
            s.error().ifPresent(e -> m.put("error", e));
            m.put("localFiles", s.localFiles());
            m.put("needFiles", s.needFiles());
        }
        return m;
    }

    static Map<String, Object> completion(Completion c, boolean connected) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", c.device().value());
        m.put("connected", connected);
        m.put("completion", c.percent());
        m.put("needItems", c.needItems());
        m.put("needBytes", c.needBytes());
        m.put("needDeletes", c.needDeletes());
        m.put("globalItems", c.globalItems());
        m.put("sequence", c.sequence());
        m.put("done", connected && c.hasEverything());
        return m;
    }

    static String joined(List<String> l) {
        return l.isEmpty() ? "-" : String.join(",", l);
    }
}
