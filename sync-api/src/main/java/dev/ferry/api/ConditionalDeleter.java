package dev.ferry.api;

import java.io.IOException;

/**
 * Ability: delete a file only if it is still the version a listing showed, checked by the target
 * at the moment of deletion. Without it a two-way run looks at the file ({@link SyncTarget#stat})
 * and then deletes it, and an edit saved between the two is lost with the file; a target that
 * can check and delete as one step (a conditional request, or taking the file aside under a
 * name no one else writes before comparing it) closes that window.
 */
public interface ConditionalDeleter {
    /**
     * Deletes the file at {@code path} if what is there satisfies {@code precondition}
     * (in practice {@link WriteHints.Precondition#unchanged}); otherwise leaves it exactly as it
     * is and throws {@link PreconditionFailedException}. Nothing at {@code path} is not an error:
     * a retried delete may find its own work done.
     */
    void deleteIf(SyncPath path, WriteHints.Precondition precondition) throws IOException;
}
