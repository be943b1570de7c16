package dev.ferry.examples;

import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.core.SyncJob;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The photobooth: every new photo goes to each remote the moment it is taken, and a regular
 * sync every 5 minutes repairs whatever an outage left behind. A dead remote holds back no other:
 * each has its own schedule and backoff.
 *
 * <p>{@code Photobooth PHOTOS REMOTE1 REMOTE2 [SHOTS]} takes SHOTS pictures (default 3; a few
 * random bytes stand in for the camera), pushing each at once. REMOTE is any location Ferry
 * opens: a folder on a USB disk, {@code ftp://booth@webspace.example/photos?password=…},
 * {@code s3://bucket/booth}, {@code nextcloud://cloud.example/booth/Photos}.
 */
public final class Photobooth implements AutoCloseable {

    private final Path photos;
    private final List<SyncTarget> opened = new ArrayList<>();
    private final SyncJob job;

    /**
     * Opens the booth's folder and its remotes (name → location) and starts the regular sync.
     *
     * @param every how often the regular sync runs (5 minutes in the booth)
     */
    public Photobooth(Path photos, Map<String, String> remotes, Duration every, SyncJob.Listener listener)
            throws IOException {
        this.photos = photos;
        Files.createDirectories(photos);
        SyncTargets targets = SyncTargets.load();
        try {
            SyncJob.Builder b = SyncJob.builder(keep(targets.open(photos.toString())))
                    .options(SyncOptions.builder().mode(SyncMode.COPY).build()) // never delete a guest's photo
                    .every(every)
                    .listener(listener);
            for (Map.Entry<String, String> r : remotes.entrySet()) {
                b.destination(r.getKey(), keep(targets.open(r.getValue())));
            }
            job = b.build();
            job.start();
        } catch (IOException | RuntimeException e) {
            closeTargets();
            throw e;
        }
    }

    private SyncTarget keep(SyncTarget t) {
        opened.add(t);
        return t;
    }

    /**
     * Takes picture {@code n} and pushes it to every remote at once, without scanning anything.
     * A remote that is down gets it from a later regular run.
     */
    public Map<String, SyncReport> shoot(int n) throws IOException {
        return job.syncNow(takePhoto(photos, n));
    }

    /** The job, for its status and to ask for a repair run now ({@link SyncJob#trigger()}). */
    public SyncJob job() {
        return job;
    }

    @Override
    public void close() throws IOException {
        try {
            job.close();
        } finally {
            closeTargets();
        }
    }

    private void closeTargets() throws IOException {
        IOException first = null;
        for (SyncTarget t : opened) {
            try {
                t.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Runs the booth. */
    public static void main(String[] args) throws IOException {
        int shots = 3;
        try {
            shots = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        } catch (NumberFormatException e) {
            shots = -1;
        }
        if (args.length < 3 || args.length > 4 || shots < 1) {
            System.err.println("usage: Photobooth PHOTOS REMOTE1 REMOTE2 [SHOTS]");
            System.err.println("  takes SHOTS pictures (default 3) into the folder PHOTOS and pushes each at once to both");
            System.err.println("  remotes (any locations ferry opens); a regular sync every 5 minutes repairs the rest");
            System.exit(2);
        }
        Map<String, String> remotes = new LinkedHashMap<>();
        remotes.put("remote-1", args[1]);
        remotes.put("remote-2", args[2]);
        SyncJob.Listener report = new SyncJob.Listener() {
            @Override
            public void runEnded(SyncJob.Status s, boolean failed) {
                System.out.println("regular sync to " + s.destination() + (failed
                        ? ": failed, retrying " + s.nextRun().orElseThrow()
                        : ": ok, " + s.lastReport().orElseThrow().filesCopied() + " copied"));
            }
        };
        try (Photobooth booth = new Photobooth(Path.of(args[0]), remotes, Duration.ofMinutes(5), report)) {
            for (int i = 1; i <= shots; i++) {
                int n = i;
                booth.shoot(n).forEach((remote, r) -> System.out.println(photoName(n) + " -> " + remote + ": "
                        + (r.succeeded() ? "uploaded" : "will be retried by the regular sync: " + r.failures())));
            }
        }
    }

    static String photoName(int n) {
        return String.format("IMG_%04d.jpg", n);
    }

    /** Stands in for the camera: writes a picture into the booth's folder. */
    static SyncPath takePhoto(Path photos, int n) throws IOException {
        String day = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd"));
        SyncPath path = SyncPath.of(day, photoName(n));
        Path file = photos.resolve(path.toString());
        Files.createDirectories(file.getParent());
        byte[] picture = new byte[64 * 1024];
        new Random(n).nextBytes(picture);
        Files.write(file, picture);
        return path;
    }
}
