package dev.ferry.backend.emoncms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Real Emoncms 11.16.8 on loopback for the tests: the released archive from
 * {@code ../shared/servers/} unpacked once under {@code target/}, one MariaDB and one Redis per
 * test JVM (started on first use, stopped by PID when the JVM exits), and any number of Emoncms
 * instances, each with its own database, Redis prefix, data folders and {@code php -S} server.
 * Where PHP, MariaDB or Redis is missing, {@link #shared()} skips the test and says what to install.
 */
public final class EmoncmsServers {

    static final String PACKAGES = "php8.2-cli php8.2-mysql php8.2-redis php8.2-curl php8.2-mbstring php8.2-xml mariadb-server redis-server";
    static final String ARCHIVE = "emoncms-11.16.8.tar.gz";
    static final String SYNC_ARCHIVE = "emoncms-sync-3.2.4.tar.gz";
    private static final String DB_USER = "emon";
    private static final String DB_PASSWORD = "emon-db-pw";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmoncmsServers shared;
    private static String skipReason;

    private final Path work;
    private final Path dist;
    private final Path socket;
    private final int dbPort;
    private final int redisPort;
    private final List<Process> processes = new ArrayList<>();

    private EmoncmsServers(Path work) throws IOException, InterruptedException {
        this.work = work;
        this.dist = work.resolve("dist");
        unpack(serversFolder().resolve(ARCHIVE), dist);
        Path db = work.resolve("mariadb");
        this.socket = work.resolve("mysqld.sock");
        this.dbPort = freePort();
        this.redisPort = freePort();
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> user = root ? List.of("--user=root") : List.of();
        if (!Files.isDirectory(db.resolve("mysql"))) {
            List<String> install = new ArrayList<>(List.of(bin("mariadb-install-db"), "--no-defaults", "--datadir=" + db,
                    "--auth-root-authentication-method=socket", "--skip-test-db"));
            install.addAll(user);
            run(install, work.resolve("mariadb-install.log"));
        }
        List<String> mariadbd = new ArrayList<>(List.of(bin("mariadbd"), "--no-defaults", "--datadir=" + db,
                "--socket=" + socket, "--port=" + dbPort, "--bind-address=127.0.0.1", "--skip-name-resolve",
                "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=16M", "--pid-file=" + work.resolve("mariadbd.pid"),
                "--innodb-flush-log-at-trx-commit=0", "--skip-log-bin"));
        mariadbd.addAll(user);
        processes.add(start(mariadbd, work.resolve("mariadbd.log")));
        processes.add(start(List.of(bin("redis-server"), "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", work.toString()), work.resolve("redis.log")));
        waitForPort(dbPort, Duration.ofSeconds(60));
        waitForPort(redisPort, Duration.ofSeconds(20));
        sql("CREATE USER IF NOT EXISTS '" + DB_USER + "'@'127.0.0.1' IDENTIFIED BY '" + DB_PASSWORD + "';"
                + "GRANT ALL ON *.* TO '" + DB_USER + "'@'127.0.0.1';");
    }

    /** The servers of this JVM, started on first use; skips the calling test if software is missing. */
    public static synchronized EmoncmsServers shared() {
        if (skipReason != null) {
            Assumptions.abort(skipReason);
        }
        if (shared == null) {
            List<String> missing = Stream.of("php", "mariadbd", "mariadb-install-db", "mariadb", "redis-server")
                    .filter(c -> !onPath(c)).collect(Collectors.toList());
            if (!missing.isEmpty() || !Files.isRegularFile(serversFolder().resolve(ARCHIVE))) {
                skipReason = "Emoncms tests need " + (missing.isEmpty() ? "" : missing + " (apt-get install " + PACKAGES + ") and ")
                        + ARCHIVE + " in " + serversFolder() + " (../shared/servers/ from the project root)";
                Assumptions.abort(skipReason);
            }
            try {
                Path work = Path.of("target", "emoncms-servers").toAbsolutePath();
                // The database folder is kept across runs (mariadb-install-db is slow); each
                // instance's database is new, named after the JVM's PID.
                Files.createDirectories(work);
                shared = new EmoncmsServers(work);
                Runtime.getRuntime().addShutdownHook(new Thread(shared::stopAll, "emoncms-servers-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    /** {@code ../shared/servers/} from the project root, found from the module or the root. */
    static Path serversFolder() {
        String override = System.getenv("FERRY_SERVERS_DIR");
        if (override != null) {
            return Path.of(override);
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("ferry-bom/pom.xml"))) {
                return p.getParent().resolve("shared/servers");
            }
        }
        return dir.resolve("../shared/servers").normalize();
    }

    /** The official sync module's release, unpacked once. */
    public Path syncModule() throws IOException, InterruptedException {
        Path d = work.resolve("sync-dist");
        unpack(serversFolder().resolve(SYNC_ARCHIVE), d);
        return d;
    }

    /**
     * Replaces a file of an instance (its files are hard links into the shared unpacked tree:
     * writing in place would change every instance).
     */
    static void replace(Path file, String content) throws IOException {
        Files.delete(file);
        Files.writeString(file, content);
    }

    /** Starts a new Emoncms instance with one registered user. */
    public Instance newInstance() throws IOException, InterruptedException {
        return newInstance(Map.of());
    }

    /** Starts a new instance; {@code modules} are folders copied in as {@code Modules/<name>}. */
    public Instance newInstance(Map<String, Path> modules) throws IOException, InterruptedException {
        String name = "e" + ProcessHandle.current().pid() + "x" + COUNTER.incrementAndGet();
        Path root = work.resolve(name);
        deleteTree(root);
        linkTree(dist, root);
        for (Map.Entry<String, Path> m : modules.entrySet()) {
            copyTree(m.getValue(), root.resolve("Modules").resolve(m.getKey()));
        }
        Path data = work.resolve(name + "-data");
        deleteTree(data);
        Path fina = Files.createDirectories(data.resolve("phpfina"));
        Path ts = Files.createDirectories(data.resolve("phptimeseries"));
        Path log = Files.createDirectories(data.resolve("log"));
        sql("CREATE DATABASE " + name + ";");
        Files.writeString(root.resolve("settings.ini"), String.join("\n",
                "[sql]", "server = \"127.0.0.1\"", "port = " + dbPort, "database = \"" + name + "\"",
                "username = \"" + DB_USER + "\"", "password = \"" + DB_PASSWORD + "\"", "dbtest = true",
                "[redis]", "enabled = true", "host = '127.0.0.1'", "port = " + redisPort, "prefix = '" + name + "'",
                "[feed]", "engines_hidden = [0,8,10]",
                "phpfina[datadir] = '" + fina + "/'", "phptimeseries[datadir] = '" + ts + "/'",
                "[interface]", "enable_multi_user = false",
                "[log]", "enabled = true", "location = '" + log + "'", "level = 2", ""));
        Files.writeString(root.resolve("ferry-router.php"), ROUTER);
        Instance i = new Instance(this, name, root, fina, ts, freePort());
        i.start();
        i.register();
        return i;
    }

    private static final String ROUTER = String.join("\n",
            "<?php",
            "// .htaccess does not apply under php -S: existing files as they are, the rest to index.php?q=",
            "if (!isset($_SERVER['SERVER_ADDR'])) { $_SERVER['SERVER_ADDR'] = '127.0.0.1'; }",
            "$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);",
            "$file = __DIR__ . $path;",
            "if ($path !== '/' && is_file($file) && substr($file, -4) !== '.php') { return false; }",
            "$_GET['q'] = ltrim($path, '/');",
            "$_REQUEST['q'] = $_GET['q'];",
            "chdir(__DIR__);",
            "require __DIR__ . '/index.php';", "");

    /** One Emoncms instance: its URL, data folders and first user's keys. */
    public static final class Instance implements AutoCloseable {
        public static final String USER = "admin";
        /** The first user's password: it carries sync-testkit's leak marker (its keys are the server's own, 32 hex digits). */
        public static final String PASSWORD = dev.ferry.testkit.TestSecrets.secret("emoncms");
        private final EmoncmsServers servers;
        private final String name;
        private final Path root;
        private final Path phpfina;
        private final Path phptimeseries;
        private final int port;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private Process php;
        private String writeKey;
        private String readKey;

        Instance(EmoncmsServers servers, String name, Path root, Path phpfina, Path phptimeseries, int port) {
            this.servers = servers;
            this.name = name;
            this.root = root;
            this.phpfina = phpfina;
            this.phptimeseries = phptimeseries;
            this.port = port;
        }

        /** Starts (or restarts) the PHP server on the same port. */
        public synchronized void start() throws IOException, InterruptedException {
            if (php != null && php.isAlive()) {
                return;
            }
            ProcessBuilder pb = new ProcessBuilder(bin("php"), "-d", "memory_limit=512M", "-d", "post_max_size=64M",
                    "-S", "127.0.0.1:" + port, "-t", root.toString(), root.resolve("ferry-router.php").toString());
            pb.environment().put("PHP_CLI_SERVER_WORKERS", "4");
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("php.log").toFile()));
            php = pb.start();
            servers.processes.add(php);
            waitForPort(port, Duration.ofSeconds(20));
        }

        /** Stops the PHP server (an outage); the database and files stay. */
        public synchronized void stop() throws InterruptedException {
            if (php != null) {
                kill(php);
                php = null;
            }
        }

        void register() throws IOException, InterruptedException {
            // The first request creates the schema (dbtest = true).
            JsonNode reg = post("user/register.json", Map.of("username", USER, "password", PASSWORD,
                    "email", "admin@example.invalid", "timezone", "UTC"));
            if (!reg.path("success").asBoolean()) {
                throw new IOException("register failed: " + reg);
            }
            JsonNode auth = post("user/auth.json", Map.of("username", USER, "password", PASSWORD));
            writeKey = auth.path("apikey_write").asText();
            readKey = auth.path("apikey_read").asText();
            if (writeKey.length() != 32) {
                throw new IOException("auth failed: " + auth);
            }
        }

        /** Base URL with trailing slash. */
        public String baseUrl() {
            return "http://127.0.0.1:" + port + "/";
        }

        /** {@code emoncms://127.0.0.1:PORT/} */
        public String location() {
            return "emoncms://127.0.0.1:" + port + "/";
        }

        public int port() {
            return port;
        }

        public String writeKey() {
            return writeKey;
        }

        public String readKey() {
            return readKey;
        }

        public Path root() {
            return root;
        }

        public Path phpfinaDir() {
            return phpfina;
        }

        public Path phptimeseriesDir() {
            return phptimeseries;
        }

        /** Creates a feed, returns its id. */
        public int createFeed(String tag, String feedName, int engine, int interval) throws IOException, InterruptedException {
            JsonNode r = get("feed/create.json", Map.of("tag", tag, "name", feedName, "engine", String.valueOf(engine),
                    "options", "{\"interval\":" + interval + "}"));
            if (!r.path("success").asBoolean()) {
                throw new IOException("create failed: " + r);
            }
            return r.path("feedid").asInt();
        }

        /** Posts points {@code [[time, value], ...]} to a feed; NaN values go as null. */
        public void post(int feedId, long[] times, float[] values) throws IOException, InterruptedException {
            for (int from = 0; from < times.length; from += 2000) {
                StringBuilder b = new StringBuilder("[");
                for (int i = from; i < Math.min(times.length, from + 2000); i++) {
                    b.append(i > from ? "," : "").append('[').append(times[i]).append(',')
                            .append(Float.isNaN(values[i]) ? "null" : Float.toString(values[i])).append(']');
                }
                JsonNode r = post("feed/post.json?id=" + feedId, Map.of("data", b.append(']').toString()));
                if (!r.path("success").asBoolean(true) || r.isBoolean() && !r.asBoolean()) {
                    throw new IOException("post failed: " + r);
                }
            }
        }

        public JsonNode get(String path, Map<String, String> query) throws IOException, InterruptedException {
            String q = query.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path + "?apikey=" + writeKey
                    + (q.isEmpty() ? "" : "&" + q))).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        }

        JsonNode post(String path, Map<String, String> form) throws IOException, InterruptedException {
            String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            String sep = path.contains("?") ? "&" : "?";
            String url = baseUrl() + path + (writeKey == null ? "" : sep + "apikey=" + writeKey);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            try {
                return JSON.readTree(r.body());
            } catch (IOException e) {
                throw new IOException("not JSON from " + path + ": " + r.body().substring(0, Math.min(500, r.body().length())), e);
            }
        }

        /** The raw bytes of a PHPFina feed's .dat file. */
        public byte[] phpfinaData(int id) throws IOException {
            return Files.readAllBytes(phpfina.resolve(id + ".dat"));
        }

        /** The raw bytes of a PHPFina feed's .meta file. */
        public byte[] phpfinaMeta(int id) throws IOException {
            return Files.readAllBytes(phpfina.resolve(id + ".meta"));
        }

        /** The raw bytes of a PHPTimeSeries feed's .MYD file. */
        public byte[] phptimeseriesData(int id) throws IOException {
            return Files.readAllBytes(phptimeseries.resolve("feed_" + id + ".MYD"));
        }

        /** Runs a PHP script of this instance (the sync module's worker), waits for it. */
        public String php(Path script, String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(bin("php"), script.toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).directory(script.getParent().toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.MINUTES);
            return out;
        }

        public String name() {
            return name;
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }

    // --- plumbing ---

    void sql(String statements) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(bin("mariadb"), "--no-defaults", "-S", socket.toString(), "-u", "root", "-e", statements)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("mariadb: " + out);
        }
    }

    private void stopAll() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            try {
                kill(processes.get(i));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void kill(Process p) throws InterruptedException {
        // php -S with workers forks children: end them first, by PID.
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static Process start(List<String> cmd, Path log) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static void run(List<String> cmd, Path log) throws IOException, InterruptedException {
        Process p = start(cmd, log);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(cmd.get(0) + " failed, see " + log);
        }
    }

    static void unpack(Path archive, Path into) throws IOException, InterruptedException {
        if (Files.isRegularFile(into.resolve(".unpacked"))) {
            return;
        }
        deleteTree(into);
        Files.createDirectories(into);
        run(List.of("tar", "xzf", archive.toString(), "-C", into.toString(), "--strip-components=1"), into.getParent().resolve("tar.log"));
        Files.writeString(into.resolve(".unpacked"), archive.toString());
    }

    /** Every file hard-linked (cheap), every folder made: PHP's __DIR__ is then the instance's. */
    private static void linkTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else if (!p.getFileName().toString().equals(".unpacked")) {
                    Files.createLink(t, p);
                }
            }
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(x);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void waitForPort(int port, Duration max) throws IOException, InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > end) {
                    throw new IOException("nothing listens on 127.0.0.1:" + port + " after " + max, e);
                }
                Thread.sleep(100);
            }
        }
    }

    private static boolean onPath(String command) {
        return !bin(command).equals(command);
    }

    /** The command's full path (mariadbd lives in /usr/sbin, often not on a user's PATH), else the name. */
    static String bin(String command) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return Path.of(dir, command).toString();
            }
        }
        return command;
    }
}
