package dev.ferry.serve;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The few W3C WebDriver calls the browser test needs, sent as JSON to a chromedriver this test
 * starts (and stops, by its own process handle), driving Debian's Chromium headless.
 */
final class WebDriver implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

    private final Process driver;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String session;

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    WebDriver(Path profile) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(profile.resolveSibling("chromedriver.log").toFile()).start();
        base = "http://127.0.0.1:" + port;
        String s = null;
        try {
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                try {
                    if (call("GET", "/status", null).toString().contains("ready=true")) {
                        break;
                    }
                } catch (IOException e) {
                    // not up yet
                }
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("chromedriver did not start");
                }
                Thread.sleep(100);
            }
            Map<String, Object> caps = Map.of("capabilities", Map.of("alwaysMatch", Map.of("browserName", "chrome",
                    "goog:chromeOptions", Map.of("binary", CHROMIUM.toString(), "args", List.of("--headless",
                            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                            "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--user-data-dir=" + profile)))));
            @SuppressWarnings("unchecked")
            Map<String, Object> value = (Map<String, Object>) call("POST", "/session", caps);
            s = (String) value.get("sessionId");
        } catch (Exception e) {
            driver.destroy();
            throw e;
        }
        session = s;
    }

    void open(String url) throws Exception {
        call("POST", "/session/" + session + "/url", Map.of("url", url));
    }

    void size(int width, int height) throws Exception {
        call("POST", "/session/" + session + "/window/rect", Map.of("width", width, "height", height));
    }

    Object script(String js) throws Exception {
        return call("POST", "/session/" + session + "/execute/sync", Map.of("script", js, "args", List.of()));
    }

    @SuppressWarnings("unchecked")
    void click(String css) throws Exception {
        Map<String, Object> el = (Map<String, Object>) call("POST", "/session/" + session + "/element",
                Map.of("using", "css selector", "value", css));
        call("POST", "/session/" + session + "/element/" + el.get(ELEMENT) + "/click", Map.of());
    }

    void screenshot(Path file) throws Exception {
        String b64 = (String) call("GET", "/session/" + session + "/screenshot", null);
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(b64));
    }

    @SuppressWarnings("unchecked")
    private Object call(String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        Object value = ((Map<String, Object>) Json.parse(r.body())).get("value");
        if (r.statusCode() >= 400) {
            throw new IOException("webdriver " + method + " " + path + ": " + r.statusCode() + " " + value);
        }
        return value;
    }

    @Override
    public void close() {
        try {
            call("DELETE", "/session/" + session, null);
        } catch (Exception ignored) {
            // the driver goes anyway
        }
        driver.destroy();
        try {
            if (!driver.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
