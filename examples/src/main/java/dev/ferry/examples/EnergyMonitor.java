package dev.ferry.examples;

import dev.ferry.api.SyncTarget;
import dev.ferry.core.Filter;
import dev.ferry.core.SyncJob;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncTargets;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The energy monitor: a local Emoncms (an emonPi or emonBase) keeps recording its feeds, and
 * every 5 minutes only the new samples go to a remote Emoncms through {@code feed/sync}. When the
 * internet is down the run fails, the job backs off and tries again; the local side keeps
 * recording, and the next good run sends everything the remote lacks, from the remote's own
 * point count: no gap, no duplicate. The remote's history is never rewritten: a feed whose
 * interval or start time differ is reported, not overwritten.
 *
 * <p>{@code EnergyMonitor LOCAL REMOTE [INCLUDE]}, for example {@code EnergyMonitor
 * "emoncms://localhost/emoncms?apikey=…" "emoncmss://emoncms.example/?user=me&password=env:EMON_PW" 'house/*'}.
 */
public final class EnergyMonitor implements AutoCloseable {

    private final SyncTarget local;
    private final SyncTarget remote;
    private final SyncJob job;

    /**
     * Opens both sides and starts uploading.
     *
     * @param include which feeds go ({@code TAG/NAME} globs, such as {@code house/*}); null for all
     * @param every how often (5 minutes on an emonPi, as the official sync module)
     * @param backoff the first wait after a failed run (doubling up to 10 minutes)
     */
    public EnergyMonitor(String local, Map<String, String> localOptions, String remote, Map<String, String> remoteOptions,
            String include, Duration every, Duration backoff, SyncJob.Listener listener) throws IOException {
        SyncTargets targets = SyncTargets.load();
        this.local = targets.open(local, localOptions);
        try {
            this.remote = targets.open(remote, remoteOptions);
        } catch (IOException | RuntimeException e) {
            this.local.close();
            throw e;
        }
        Filter.Builder filter = Filter.builder();
        if (include != null) {
            filter.include(include);
        }
        // Copy, never mirror: a feed that exists only remotely stays. Feeds always grow by appends.
        SyncOptions options = SyncOptions.builder().mode(SyncMode.COPY).filter(filter.build()).build();
        this.job = SyncJob.builder(this.local).destination("remote", this.remote).options(options)
                .every(every).backoff(backoff, Duration.ofMinutes(10)).listener(listener).build();
        job.start();
    }

    /** The upload job, for its status per run and to upload now ({@link SyncJob#trigger()}). */
    public SyncJob job() {
        return job;
    }

    @Override
    public void close() throws IOException {
        try {
            job.close();
        } finally {
            try {
                local.close();
            } finally {
                remote.close();
            }
        }
    }

    /** Runs the monitor until interrupted. */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: EnergyMonitor LOCAL REMOTE [INCLUDE]");
            System.exit(2);
        }
        SyncJob.Listener report = new SyncJob.Listener() {
            @Override
            public void runEnded(SyncJob.Status s, boolean failed) {
                System.out.println(failed ? "upload failed (" + s.lastError().orElse("?") + "), retrying " + s.nextRun().orElseThrow()
                        : "upload ok: " + s.lastReport().orElseThrow().bytesCopied() + " bytes of new samples");
            }
        };
        try (EnergyMonitor m = new EnergyMonitor(args[0], Map.of(), args[1], Map.of(), args.length > 2 ? args[2] : null,
                Duration.ofMinutes(5), Duration.ofSeconds(60), report)) {
            new CountDownLatch(1).await();
        }
    }
}
