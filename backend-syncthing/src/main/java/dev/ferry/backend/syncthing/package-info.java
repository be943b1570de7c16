/**
 * Syncthing: {@link dev.ferry.backend.syncthing.SyncthingNode} (a node's admin API over REST),
 * {@link dev.ferry.backend.syncthing.SyncthingProcess} (a node this program runs), and the
 * {@code syncthing://} / {@code syncthings://} targets ({@link dev.ferry.backend.syncthing.SyncthingTarget}).
 */
package dev.ferry.backend.syncthing;
