/**
 * The local file system backend: {@link dev.ferry.backend.local.LocalTarget}, served for the
 * {@code file} scheme by {@link dev.ferry.backend.local.LocalTargetProvider}. Depends on the JDK,
 * sync-api, backend-support and the SLF4J API. {@code LocalTarget} is a facade; each concern
 * (listing, reads, writes and their publishing, copies and moves, in-place edits) is a
 * package-private class of its own.
 */
package dev.ferry.backend.local;
