package dev.ferry.backend.emoncms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FixtureSmokeTest {
    @Test
    void instanceTakesPoints() throws Exception {
        try (EmoncmsServers.Instance i = EmoncmsServers.shared().newInstance()) {
            int id = i.createFeed("house", "power", 5, 10);
            i.post(id, new long[] {1700000000, 1700000010, 1700000030}, new float[] {1f, 2f, 3f});
            assertThat(i.get("feed/getmeta.json", Map.of("id", "" + id)).path("npoints").asInt()).isEqualTo(4);
            assertThat(i.phpfinaData(id)).hasSize(16);
        }
    }
}
