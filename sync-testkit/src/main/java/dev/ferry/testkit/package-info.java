/**
 * Tests every backend runs: {@link dev.ferry.testkit.SyncTargetContract} checks one
 * {@link dev.ferry.api.SyncTarget} against the SPI's promises, in the spirit of rclone's fstests.
 * {@link dev.ferry.testkit.engine.EngineRoundTripContract} runs the engine local → target → local and
 * checks the copy comes back identical. {@link dev.ferry.testkit.TestContent} and
 * {@link dev.ferry.testkit.Listings} are the helpers both use.
 */
package dev.ferry.testkit;
