package dev.ferry.backend.syncthing;

import java.util.Locale;

/**
 * How a folder syncs. Checked here because Syncthing silently turns an unknown type into
 * send-receive.
 */
public enum FolderType {
    /** Changes go both ways. */
    SEND_RECEIVE("sendreceive"),
    /** Local changes go out; remote changes are not applied. */
    SEND_ONLY("sendonly"),
    /** Remote changes come in; local changes stay local and are flagged. */
    RECEIVE_ONLY("receiveonly"),
    /** Holds other devices' encrypted data. */
    RECEIVE_ENCRYPTED("receiveencrypted");

    private final String wire;

    FolderType(String wire) {
        this.wire = wire;
    }

    /** The name Syncthing uses ({@code sendreceive}...). */
    public String wireName() {
        return wire;
    }

    /**
     * Parses {@code sendreceive}, {@code send-receive}, {@code SEND_RECEIVE} and the legacy
     * {@code readwrite} / {@code readonly}.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static FolderType parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (FolderType f : values()) {
            if (f.wire.equals(t)) {
                return f;
            }
        }
        return switch (t) {
            case "readwrite" -> SEND_RECEIVE;
            case "readonly" -> SEND_ONLY;
            default -> throw new IllegalArgumentException("folder type must be sendreceive, sendonly, receiveonly or "
                    + "receiveencrypted, not '" + text + "'");
        };
    }
}
