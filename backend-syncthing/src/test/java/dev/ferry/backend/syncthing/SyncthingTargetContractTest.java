package dev.ferry.backend.syncthing;

import dev.ferry.api.SyncTarget;
import dev.ferry.api.TargetSpec;
import dev.ferry.testkit.SyncTargetContract;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared contract on syncthing://, one live node, a fresh folder per test. */
class SyncthingTargetContractTest extends SyncTargetContract {

    private static final AtomicInteger FOLDERS = new AtomicInteger();
    private static TestNodes nodes;
    private static SyncthingProcess node;

    @BeforeAll
    static void start() throws Exception {
        nodes = new TestNodes();
        node = nodes.start("contract");
    }

    @AfterAll
    static void stop() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Override
    protected SyncTarget newTarget() throws Exception {
        String id = "contract-" + FOLDERS.incrementAndGet();
        Path dir = Files.createDirectories(nodes.root.resolve(id));
        node.node().addFolder(FolderConfig.builder(id, dir).fsWatcher(false).rescanIntervalS(0).build());
        URI uri = URI.create("syncthing://" + node.guiUri().getRawAuthority() + "/" + id);
        return new SyncthingTargetProvider().open(new TargetSpec(uri, Map.of("apikey", node.apiKey())));
    }
}
