package dev.ferry.backend.syncthing;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Waits until a folder's peers have everything, the safe way for Syncthing 1.19 (no
 * {@code remoteState} yet): a peer is done when it is connected and its need counts (items,
 * bytes, deletions) are all zero. The percentage is not used: it reads 100 for an empty folder
 * and 95 when only deletions are missing. Nor is "nothing needed" alone: 1.19 says so for a peer
 * that never sent an index for the folder (sequence 0), such as one that has not accepted it.
 *
 * <p>Why the counts are fresh: callers scan first, and {@code /rest/db/scan} returns only once
 * this node's index holds the change, so a peer that lacks it shows a need at once; the need
 * falls to zero only when that peer sends a newer index. A peer that is not connected is not
 * done (it has not got the change); one that is paused is left out: pausing it is how a user
 * says "don't wait for it".
 */
final class PeerWait {

    private static final Duration POLL = Duration.ofMillis(250);

    private final SyncthingNode node;
    private final String folderId;

    PeerWait(SyncthingNode node, String folderId) {
        this.node = node;
        this.folderId = folderId;
    }

    PeerReport await(Duration timeout) throws IOException {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        FolderConfig folder = node.requireFolder(folderId);
        List<DeviceId> waitingFor = new ArrayList<>();
        for (DeviceId d : folder.devices()) {
            Optional<DeviceConfig> config = node.device(d);
            if (config.isPresent() && !config.get().paused()) {
                waitingFor.add(d);
            }
        }
        while (true) {
            List<PeerProgress> progress = look(waitingFor);
            boolean all = progress.stream().allMatch(PeerProgress::done);
            if (all || !Instant.now().isBefore(deadline)) {
                return new PeerReport(folderId, progress, Duration.between(start, Instant.now()));
            }
            SyncthingNode.pause(POLL);
        }
    }

    private List<PeerProgress> look(List<DeviceId> peers) throws IOException {
        Map<DeviceId, Connection> connections = node.connections();
        List<PeerProgress> out = new ArrayList<>();
        for (DeviceId d : peers) {
            Connection c = connections.get(d);
            boolean connected = c != null && c.connected();
            if (!connected) {
                out.add(new PeerProgress(d, false, Optional.empty(), false));
                continue;
            }
            Completion completion = node.completion(folderId, d);
            out.add(new PeerProgress(d, true, Optional.of(completion), completion.hasEverything()));
        }
        return out;
    }
}
