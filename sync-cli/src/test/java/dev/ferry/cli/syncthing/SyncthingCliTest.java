package dev.ferry.cli.syncthing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.backend.syncthing.DeviceConfig;
import dev.ferry.backend.syncthing.SyncthingProcess;
import dev.ferry.cli.Main;
import dev.ferry.testkit.TestSecrets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** {@code ferry syncthing ...} against two live nodes. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncthingCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path root;
    private static SyncthingProcess a;
    private static SyncthingProcess b;
    private static final Map<String, String> ENV = new HashMap<>();
    private static final String WRONG_KEY = TestSecrets.secret("wrong-key");
    private static final String RUN_KEY = TestSecrets.secret("run-key");

    record Result(int code, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, "syncthing"))),
                "the syncthing program is not installed (apt-get install syncthing)");
        root = Files.createTempDirectory("ferry-cli-syncthing-");
        a = node("a").start();
        b = node("b").start();
        SyncthingCommand.env = ENV::get;
        SyncthingCommand.terminal = () -> false;
    }

    private static SyncthingProcess node(String name) {
        return SyncthingProcess.builder(root.resolve(name)).apiKey(TestSecrets.secret("syncthing-" + name))
                .guiAddress("127.0.0.1:" + freePort())
                .listenAddress("tcp://127.0.0.1:" + freePort()).name(name).reconnectIntervalS(2).build();
    }

    @AfterAll
    static void stop() throws IOException {
        SyncthingCommand.env = System::getenv;
        for (SyncthingProcess p : new SyncthingProcess[] {a, b}) {
            if (p != null) {
                p.stop();
            }
        }
        if (root != null) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Result ferry(String... args) {
        return ferry(new ByteArrayOutputStream(), args);
    }

    /** Runs {@code ferry args}; {@code out} can be read while it runs. */
    private static Result ferry(ByteArrayOutputStream out, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                ENV::get);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code ferry syncthing SUB... --gui A --apikey KEY}. */
    private static Result onA(String... args) {
        List<String> all = new ArrayList<>(List.of("syncthing"));
        all.addAll(List.of(args));
        all.addAll(List.of("--gui", a.guiUri().toString(), "--apikey", a.apiKey()));
        return ferry(all.toArray(String[]::new));
    }

    @Test
    @Order(1)
    void statusJsonHasIdVersionAndListen() throws Exception {
        Result r = onA("status", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.path("myID").asText()).isEqualTo(a.deviceId().value());
        assertThat(j.path("version").asText()).startsWith("v1.");
        assertThat(j.path("listen").get(0).asText()).isEqualTo(a.listenAddresses().get(0));
        Result plain = onA("status");
        assertThat(plain.out()).contains(a.deviceId().value());
    }

    @Test
    @Order(2)
    void deviceAddListRemove() throws Exception {
        Result bad = onA("device", "add", "NOT-AN-ID", "--address", "tcp://127.0.0.1:1");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("not a device ID");
        String luhnBad = b.deviceId().value().substring(0, 62) + (b.deviceId().value().endsWith("A") ? "B" : "A");
        assertThat(onA("device", "add", luhnBad).err()).contains("check character");
        Result add = onA("device", "add", b.deviceId().value(), "--address", b.listenAddresses().get(0), "--name", "bee",
                "--introducer");
        assertThat(add.code()).as(add.err()).isZero();
        JsonNode list = onA("device", "list", "--json").json();
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("deviceID").asText()).isEqualTo(b.deviceId().value());
        assertThat(list.get(0).path("name").asText()).isEqualTo("bee");
        assertThat(list.get(0).path("introducer").asBoolean()).isTrue();
        assertThat(onA("device", "list").out()).contains("bee");
        assertThat(onA("device", "remove", b.deviceId().value()).code()).isZero();
        assertThat(onA("device", "list", "--json").json()).isEmpty();
        Result again = onA("device", "remove", b.deviceId().value());
        assertThat(again.code()).isEqualTo(4);
        assertThat(again.err()).contains("no device");
    }

    @Test
    @Order(3)
    void pendingDeviceIsAcceptedThenFolderAddedListedScannedAndRemoved() throws Exception {
        b.node().addDevice(DeviceConfig.builder(a.deviceId()).address(a.listenAddresses().get(0)).build());
        await(() -> onA("pending", "--json").json().path("devices").size() == 1);
        JsonNode pending = onA("pending", "--json").json();
        assertThat(pending.path("devices").get(0).path("deviceID").asText()).isEqualTo(b.deviceId().value());
        Result accept = onA("pending", "--accept", b.deviceId().value(), "--address", b.listenAddresses().get(0));
        assertThat(accept.code()).as(accept.err()).isZero();
        assertThat(onA("pending").out()).contains("nothing pending");

        Path dir = Files.createDirectories(root.resolve("a-docs"));
        Files.writeString(dir.resolve("x.txt"), "x");
        assertThat(onA("folder", "add", "docs", dir.toString(), "--type", "mirror").code()).isEqualTo(2);
        Result add = onA("folder", "add", "docs", dir.toString(), "--label", "Docs", "--type", "sendonly",
                "--share", b.deviceId().value());
        assertThat(add.code()).as(add.err()).isZero();
        JsonNode folders = onA("folder", "list", "--json").json();
        assertThat(folders.get(0).path("id").asText()).isEqualTo("docs");
        assertThat(folders.get(0).path("type").asText()).isEqualTo("sendonly");
        assertThat(folders.get(0).path("devices").get(0).asText()).isEqualTo(b.deviceId().value());
        Result scan = onA("scan", "docs", "--sub", "x.txt");
        assertThat(scan.code()).as(scan.err()).isZero();
        assertThat(onA("scan", "docs", "--sub", "../../etc").code()).isEqualTo(2);
        JsonNode completion = onA("completion", "docs", "--json").json();
        assertThat(completion.path("localFiles").asLong()).isEqualTo(1);
        assertThat(completion.path("devices").get(0).path("device").asText()).isEqualTo(b.deviceId().value());
        Result unknown = onA("completion", "no-such-folder");
        assertThat(unknown.code()).isEqualTo(4);
        assertThat(unknown.err()).contains("no-such-folder");
        assertThat(onA("folder", "remove", "docs").code()).isZero();
        assertThat(onA("folder", "list", "--json").json()).isEmpty();
    }

    @Test
    @Order(4)
    void optionsShowAndChange() throws Exception {
        JsonNode o = onA("options", "--nat", "on", "--json").json();
        assertThat(o.path("nat").asBoolean()).isTrue();
        assertThat(o.path("relays").asBoolean()).isFalse();
        assertThat(onA("options", "--nat", "off", "--relays", "off", "--global-discovery", "off", "--local-discovery", "off",
                "--json").json().path("nat").asBoolean()).isFalse();
        Result bad = onA("options", "--relays", "maybe");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("on or off");
    }

    @Test
    @Order(5)
    void keysComeFromTheEnvironmentOrANamedRemoteAndAreCheckedByTheNode() throws Exception {
        Result wrong = ferry("syncthing", "status", "--gui", a.guiUri().toString(), "--apikey", WRONG_KEY);
        assertThat(wrong.code()).isEqualTo(4);
        assertThat(wrong.err()).contains("API key").doesNotContain(WRONG_KEY);
        Result none = ferry("syncthing", "status", "--gui", a.guiUri().toString());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("FERRY_SYNCTHING_APIKEY");
        ENV.put("FERRY_SYNCTHING_APIKEY", a.apiKey());
        try {
            assertThat(ferry("syncthing", "status", "--json", "--gui", a.guiUri().toString()).json().path("myID").asText())
                    .isEqualTo(a.deviceId().value());
        } finally {
            ENV.remove("FERRY_SYNCTHING_APIKEY");
        }
        Path conf = root.resolve("ferry.conf");
        Files.writeString(conf, "[node-a]\nurl = syncthing://" + a.guiUri().getRawAuthority() + "/docs\napikey = " + a.apiKey() + "\n");
        Result viaRemote = ferry("syncthing", "status", "--json", "--remote", "node-a", "--config", conf.toString());
        assertThat(viaRemote.code()).as(viaRemote.err()).isZero();
        assertThat(viaRemote.json().path("myID").asText()).isEqualTo(a.deviceId().value());
        Result down = ferry("syncthing", "status", "--gui", "http://127.0.0.1:" + freePort(), "--apikey", TestSecrets.secret("k"));
        assertThat(down.code()).isEqualTo(4);
        assertThat(down.err()).contains("not answering");
    }

    @Test
    @Order(6)
    void restartThenResetAsksOffATerminalAndResetsWithYes() throws Exception {
        Instant started = a.node().status().startTime();
        Result restart = onA("restart");
        assertThat(restart.code()).as(restart.err()).isZero();
        assertThat(a.node().status().startTime()).isNotEqualTo(started);

        Path dir = Files.createDirectories(root.resolve("a-drive"));
        assertThat(onA("folder", "add", "drive", dir.toString()).code()).isZero();
        Result refused = onA("reset");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("--yes");
        assertThat(a.node().folders()).hasSize(1);
        Result reset = onA("reset", "--yes");
        assertThat(reset.code()).as(reset.err()).isZero();
        assertThat(a.node().folders()).isEmpty();
        assertThat(a.node().devices()).hasSize(1);
        assertThat(a.node().status().myId()).isEqualTo(a.deviceId());
    }

    @Test
    @Order(7)
    void runStartsANodeInTheForegroundUntilItIsShutDown() throws Exception {
        int gui = freePort();
        int listen = freePort();
        Result[] result = new Result[1];
        ByteArrayOutputStream runOut = new ByteArrayOutputStream();
        Thread runner = new Thread(() -> result[0] = ferry(runOut, "syncthing", "run", "--home",
                root.resolve("run").toString(), "--gui", "127.0.0.1:" + gui, "--listen", "tcp://127.0.0.1:" + listen,
                "--apikey", RUN_KEY));
        runner.start();
        // Shut down only once the command itself has seen the node up (it prints the device ID
        // then): a node shut down before that is a start that failed, exit 4.
        await(() -> runOut.toString(StandardCharsets.UTF_8).contains("home "));
        JsonNode status = onNode(gui, "status", "--json").json();
        assertThat(status.path("listen").get(0).asText()).isEqualTo("tcp://127.0.0.1:" + listen);
        assertThat(onNode(gui, "shutdown").code()).isZero();
        runner.join(Duration.ofSeconds(30).toMillis());
        assertThat(runner.isAlive()).isFalse();
        assertThat(result[0].code()).as(result[0].err()).isZero();
        assertThat(result[0].out()).contains("device ID " + status.path("myID").asText())
                .contains("tcp://127.0.0.1:" + listen).contains("node stopped").doesNotContain(RUN_KEY);
    }

    private static Result onNode(int gui, String... args) {
        List<String> all = new ArrayList<>(List.of("syncthing"));
        all.addAll(List.of(args));
        all.addAll(List.of("--gui", "127.0.0.1:" + gui, "--apikey", RUN_KEY));
        return ferry(all.toArray(String[]::new));
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void await(Check c) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (c.holds()) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                // not yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
