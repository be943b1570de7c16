/** Emoncms feeds as a sync target: {@code emoncms://} and {@code emoncmss://}. */
package dev.ferry.backend.emoncms;
