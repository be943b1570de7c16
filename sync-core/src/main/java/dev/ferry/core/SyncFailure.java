package dev.ferry.core;

/**
 * One thing that went wrong in a run, with the path it concerns.
 *
 * @param path the relative path, or {@code ""} for the root
 * @param stage what the engine was doing
 * @param message what happened, naming the file and server but never a credential
 * @param retryable whether the error was transient (retrying later may succeed)
 */
public record SyncFailure(String path, Stage stage, String message, boolean retryable) {

    /** What the engine was doing when it failed. */
    public enum Stage {
        /** Listing a directory or a file that a listing refused (a hostile name). */
        LIST,
        /** Computing or comparing a hash. */
        COMPARE,
        /** Creating a directory. */
        MAKE_DIRECTORY,
        /** Copying a file. */
        COPY,
        /** Setting a modification time. */
        SET_MOD_TIME,
        /** Deleting a file or directory. */
        DELETE
    }

    @Override
    public String toString() {
        return stage + " " + (path.isEmpty() ? "/" : path) + ": " + message;
    }
}
