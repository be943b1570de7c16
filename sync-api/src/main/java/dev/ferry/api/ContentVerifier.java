package dev.ferry.api;

import java.io.IOException;
import java.io.InputStream;

/**
 * Ability: tell whether a stored file holds given content, for a target that can prove it
 * without a hash in common and without handing its own content out (an encrypting wrapper
 * encrypts the other side's content the way the stored file was encrypted and compares the
 * ciphertexts, by the store's hash where it has one: rclone's {@code cryptcheck}). The engine
 * uses it when asked to compare by content and the two targets share no hash.
 */
public interface ContentVerifier {
    /**
     * Whether the file {@code stored} (an entry of this target) holds exactly {@code content}.
     * Reads {@code content} as far as it needs; does not close it.
     */
    boolean holds(Entry stored, InputStream content) throws IOException;
}
