package dev.ferry.backend.syncthing;

/**
 * The {@code syncthings} scheme: like {@code syncthing}, with the GUI over https; pin its
 * certificate with the {@code cert} option (or trust a {@code ca}).
 */
public final class SyncthingsTargetProvider extends SyncthingProviderBase {

    /** For {@link java.util.ServiceLoader}. */
    public SyncthingsTargetProvider() {
        super("syncthings", true);
    }

    @Override
    public String description() {
        return "a folder of a Syncthing node on this machine (GUI over https, certificate pinned with cert=)";
    }
}
