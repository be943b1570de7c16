package dev.ferry.backend.syncthing;

import java.util.Optional;

/**
 * How far one peer got with a folder when a wait ended.
 *
 * @param device the peer
 * @param connected whether it was connected at the last look
 * @param completion its completion at the last look, if it was asked
 * @param done whether it had everything (connected, and nothing needed by the counts)
 */
public record PeerProgress(DeviceId device, boolean connected, Optional<Completion> completion, boolean done) {

    /** One line for a person: {@code ABCDEFG: done}, {@code ABCDEFG: not connected}, or what it still needs. */
    public String describe() {
        String who = device.shortId();
        if (done) {
            return who + ": done";
        }
        if (!connected) {
            return who + ": not connected";
        }
        if (completion.isPresent() && completion.get().sequence() == 0 && completion.get().nothingNeeded()) {
            return who + ": sent no index for the folder yet (has it accepted the folder?)";
        }
        return completion.map(c -> who + ": still needs " + c.needItems() + " items (" + c.needBytes() + " bytes, "
                + c.needDeletes() + " deletions)").orElse(who + ": no answer yet");
    }
}
