/** The {@code vfs:} backend: one target over any Apache Commons VFS location. */
package dev.ferry.backend.vfs;
