package dev.ferry.core;

/**
 * What proves that a file deleted at one path and new at another is the same file moved, so the
 * move is repeated on the other side instead of a delete and a copy (rclone's
 * {@code --track-renames-strategy}).
 */
public enum RenameEvidence {
    /**
     * The same size and a hash both sides know, or, where no common hash is listed, equal
     * content by the targets' hashers (the default: a wrong guess would leave two different
     * files under one name).
     */
    HASH,
    /**
     * The same size and exact modification time suffice (cheaper; the user accepts that two
     * different files of one size written in the same instant are taken for one).
     */
    MODTIME
}
