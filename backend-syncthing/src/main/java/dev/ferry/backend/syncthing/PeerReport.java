package dev.ferry.backend.syncthing;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of waiting for a folder's peers: each peer's progress and whether all were done.
 *
 * @param folderId the folder
 * @param peers every peer the folder is shared with (paused ones left out)
 * @param waited how long the wait took
 */
public record PeerReport(String folderId, List<PeerProgress> peers, Duration waited) {

    /** Copies. */
    public PeerReport {
        peers = List.copyOf(peers);
    }

    /** Whether every peer had everything. */
    public boolean complete() {
        return peers.stream().allMatch(PeerProgress::done);
    }

    /** The peers that did not finish. */
    public List<PeerProgress> unfinished() {
        return peers.stream().filter(p -> !p.done()).toList();
    }

    /** One line per peer, joined with "; ". */
    public String describe() {
        return peers.isEmpty() ? "no peers share folder '" + folderId + "'"
                : peers.stream().map(PeerProgress::describe).collect(Collectors.joining("; "));
    }
}
