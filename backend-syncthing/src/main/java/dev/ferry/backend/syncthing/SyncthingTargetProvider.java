package dev.ferry.backend.syncthing;

/**
 * The {@code syncthing} scheme: {@code syncthing://127.0.0.1:8384/FOLDER_ID?apikey=KEY}, a folder
 * of a Syncthing node running on this machine, its GUI over plain http.
 */
public final class SyncthingTargetProvider extends SyncthingProviderBase {

    /** For {@link java.util.ServiceLoader}. */
    public SyncthingTargetProvider() {
        super("syncthing", false);
    }

    @Override
    public String description() {
        return "a folder of a Syncthing node on this machine (GUI over http): files written here, exactly those "
                + "scanned, optionally waits until every peer has them";
    }
}
