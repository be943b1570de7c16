package dev.ferry.backend.syncthing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API of one Syncthing node (1.19 or later), over its REST interface: identity,
 * devices, folders, pending offers, options, connections, folder state, per-device completion,
 * scans, events, restart, shutdown and factory reset.
 *
 * <p>Device IDs and folder types are checked here before anything is sent, so bad input changes
 * nothing on the node. Failures come as the Ferry exception family: {@link NodeUnavailableException}
 * when the node does not answer, {@link dev.ferry.api.AuthenticationException} for a wrong API key
 * or an untrusted certificate, {@link NotFoundException} for an unknown folder or device.
 *
 * <pre>{@code
 * SyncthingNode node = SyncthingNode.builder(URI.create("http://127.0.0.1:8384")).apiKey(key).build();
 * node.addDevice(DeviceConfig.builder(DeviceId.parse(id)).address("tcp://10.0.0.2:22000").build());
 * node.addFolder(FolderConfig.builder("photos", Path.of("/srv/photos")).share(DeviceId.parse(id)).build());
 * }</pre>
 *
 * Thread-safe.
 */
public final class SyncthingNode {

    private static final Logger LOG = LoggerFactory.getLogger(SyncthingNode.class);

    private final RestClient rest;
    private volatile DeviceId self;

    private SyncthingNode(RestClient rest) {
        this.rest = rest;
    }

    /** A builder for the node whose GUI listens at {@code gui} ({@code http://127.0.0.1:8384}, or https). */
    public static Builder builder(URI gui) {
        return new Builder(gui);
    }

    /** The GUI address calls go to. */
    public URI gui() {
        return rest.base();
    }

    // ---- identity and system -------------------------------------------------------------

    /** Whether the node answers now (with this API key). */
    public boolean ping() {
        try {
            return "pong".equals(rest.get("rest/system/ping").path("ping").asText());
        } catch (IOException e) {
            return false;
        }
    }

    /** The node's ID, version, listen addresses and uptime. */
    public SystemStatus status() throws IOException {
        SystemStatus s = Wire.status(rest.get("rest/system/status"), rest.get("rest/system/version"));
        self = s.myId();
        return s;
    }

    /** The node's own device ID. */
    public DeviceId myId() throws IOException {
        DeviceId id = self;
        if (id == null) {
            id = DeviceId.parse(rest.get("rest/system/status").path("myID").asText());
            self = id;
        }
        return id;
    }

    /** Whether a configuration change waits for a restart (new listen addresses, for one). */
    public boolean restartRequired() throws IOException {
        return rest.get("rest/config/restart-required").path("requiresRestart").asBoolean();
    }

    /** Asks the node to restart; see {@link #awaitRestart}. */
    public void restart() throws IOException {
        rest.post("rest/system/restart", null);
    }

    /** Asks the node to stop. A managed node's {@link SyncthingProcess#stop()} also waits for the exit. */
    public void shutdown() throws IOException {
        rest.post("rest/system/shutdown", null);
    }

