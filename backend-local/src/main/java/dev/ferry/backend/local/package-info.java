/**
 * The local file system backend: {@link dev.ferry.backend.local.LocalTarget}, served for the
 * {@code file} scheme by {@link dev.ferry.backend.local.LocalTargetProvider}. Depends on the JDK
 * and sync-api only.
 */
package dev.ferry.backend.local;
