package dev.ferry.backend.emoncms;

import static dev.ferry.backend.emoncms.EmoncmsSyncTest.T0;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.addFina;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.addSeries;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.assertSameBytes;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.copy;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.fina;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.idOf;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.open;
import static dev.ferry.backend.emoncms.EmoncmsSyncTest.series;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.SyncTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interop with the official Emoncms sync module 3.2.4: the same local feeds uploaded by Ferry to
 * one remote and by the module's {@code sync_upload.php} to another leave byte-identical data and
 * meta files on both remotes, after the first upload and after an incremental one.
 */
class InteropTest {

    static EmoncmsServers.Instance local;
    static EmoncmsServers.Instance byFerry;
    static EmoncmsServers.Instance byModule;
    static OfficialSync official;

    @BeforeAll
    static void start() throws Exception {
        EmoncmsServers s = EmoncmsServers.shared();
        local = s.newInstance(Map.of("sync", s.syncModule().resolve("sync-module")));
        byFerry = s.newInstance();
        byModule = s.newInstance();
        official = OfficialSync.install(s, local, byModule);
    }

    @AfterAll
    static void stop() throws Exception {
        for (EmoncmsServers.Instance i : new EmoncmsServers.Instance[] {local, byFerry, byModule}) {
            if (i != null) {
                i.close();
            }
        }
    }

    @Test
    void remoteFilesAreByteIdenticalToTheOfficialModules() throws Exception {
        int power = fina(local, "house", "power", 10, T0, 3000);
        int solar = fina(local, "house", "solar", 60, T0 + 33, 700);
        int temp = series(local, "house", "temp", T0, 900);
        for (int id : new int[] {power, solar, temp}) {
            official.flag(id);
        }
        String out = official.uploadPass();
        try (SyncTarget from = open(local); SyncTarget to = open(byFerry)) {
            assertThat(copy(from, to, "house").failures()).isEmpty();
            assertIdentical(out);

            addFina(local, power, 10, T0, 3000, 31);
            addFina(local, solar, 60, T0 + 33, 700, 4);
            addSeries(local, temp, T0, 900, 12);
            out = official.uploadPass();
            assertThat(copy(from, to, "house").failures()).isEmpty();
            assertIdentical(out);
        }
    }

    private static void assertIdentical(String moduleOutput) throws Exception {
        for (String name : new String[] {"power", "solar"}) {
            int f = idOf(byFerry, "house", name);
            int m = idOf(byModule, "house", name);
            assertThat(m).as("the module created house/" + name + ": " + moduleOutput).isPositive();
            assertSameBytes(byFerry.phpfinaData(f), byModule.phpfinaData(m));
            assertSameBytes(byFerry.phpfinaMeta(f), byModule.phpfinaMeta(m));
        }
        int f = idOf(byFerry, "house", "temp");
        int m = idOf(byModule, "house", "temp");
        assertSameBytes(byFerry.phptimeseriesData(f), byModule.phptimeseriesData(m));
        assertThat(Files.size(byFerry.phpfinaDir().resolve(idOf(byFerry, "house", "power") + ".dat")))
                .isEqualTo(Files.size(local.phpfinaDir().resolve(idOf(local, "house", "power") + ".dat")));
    }

    /** The official module on an instance: its scripts pointed at the instance, connected to a remote. */
    static final class OfficialSync {
        private final EmoncmsServers.Instance local;
        private final Path script;

        private OfficialSync(EmoncmsServers.Instance local, Path script) {
            this.local = local;
            this.script = script;
        }

        static OfficialSync install(EmoncmsServers s, EmoncmsServers.Instance local, EmoncmsServers.Instance remote)
                throws Exception {
            Path scripts = local.root().resolveSibling(local.name() + "-sync");
            EmoncmsServers.deleteTree(scripts);
            EmoncmsServers.copyTree(s.syncModule(), scripts);
            // The scripts hard-code /var/www/emoncms; point them at this instance.
            Path upload = scripts.resolve("sync_upload.php");
            Files.writeString(upload, Files.readString(upload).replace("/var/www/emoncms", local.root().toString()));
            Path load = local.root().resolve("Lib/load_emoncms.php");
            EmoncmsServers.replace(load, Files.readString(load).replace("chdir(\"/var/www/emoncms\")",
                    "chdir(\"" + local.root() + "\")"));
            var r = local.post("sync/remote-save.json", Map.of("host", remote.baseUrl().replaceAll("/$", ""),
                    "username", EmoncmsServers.Instance.USER, "password", EmoncmsServers.Instance.PASSWORD));
            assertThat(r.toString()).as("sync/remote-save").contains("true");
            return new OfficialSync(local, upload);
        }

        void flag(int localId) throws Exception {
            var r = local.get("sync/upload.json", Map.of("localid", String.valueOf(localId), "upload", "1"));
            assertThat(r.toString()).as("sync/upload flag").doesNotContain("false");
        }

        /** One pass of {@code php sync_upload.php sel}: uploads until nothing is left, then exits. */
        String uploadPass() throws Exception {
            return local.php(script, "sel");
        }
    }
}