    /**
     * Waits until the node answers again as a process started after {@code previousStart}.
     *
     * @throws NodeUnavailableException if it does not within {@code timeout}
     */
    public SystemStatus awaitRestart(Instant previousStart, Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        IOException last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                SystemStatus s = status();
                if (!s.startTime().equals(previousStart)) {
                    return s;
                }
            } catch (NodeUnavailableException e) {
                last = e;
            }
            pause(Duration.ofMillis(200));
        }
        throw new NodeUnavailableException("the Syncthing node at " + rest.base() + " did not come back within "
                + timeout.toSeconds() + " s", last);
    }

    // ---- devices -------------------------------------------------------------------------

    /** The configured devices, the node itself included. */
    public List<DeviceConfig> devices() throws IOException {
        List<DeviceConfig> out = new ArrayList<>();
        for (JsonNode d : rest.get("rest/config/devices")) {
            out.add(Wire.device(d));
        }
        return out;
    }

    /** One configured device, if it is configured. */
    public Optional<DeviceConfig> device(DeviceId id) throws IOException {
        try {
            return Optional.of(Wire.device(rest.get("rest/config/devices/" + id.value())));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** Adds a device, or replaces the one with the same ID. */
    public void addDevice(DeviceConfig device) throws IOException {
        rest.post("rest/config/devices", Wire.device(device));
        LOG.info("Syncthing node {}: device {} added", rest.base(), device.id().shortId());
    }

    /** Removes a device (and with it its share of every folder). */
    public void removeDevice(DeviceId id) throws IOException {
        requireDevice(id);
        rest.delete("rest/config/devices/" + id.value());
    }

    /** Pauses the connection to a device; kept across restarts. */
    public void pauseDevice(DeviceId id) throws IOException {
        requireDevice(id);
        rest.post("rest/system/pause", null, "device", id.value());
    }

    /** Resumes a paused device. */
    public void resumeDevice(DeviceId id) throws IOException {
        requireDevice(id);
        rest.post("rest/system/resume", null, "device", id.value());
    }

    private void requireDevice(DeviceId id) throws IOException {
        if (device(id).isEmpty()) {
            throw new NotFoundException("the Syncthing node at " + rest.base() + " has no device " + id);
        }
    }

    // ---- folders -------------------------------------------------------------------------

    /** The configured folders. */
    public List<FolderConfig> folders() throws IOException {
        DeviceId me = myId();
        List<FolderConfig> out = new ArrayList<>();
        for (JsonNode f : rest.get("rest/config/folders")) {
            out.add(Wire.folder(f, me));
        }
        return out;
    }

    /** One folder, if it is configured. */
    public Optional<FolderConfig> folder(String id) throws IOException {
        FolderConfig.checkId(id);
        try {
            return Optional.of(Wire.folder(rest.get("rest/config/folders/" + id), myId()));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** One folder, or a {@link NotFoundException} naming it. */
    public FolderConfig requireFolder(String id) throws IOException {
        return folder(id).orElseThrow(() -> new NotFoundException("the Syncthing node at " + rest.base()
                + " has no folder '" + id + "'"));
    }

    /**
     * Adds a folder, or replaces the one with the same ID. Every device it is shared with must
     * be configured first.
     */
    public void addFolder(FolderConfig folder) throws IOException {
        DeviceId me = myId();
        Set<DeviceId> known = new java.util.HashSet<>();
        devices().forEach(d -> known.add(d.id()));
        for (DeviceId d : folder.devices()) {
            if (!known.contains(d) && !d.equals(me)) {
                throw new NotFoundException("cannot share folder '" + folder.id() + "' with " + d
                        + ": no such device on the node; add the device first");
            }
        }
        rest.post("rest/config/folders", Wire.folder(folder, me));
        LOG.info("Syncthing node {}: folder '{}' at {} added", rest.base(), folder.id(), folder.path());
    }

    /** Removes a folder from the node; its files stay on disk. */
    public void removeFolder(String id) throws IOException {
        requireFolder(id);
        rest.delete("rest/config/folders/" + id);
    }

    /** Shares a folder with one more configured device. */
    public void shareFolder(String folderId, DeviceId device) throws IOException {
        FolderConfig f = requireFolder(folderId);
        requireDevice(device);
        if (f.devices().contains(device)) {
            return;
        }
        List<DeviceId> devices = new ArrayList<>(f.devices());
        devices.add(device);
        patchDevices(folderId, devices);
    }

    /** Stops sharing a folder with a device. */
    public void unshareFolder(String folderId, DeviceId device) throws IOException {
        FolderConfig f = requireFolder(folderId);
        if (!f.devices().contains(device)) {
            return;
        }
        List<DeviceId> devices = new ArrayList<>(f.devices());
        devices.remove(device);
        patchDevices(folderId, devices);
    }

    private void patchDevices(String folderId, List<DeviceId> devices) throws IOException {
        // PATCH replaces arrays whole: send the full new list, the node itself included.
        ObjectNode body = RestClient.JSON.createObjectNode();
        body.set("devices", Wire.folderDevices(devices, myId()));
        rest.patch("rest/config/folders/" + folderId, body);
    }

    /** Changes some of a folder's settings (what the change leaves empty stays). */
    public void updateFolder(String folderId, FolderConfig changed) throws IOException {
        if (!changed.id().equals(folderId)) {
            throw new IllegalArgumentException("the folder ID cannot change: " + folderId + " vs " + changed.id());
        }
        requireFolder(folderId);
        rest.patch("rest/config/folders/" + folderId, Wire.folder(changed, myId()));
    }

    // ---- pending offers ------------------------------------------------------------------

    /** Devices that tried to connect but are not configured. */
    public List<PendingDevice> pendingDevices() throws IOException {
        List<PendingDevice> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = rest.get("rest/cluster/pending/devices").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.add(new PendingDevice(DeviceId.parse(e.getKey()), e.getValue().path("name").asText(""),
                    e.getValue().path("address").asText(""), Wire.instant(e.getValue().path("time"))));
        }
        return out;
    }

    /** Folders configured devices offer that are not shared back yet, one entry per offering device. */
    public List<PendingFolder> pendingFolders() throws IOException {
        List<PendingFolder> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = rest.get("rest/cluster/pending/folders").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            Iterator<Map.Entry<String, JsonNode>> by = f.getValue().path("offeredBy").fields();
            while (by.hasNext()) {
                Map.Entry<String, JsonNode> d = by.next();
                out.add(new PendingFolder(f.getKey(), DeviceId.parse(d.getKey()), d.getValue().path("label").asText(""),
                        Wire.instant(d.getValue().path("time"))));
            }
        }
        return out;
    }

    /**
     * Accepts a pending device under the name it gave, dialling {@code addresses} (none: dynamic).
     *
     * @throws NotFoundException if no such device is pending
     */
    public void acceptDevice(DeviceId id, List<String> addresses) throws IOException {
        PendingDevice p = pendingDevices().stream().filter(d -> d.device().equals(id)).findFirst()
                .orElseThrow(() -> new NotFoundException("no pending device " + id + " on " + rest.base()));
        addDevice(DeviceConfig.builder(id).name(p.name()).addresses(addresses).build());
    }

    /**
     * Accepts a pending folder under its ID at {@code path}, shared with every device offering it.
     *
     * @throws NotFoundException if no such folder is pending
     */
    public void acceptFolder(String folderId, Path path) throws IOException {
        List<PendingFolder> offers = pendingFolders().stream().filter(f -> f.folderId().equals(folderId)).toList();
        if (offers.isEmpty()) {
            throw new NotFoundException("no pending folder '" + folderId + "' on " + rest.base());
        }
        FolderConfig.Builder b = FolderConfig.builder(folderId, path).label(offers.get(0).label());
        offers.forEach(o -> b.share(o.offeredBy()));
        addFolder(b.build());
    }

    /** Dismisses a pending device (it is offered again when it next connects). */
    public void dismissDevice(DeviceId id) throws IOException {
        rest.delete("rest/cluster/pending/devices", "device", id.value());
    }

    /** Dismisses a pending folder, from every offering device. */
    public void dismissFolder(String folderId) throws IOException {
        FolderConfig.checkId(folderId);
        rest.delete("rest/cluster/pending/folders", "folder", folderId);
    }

    // ---- options and connections ---------------------------------------------------------

    /** The node-wide options a platform sets. */
    public NodeOptions options() throws IOException {
        return Wire.options(rest.get("rest/config/options"));
    }

    /** Changes some options; listen addresses take effect after a restart. */
    public void setOptions(NodeOptions.Change change) throws IOException {
        if (!change.isEmpty()) {
            rest.patch("rest/config/options", Wire.options(change));
        }
    }

    /** The connection to every configured device (the node itself excluded). */
    public Map<DeviceId, Connection> connections() throws IOException {
        DeviceId me = myId();
        Map<DeviceId, Connection> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = rest.get("rest/system/connections").path("connections").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            DeviceId id = DeviceId.parse(e.getKey());
            if (!id.equals(me)) {
                out.put(id, Wire.connection(id, e.getValue()));
            }
        }
        return out;
    }

    // ---- folder state, completion, scans ---------------------------------------------------

    /** A folder's state on this node. */
    public FolderStatus folderStatus(String folderId) throws IOException {
        FolderConfig.checkId(folderId);
        return Wire.folderStatus(rest.get("rest/db/status", "folder", folderId));
    }

    /** How far {@code device} is with a folder, by its last index (see {@link Completion}). */
    public Completion completion(String folderId, DeviceId device) throws IOException {
        FolderConfig.checkId(folderId);
        return Wire.completion(folderId, device, rest.get("rest/db/completion", "folder", folderId, "device", device.value()));
    }

    /**
     * Waits until every connected device sharing the folder has everything this node has, decided
     * by the need counts after this node's index holds the change (not by the percentage), and
     * says for each device how far it got.
     */
    public PeerReport awaitPeers(String folderId, Duration timeout) throws IOException {
        return new PeerWait(this, folderId).await(timeout);
    }

    /** Scans a whole folder; returns when the scan is done (large folders take a while). */
    public void scan(String folderId) throws IOException {
        scan(folderId, List.of());
    }

    /**
     * Scans only some paths of a folder (relative, {@code a/b.txt}; deleted ones too); returns
     * when the scan is done. An empty list scans the whole folder.
     *
     * @throws IllegalArgumentException for a path that would leave the folder ({@code ../x})
     */
    public void scan(String folderId, Collection<String> paths) throws IOException {
        requireFolder(folderId);
        List<String> subs = new ArrayList<>();
        for (String p : paths) {
            subs.add(SyncPath.of(p).toString());
        }
        rest.postWithTimeout("rest/db/scan", Duration.ofHours(1), "folder", folderId, "sub", subs.isEmpty() ? null : subs);
    }

    /**
     * A cursor over the events of the given types ({@code LocalIndexUpdated},
     * {@code FolderCompletion}...), subscribed now.
     */
    public EventCursor events(Set<String> types) throws IOException {
        if (types.isEmpty()) {
            throw new IllegalArgumentException("name at least one event type");
        }
        return new EventCursor(rest, types);
    }

    // ---- reset ---------------------------------------------------------------------------

    /**
     * What a platform's "reset" button means: every folder and device removed, pending offers
     * dismissed, the database reset, the node restarted and answering again. The node keeps its
     * ID, options and GUI settings (so it stays reachable and off the internet); a managed node
     * can also get a new ID ({@link SyncthingProcess#factoryReset(boolean)}). Files in the
     * folders stay on disk.
     */
    public SystemStatus factoryReset(Duration timeout) throws IOException {
        SystemStatus before = status();
        for (FolderConfig f : folders()) {
            rest.delete("rest/config/folders/" + f.id());
        }
        for (DeviceConfig d : devices()) {
            if (!d.id().equals(before.myId())) {
                rest.delete("rest/config/devices/" + d.id().value());
            }
        }
        for (PendingDevice p : pendingDevices()) {
            dismissDevice(p.device());
        }
        for (PendingFolder p : pendingFolders()) {
            dismissFolder(p.folderId());
        }
        // With no folders left nothing needs pausing; the node restarts itself (or exits with 3 for its supervisor).
        rest.post("rest/system/reset", null);
        LOG.info("Syncthing node {}: factory reset, restarting", rest.base());
        return awaitRestart(before.startTime(), timeout);
    }

    static void pause(Duration d) throws InterruptedIOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    @Override
    public String toString() {
        return "SyncthingNode[" + rest.base() + "]";
    }

    /** Builds a {@link SyncthingNode}. */
    public static final class Builder {
        private final URI gui;
        private String apiKey;
        private X509Certificate pinned;
        private X509Certificate ca;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(URI gui) {
            String scheme = Objects.requireNonNull(gui, "gui").getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme) || gui.getHost() == null) {
                throw new IllegalArgumentException("the GUI address is http(s)://HOST:PORT, not " + gui);
            }
            this.gui = URI.create(scheme + "://" + gui.getRawAuthority() + "/");
        }

        /** The API key ({@code <gui><apikey>} in config.xml). */
        public Builder apiKey(String apiKey) {
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalArgumentException("an API key is required");
            }
            this.apiKey = apiKey;
            return this;
        }

        /** For https: accept exactly this certificate (the node's {@code https-cert.pem}). */
        public Builder pinnedCertificate(X509Certificate certificate) {
            this.pinned = certificate;
            return this;
        }

        /** For https: accept exactly the certificate in this PEM file. */
        public Builder pinnedCertificate(Path pem) throws IOException {
            return pinnedCertificate(Tls.readCertificate(pem));
        }

        /** For https: trust certificates this CA issued (host names checked). */
        public Builder caCertificate(X509Certificate ca) {
            this.ca = ca;
            return this;
        }

        /** How long an ordinary call may take (scans and event waits have their own). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** The client; contacts nothing yet. */
        public SyncthingNode build() {
            if (apiKey == null) {
                throw new IllegalStateException("an API key is required");
            }
            SSLContext tls = null;
            if ("https".equals(gui.getScheme())) {
                if (pinned != null) {
                    tls = Tls.pinned(pinned);
                } else if (ca != null) {
                    tls = Tls.trustingCa(ca);
                }
                // Neither: the JDK's default trust store, host names checked.
            }
            return new SyncthingNode(new RestClient(gui, apiKey, tls, timeout));
        }
    }
}
