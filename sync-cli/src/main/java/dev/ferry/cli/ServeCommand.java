package dev.ferry.cli;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.serve.FerryServer;
import dev.ferry.serve.ServeConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ferry serve}: runs every [job NAME] of the config file and serves the API and the page. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run every [job NAME] of the config file and serve their status and controls over HTTP "
                + "(API, event stream, /metrics, a web page at /). SIGTERM stops it cleanly.",
            "Every POST needs the token (Authorization: Bearer), generated on first start into --token-file (0600)."})
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    FerryCommand parent;

    @Mixin
    CommonOptions common;

    @Option(names = "--addr", paramLabel = "HOST:PORT", description = "Where to listen (default: [settings serve] addr, "
            + "else 127.0.0.1:5572). Not loopback: TLS required (tls-keystore).")
    String addr;

    @Option(names = "--token-file", paramLabel = "FILE", description = "The API token's file: read if it exists, "
            + "else created 0600 (default: serve.token beside the config file).")
    Path tokenFile;

    @Override
    public Integer call() throws Exception {
        CliEnv env = parent.env();
        Path config = PairRunCommand.configFile(env, common.config);
        FerryServer server;
        try {
            server = ServeConfig.load(config, addr, tokenFile, Targets.providers(), env.getenv()).build();
        } catch (InvalidTargetException | IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        } catch (IOException e) {
            throw CliException.fatal("cannot start: " + e.getMessage(), e);
        }
        try {
            server.start();
        } catch (IllegalStateException e) {
            server.close();
            throw CliException.usage(e.getMessage());
        } catch (IOException e) {
            throw CliException.fatal("cannot listen on " + (addr == null ? "the configured address" : addr) + ": "
                    + e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "ferry-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        env.err().println("ferry serve: " + server.jobNames().size() + " job(s) " + server.jobNames() + ", listening on "
                + server.url());
        if (server.token().generated()) {
            // Shown this once; afterwards it is in the file only.
            env.err().println("ferry serve: new API token written to " + server.token().file() + " (0600)");
            env.err().println("ferry serve: open " + server.url() + "/#token=" + server.token().value());
        }
        env.err().flush();
        stopped.await();
        return ExitCode.OK.code();
    }
}
