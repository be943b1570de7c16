package dev.ferry.api;

import java.io.IOException;
import java.util.List;

/**
 * Makes a target that wraps another: {@code crypt:LOCATION} opens LOCATION the usual way (a path,
 * a URI or a named remote) and hands it to the wrapper of scheme {@code crypt}. Found by
 * {@link java.util.ServiceLoader}: a module lists its wrappers in
 * {@code META-INF/services/dev.ferry.api.TargetWrapper}.
 *
 * <p>The spec a wrapper gets has the location {@code scheme:INNER}, INNER as written (a relative
 * path made absolute), and only the options the wrapper {@linkplain #options() declares}; every
 * other option goes to the inner location. A location's fragment, if any, is a path inside the
 * wrapped view: {@code vault:2024/june} of a remote {@code vault = crypt:…} is the wrapped
 * target's {@code 2024/june}, in the wrapper's own names ({@link #subPath}).
 */
public interface TargetWrapper {

    /** The scheme served, lowercase ({@code crypt}). */
    String scheme();

    /** One line for {@code ferry backends}. */
    String description();

    /** The options this wrapper takes (the rest go to the inner target), for help and redaction. */
    default List<TargetOption> options() {
        return List.of();
    }

    /**
     * Wraps an opened target. The wrapper owns {@code inner} from then on and closes it with
     * itself; if this throws, the caller closes {@code inner}.
     *
     * @throws InvalidTargetException if an option is wrong
     */
    SyncTarget wrap(SyncTarget inner, TargetSpec spec) throws IOException;

    /** The inner location of a wrapper's spec: what follows {@code scheme:}. */
    static String innerLocation(TargetSpec spec) {
        return spec.location().getSchemeSpecificPart();
    }

    /** The path inside the wrapped view a spec points at; the root if none. */
    static SyncPath subPath(TargetSpec spec) {
        String fragment = spec.location().getFragment();
        return fragment == null || fragment.isEmpty() ? SyncPath.ROOT : SyncPath.of(fragment);
    }
}
