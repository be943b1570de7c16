package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.SyncJob;
import dev.ferry.core.SyncOptions;
import dev.ferry.core.SyncTargets;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page in headless Chromium (Debian's chromium and chromium-driver): it lists the jobs,
 * "Sync now" starts a run whose progress bar moves, an error shows. Screenshots at desktop and
 * phone width are kept in target/screenshots.
 */
class BrowserPageTest {

    @TempDir
    Path dir;

    @Test
    void thePageListsJobsRunsOneWithAMovingBarAndShowsAnError() throws Exception {
        Assumptions.assumeTrue(WebDriver.available(), "skipped: needs /usr/bin/chromium and /usr/bin/chromedriver "
                + "(apt-get install chromium chromium-driver)");
        SyncTargets targets = SyncTargets.load();
        Path src = Files.createDirectories(dir.resolve("photos"));
        byte[] data = new byte[1024 * 1024];
        new Random(1).nextBytes(data);
        for (int i = 0; i < 4; i++) {
            Files.write(src.resolve("photo-" + i + ".jpg"), data);
        }
        Path camera = Files.createDirectories(dir.resolve("camera")); // unplugged after the job is made
        SyncOptions slow = SyncOptions.builder().bandwidthLimit(1024 * 1024).build();
        Path screenshots = Path.of("target", "screenshots");
        try (FerryServer server = FerryServer.builder().address(new InetSocketAddress("127.0.0.1", 0))
                .tokenFile(dir.resolve("serve.token"))
                .job("photos", SyncJob.builder(targets.open(src.toString()))
                        .destination("backup", targets.open(dir.resolve("backup").toString())).options(slow),
                        new JobSummary(src.toString(), Map.of("backup", dir.resolve("backup").toString()), "copy",
                                Optional.of(Duration.ofMinutes(5)), true, List.of()))
                .job("usb", SyncJob.builder(targets.open(camera.toString()))
                        .destination("stick", targets.open(dir.resolve("stick").toString())))
                .build().start();
                WebDriver browser = new WebDriver(Files.createDirectories(dir.resolve("profile")))) {
            browser.size(1280, 800);
            browser.open(server.url() + "/#token=" + server.token().value());
            await(browser, "the jobs table", "return document.querySelectorAll('tr[data-job]').length === 2");
            assertThat(browser.script("return document.querySelector('#jobs tbody').innerText")).asString()
                    .contains("photos", "backup", "usb", "stick", "idle");
            await(browser, "the event stream", "return document.getElementById('live').textContent === 'live'");
            assertThat(browser.script("return location.hash")).isEqualTo(""); // the token left the address bar
            assertThat(browser.script("return document.getElementById('token-form').offsetParent === null"))
                    .as("no token prompt once the token came with the link").isEqualTo(true);

            browser.click("tr[data-job='photos'] button.sync-now");
            List<Double> seen = new ArrayList<>();
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < end) {
                Object p = browser.script("var b = document.querySelector(\"tr[data-job='photos'] .bar\");"
                        + " return b && b.dataset.percent ? parseFloat(b.dataset.percent) : null");
                if (p instanceof Number n) {
                    double v = n.doubleValue();
                    if (seen.isEmpty() || v != seen.get(seen.size() - 1)) {
                        seen.add(v);
                    }
                    if (seen.size() == 3) {
                        browser.screenshot(screenshots.resolve("page-desktop-running.png"));
                    }
                }
                if (seen.stream().filter(v -> v > 0 && v < 100).count() >= 2) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(seen.stream().filter(v -> v > 0 && v < 100).toList()).as("bar values " + seen).hasSizeGreaterThanOrEqualTo(2);
            assertThat(seen).isSorted();
            assertThat(browser.script("return document.querySelector(\"tr[data-job='photos'] .state\").textContent"))
                    .isEqualTo("running");

            Files.delete(camera);
            browser.click("tr[data-job='usb'] button.sync-now");
            await(browser, "the error", "var e = document.querySelector(\"tr[data-job='usb'] .error\");"
                    + " return !!e && e.textContent.length > 0");
            String error = (String) browser.script("return document.querySelector(\"tr[data-job='usb'] .error\").textContent");
            assertThat(error).isNotBlank();
            assertThat(browser.script("return document.querySelector(\"tr[data-job='usb'] .state\").textContent"))
                    .isEqualTo("backing-off");
            await(browser, "the photos run to end", "return document.querySelector(\"tr[data-job='photos'] .state\")"
                    + ".textContent === 'idle'");
            browser.screenshot(screenshots.resolve("page-desktop.png"));
            browser.size(390, 844);
            Thread.sleep(300);
            assertThat(((Number) browser.script("return document.documentElement.scrollWidth")).intValue())
                    .as("no sideways scrolling on a phone").isLessThanOrEqualTo(390);
            browser.screenshot(screenshots.resolve("page-phone.png"));
        }
        assertThat(screenshots.resolve("page-phone.png")).isNotEmptyFile();
    }

    private static void await(WebDriver browser, String what, String js) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Boolean.TRUE.equals(browser.script(js))) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
