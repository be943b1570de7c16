package dev.ferry.examples;

import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.SyncTargets;
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
import java.util.Map;

/**
 * The photobooth: every new photo goes to two remotes the moment it is taken, and a regular
 * sync every 5 minutes repairs whatever an outage left behind.
 *
 * <p>{@code Photobooth PHOTOS REMOTE1 REMOTE2 [SHOTS]} takes SHOTS pictures (default 3; here a
 * few random bytes stand in for the camera), pushing each at once.
 */
public final class Photobooth {

    private Photobooth() {}

    /** Runs the booth. */
    public static void main(String[] args) throws IOException, InterruptedException {
        Path photos = Path.of(args[0]);
        int shots = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        SyncTargets targets = SyncTargets.load();
        try (SyncTarget booth = targets.open(photos.toString());
                SyncTarget first = targets.open(args[1]);
                SyncTarget second = targets.open(args[2]);
                SyncJob job = SyncJob.builder(booth)
                        .destination("remote-1", first)
                        .destination("remote-2", second)
                        .options(SyncOptions.builder().mode(SyncMode.COPY).build()) // never delete a guest's photo
                        .every(Duration.ofMinutes(5))
                        .listener(new SyncJob.Listener() {
                            @Override
                            public void runEnded(SyncJob.Status s, boolean failed) {
                                System.out.println("regular sync to " + s.destination() + (failed
                                        ? ": failed, retrying " + s.nextRun().orElseThrow()
                                        : ": ok, " + s.lastReport().orElseThrow().filesCopied() + " copied"));
                            }
                        })
                        .build()) {
            job.start();
            for (int i = 1; i <= shots; i++) {
                SyncPath photo = takePhoto(photos, i);
                Map<String, SyncReport> pushed = job.syncNow(photo); // the moment it exists
                pushed.forEach((remote, r) -> System.out.println(photo + " -> " + remote + ": "
                        + (r.succeeded() ? "uploaded" : "will be retried by the regular sync: " + r.failures())));
            }
        }
    }

    /** Stands in for the camera: writes a picture into the booth's folder. */
    static SyncPath takePhoto(Path photos, int n) throws IOException {
        String day = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd"));
        SyncPath path = SyncPath.of(day, String.format("IMG_%04d.jpg", n));
        Path file = photos.resolve(path.toString());
        Files.createDirectories(file.getParent());
        byte[] picture = new byte[64 * 1024];
        new java.util.Random(n).nextBytes(picture);
        Files.write(file, picture);
        return path;
    }
}
