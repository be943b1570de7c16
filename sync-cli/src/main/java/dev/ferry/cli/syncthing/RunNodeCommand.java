package dev.ferry.cli.syncthing;

import dev.ferry.backend.syncthing.SyncthingProcess;
import dev.ferry.backend.syncthing.SystemStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ferry syncthing run --home DIR --gui 127.0.0.1:PORT --listen tcp://127.0.0.1:PORT}: a
 * managed node in the foreground until interrupted.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a managed Syncthing node in the foreground "
        + "(relays, discovery, NAT, usage reports and upgrades off); prints its device ID and addresses. Ctrl-C stops it.")
final class RunNodeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--home", required = true, paramLabel = "DIR", description = "Keys, config and database (created if new).")
    Path home;

    @Option(names = "--gui", required = true, paramLabel = "HOST:PORT", description = "Where the GUI/REST API listens.")
    String gui;

    @Option(names = "--listen", paramLabel = "URL", description = "Where peers connect, e.g. tcp://127.0.0.1:22000 "
            + "(repeatable; used when the home is new).")
    List<String> listen = new ArrayList<>();

    @Option(names = "--apikey", paramLabel = "KEY", description = "The API key to set (default: the one in the home, "
            + "or a new random one).")
    String apiKey;

    @Option(names = "--https", description = "Serve the GUI over https.")
    boolean https;

    @Option(names = "--name", description = "The node's own device name.")
    String name;

    @Option(names = "--show-apikey", description = "Print the API key too (it is a secret).")
    boolean showApiKey;

    @Override
    public Integer call() throws Exception {
        SyncthingProcess.Builder b;
        try {
            b = SyncthingProcess.builder(home).guiAddress(gui.replaceFirst("^https?://", "")).https(https);
            if (!listen.isEmpty()) {
                b.listenAddress(listen.toArray(String[]::new));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (apiKey != null) {
            b.apiKey(apiKey);
        }
        if (name != null) {
            b.name(name);
        }
        SyncthingProcess process = b.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            process.stop();
            stopped.countDown();
        }, "ferry-syncthing-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        process.start();
        SystemStatus s = process.node().status();
        var out = Output.out(spec);
        out.println("device ID " + s.myId());
        out.println("listen    " + Output.joined(s.listen()));
        out.println("addresses " + Output.joined(s.addresses()));
        out.println("gui       " + process.guiUri());
        if (showApiKey) {
            out.println("apikey    " + process.apiKey());
        }
        out.println("home      " + process.home());
        out.flush();
        while (process.isRunning() || process.restarts() >= 0 && waitForRestart(process)) {
            Thread.sleep(500);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            stopped.await();
        }
        out.println("node stopped");
        return 0;
    }

    /** Whether the node comes back (the supervisor restarting it after exit code 3) within a few seconds. */
    private static boolean waitForRestart(SyncthingProcess p) throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            Thread.sleep(250);
            if (p.isRunning()) {
                return true;
            }
        }
        return false;
    }
}
