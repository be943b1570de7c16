package dev.ferry.cli;

import dev.ferry.serve.RcClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ferry rc ...}: talks to a running {@code ferry serve}, as rclone's rc does. */
@Command(name = "rc", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Control a running 'ferry serve': list jobs, run, push one file, pause, resume.",
        subcommands = {RcCommand.Jobs.class, RcCommand.Run.class, RcCommand.Push.class, RcCommand.Pause.class,
            RcCommand.Resume.class})
final class RcCommand implements Callable<Integer> {

    @ParentCommand
    FerryCommand parent;

    @Override
    public Integer call() {
        parent.env().err().println("ferry rc: missing subcommand (jobs, run, push, pause, resume)");
        return ExitCode.USAGE.code();
    }

    /** What every rc subcommand shares: where the server is and the token. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        RcCommand rc;

        @Mixin
        CommonOptions common;

        @Option(names = "--addr", paramLabel = "HOST:PORT|URL", description = "The server (default: $FERRY_RC_ADDR, "
                + "else 127.0.0.1:5572).")
        String addr;

        @Option(names = "--token-file", paramLabel = "FILE", description = "The API token (default: $FERRY_RC_TOKEN, "
                + "else serve.token beside the config file).")
        Path tokenFile;

        CliEnv env() {
            return rc.parent.env();
        }

        RcClient client() {
            String a = addr != null ? addr : env().getenv().apply("FERRY_RC_ADDR");
            if (a == null || a.isBlank()) {
                a = "127.0.0.1:5572";
            }
            URI base = URI.create(a.contains("://") ? a : "http://" + a);
            String token = env().getenv().apply("FERRY_RC_TOKEN");
            if (tokenFile != null || token == null) {
                Path f = tokenFile != null ? tokenFile
                        : PairRunCommand.configFile(env(), common.config).toAbsolutePath().resolveSibling("serve.token");
                try {
                    token = Files.readString(f, StandardCharsets.UTF_8).strip();
                } catch (NoSuchFileException e) {
                    token = null; // reads work on loopback without it; a POST then says 401
                } catch (IOException e) {
                    throw CliException.usage("cannot read token file " + f + ": " + e.getMessage());
                }
            }
            return new RcClient(base, token);
        }

        @Override
        public Integer call() {
            try {
                return call(client());
            } catch (RcClient.RcException e) {
                throw CliException.usage("ferry serve answered " + e.status() + ": " + e.getMessage()
                        + (e.status() == 401 ? " (give --token-file or FERRY_RC_TOKEN)" : ""));
            } catch (IOException e) {
                throw CliException.fatal(e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw CliException.usage(e.getMessage());
            }
        }

        abstract int call(RcClient client) throws IOException;
    }

    /** {@code ferry rc jobs}. */
    @Command(name = "jobs", mixinStandardHelpOptions = true, description = "List the jobs and their destinations' state.")
    static final class Jobs extends Sub {
        @Option(names = "--json", description = "The API's JSON as it is.")
        boolean json;

        @Override
        @SuppressWarnings("unchecked")
        int call(RcClient client) throws IOException {
            if (json) {
                env().out().println(client.jobsJson());
                return 0;
            }
            List<Map<String, Object>> jobs = client.jobs();
            env().out().printf("%-16s %-16s %-12s %-25s %s%n", "JOB", "DESTINATION", "STATE", "LAST RUN", "LAST");
            for (Map<String, Object> j : jobs) {
                for (Map<String, Object> d : (List<Map<String, Object>>) j.get("destinations")) {
                    Map<String, Object> rep = (Map<String, Object>) d.get("lastReport");
                    String last = d.get("lastError") != null ? "error: " + d.get("lastError")
                            : rep == null ? "" : rep.get("filesCopied") + " files, " + rep.get("bytesCopied") + " bytes";
                    env().out().printf("%-16s %-16s %-12s %-25s %s%n", j.get("name"), d.get("name"), d.get("state"),
                            d.get("lastRun") == null ? "never" : d.get("lastRun"), last);
                }
            }
            return 0;
        }
    }

    /** {@code ferry rc run JOB}. */
    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run a job now.")
    static final class Run extends Sub {
        @Parameters(index = "0", paramLabel = "JOB") String job;

        @Override
        int call(RcClient client) throws IOException {
            client.run(job);
            env().out().println("started " + job);
            return 0;
        }
    }

    /** {@code ferry rc push JOB PATH}. */
    @Command(name = "push", mixinStandardHelpOptions = true,
            description = "Push one file (its path relative to the job's source) to every destination now.")
    static final class Push extends Sub {
        @Parameters(index = "0", paramLabel = "JOB") String job;
        @Parameters(index = "1", paramLabel = "PATH") String path;

        @Override
        @SuppressWarnings("unchecked")
        int call(RcClient client) throws IOException {
            Map<String, Object> r = client.push(job, path);
            boolean failed = false;
            for (Map.Entry<String, Object> e : ((Map<String, Object>) r.get("reports")).entrySet()) {
                Map<String, Object> rep = (Map<String, Object>) e.getValue();
                boolean ok = Boolean.TRUE.equals(rep.get("succeeded"));
                failed |= !ok;
                env().out().println(e.getKey() + ": " + (ok ? "pushed " + r.get("path") : "failed: " + rep.get("failures")));
            }
            return failed ? ExitCode.FAILED.code() : 0;
        }
    }

    /** {@code ferry rc pause JOB}. */
    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Start no new run of a job until resumed.")
    static final class Pause extends Sub {
        @Parameters(index = "0", paramLabel = "JOB") String job;

        @Override
        int call(RcClient client) throws IOException {
            client.pause(job);
            env().out().println("paused " + job);
            return 0;
        }
    }

    /** {@code ferry rc resume JOB}. */
    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused job.")
    static final class Resume extends Sub {
        @Parameters(index = "0", paramLabel = "JOB") String job;

        @Override
        int call(RcClient client) throws IOException {
            client.resume(job);
            env().out().println("resumed " + job);
            return 0;
        }
    }
}
