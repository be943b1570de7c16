package dev.ferry.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.Sync;
import dev.ferry.core.SyncMode;
import dev.ferry.core.SyncOptions;
import dev.ferry.testkit.SyntheticTarget;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CI smoke test of the bench's --scale: the probe's steps on 1,000 synthetic entries (about a second). */
class ScaleProbeTest {

    @TempDir
    Path state;

    private static Map<String, String> fields(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : line.split(" ")) {
            String[] p = kv.split("=", 2);
            m.put(p[0], p[1]);
        }
        return m;
    }

    @Test
    void plansEveryEntryIntoAnEmptyTargetAndFindsAnEqualTreeUnchanged() throws Exception {
        SyncOptions options = SyncOptions.builder().mode(SyncMode.COPY).stateDirectory(state).build();
        Map<String, String> plan = fields(ScaleProbe.measure(
                Sync.between(new SyntheticTarget(1_000, 1, true), new SyntheticTarget(0, 1, true), options), "plan"));
        // 1,000 copies and 10 + 1 directories to make.
        assertThat(plan).containsEntry("step", "plan").containsEntry("actions", "1011").containsEntry("failures", "0");
        assertThat(Long.parseLong(plan.get("peakBytes"))).isPositive();

        Sync equal = Sync.between(new SyntheticTarget(1_000, 1, true), new SyntheticTarget(1_000, 1, false), options);
        Map<String, String> first = fields(ScaleProbe.measure(equal, "run"));
        Map<String, String> again = fields(ScaleProbe.measure(equal, "run"));
        assertThat(first).containsEntry("actions", "0").containsEntry("unchanged", "1000");
        assertThat(again).containsEntry("actions", "0").containsEntry("unchanged", "1000").containsEntry("failures", "0");
        assertThat(state).isDirectoryRecursivelyContaining(p -> p.getFileName().toString().endsWith(".copies"));
    }
}
