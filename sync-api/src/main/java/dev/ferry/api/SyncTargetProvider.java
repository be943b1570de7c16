package dev.ferry.api;

import java.io.IOException;
import java.util.List;

/**
 * Makes targets for one URI scheme. Found by {@link java.util.ServiceLoader}: a backend lists its
 * providers in {@code META-INF/services/dev.ferry.api.SyncTargetProvider}.
 */
public interface SyncTargetProvider {

    /** The URI scheme served, lowercase ({@code file}, {@code ftp}, {@code s3}...). */
    String scheme();

    /** One line for {@code ferry backends}. */
    String description();

    /** The options understood, for help and redaction. */
    default List<TargetOption> options() {
        return List.of();
    }

    /**
     * Opens a target. Should not contact a server beyond what is needed to fail early on bad
     * credentials or a missing bucket.
     *
     * @throws InvalidTargetException if the location or an option is wrong for this scheme
     */
    SyncTarget open(TargetSpec spec) throws IOException;
}
