package dev.ferry.serve;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.ferry.core.JobScheduler;
import dev.ferry.core.SyncJob;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link SyncJob}s and serves their status and controls over HTTP: the JSON API, a
 * Server-Sent Events stream, Prometheus metrics, a health check and a web page. {@code ferry
 * serve} builds one from the config file ({@link ServeConfig}); a host application embeds one
 * around its own jobs:
 *
 * <pre>{@code
 * try (FerryServer server = FerryServer.builder()
 *         .tokenFile(Path.of("/var/lib/booth/ferry.token"))
 *         .job("photos", SyncJob.builder(photos).destination("ftp", ftp).every(Duration.ofMinutes(5)))
 *         .build().start()) {
 *     ...
 * }
 * }</pre>
 *
 * The server completes each job's builder with a scheduler of its own (so jobs can be paused),
 * a listener and per-destination progress. It listens on 127.0.0.1 unless told otherwise; any
 * other address needs TLS. {@link #close} stops the HTTP side, then the jobs, waiting for runs
 * in progress to finish.
 */
public final class FerryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FerryServer.class);
    private static final java.time.Duration STOP_WAIT = java.time.Duration.ofSeconds(30);

    private final InetSocketAddress requested;
    private final TokenFile.Token token;
    private final SSLContext tls;
    private final Path lockFor;
    private final List<Map<String, Object>> remotes;
    private final List<String> backends;
    private final JobScheduler scheduler;
    private final EventBus events = new EventBus();
    private final Metrics metrics = new Metrics();
    private final Map<String, ServedJob> jobs = new LinkedHashMap<>();
    private HttpServer http;
    private ExecutorService httpThreads;
    private InstanceLock lock;
    private volatile boolean closing;

    private FerryServer(Builder b) throws IOException {
        this.requested = b.address;
        this.tls = b.tls;
        if (!requested.getAddress().isLoopbackAddress() && tls == null) {
            throw new IllegalArgumentException("serving on " + requested.getAddress().getHostAddress()
                    + " (not loopback) needs TLS: give a certificate (tls-keystore) or listen on 127.0.0.1");
        }
        if (b.tokenValue != null) {
            this.token = new TokenFile.Token(b.tokenValue, null, false);
        } else {
            this.token = TokenFile.load(Objects.requireNonNull(b.tokenFile, "a token or a token file is needed"));
        }
        this.lockFor = b.lockFor;
        this.remotes = List.copyOf(b.remotes);
        this.backends = List.copyOf(b.backends);
        int lanes = 0;
        for (Pending p : b.jobs) {
            lanes += Math.max(1, p.summary.destinations().size());
        }
        this.scheduler = JobScheduler.system(Math.min(16, Math.max(2, lanes + 1)));
        for (Pending p : b.jobs) {
            jobs.put(p.name, new ServedJob(p.name, p.builder, p.summary, scheduler, events, metrics));
        }
    }

    /** A server to configure. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Takes the config file's lock (if one was named), binds the address and starts every job.
     *
     * @throws IllegalStateException if another server runs on the same config file
     */
    public FerryServer start() throws IOException {
        if (lockFor != null) {
            lock = InstanceLock.acquire(lockFor, requested.toString());
        }
        try {
            if (tls != null) {
                HttpsServer s = HttpsServer.create(requested, 64);
                s.setHttpsConfigurator(new HttpsConfigurator(tls));
                http = s;
            } else {
                http = HttpServer.create(requested, 64);
            }
            AtomicInteger n = new AtomicInteger();
            httpThreads = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "ferry-http-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            http.setExecutor(httpThreads);
            http.createContext("/", new ApiRoutes(this, new Access(token.value(),
                    requested.getAddress().isLoopbackAddress(), http.getAddress().getPort())));
            http.start();
            for (ServedJob j : jobs.values()) {
                j.start();
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("ferry serve listening on {} with {} job(s)", url(), jobs.size());
        return this;
    }

    /** Where the server listens, port resolved ({@code http://127.0.0.1:5572}). */
    public String url() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return (tls != null ? "https" : "http") + "://" + host + ":" + a.getPort();
    }

    /** The port it listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The token: where it is kept and whether it was generated on this start (then shown once). */
    public TokenFile.Token token() {
        return token;
    }

    /** The names of the jobs, in order. */
    public List<String> jobNames() {
        return List.copyOf(jobs.keySet());
    }

    Map<String, ServedJob> jobs() {
        return Collections.unmodifiableMap(jobs);
    }

    EventBus events() {
        return events;
    }

    Metrics metrics() {
        return metrics;
    }

    List<Map<String, Object>> remotes() {
        return remotes;
    }

    List<String> backends() {
        return backends;
    }

    boolean closing() {
        return closing;
    }

    int stateCode(String job, String destination) {
        ServedJob j = jobs.get(job);
        return j == null ? 0 : j.stateCode(destination);
    }

    /**
     * Stops: no new requests, no new runs; runs in progress finish (up to 30 s, after which their
     * atomic uploads leave no partial file visible), then the lock is released.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        if (http != null) {
            http.stop(0);
        }
        for (ServedJob j : jobs.values()) {
            try {
                j.close();
            } catch (RuntimeException e) {
                LOG.warn("closing job {}: {}", j.name(), e.toString());
            }
        }
        scheduler.close(); // waits for runs in progress
        if (httpThreads != null) {
            httpThreads.shutdownNow();
            try {
                httpThreads.awaitTermination(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                LOG.warn("releasing the instance lock: {}", e.toString());
            }
        }
    }

    private record Pending(String name, SyncJob.Builder builder, JobSummary summary) {}

    /** Configures a {@link FerryServer}. */
    public static final class Builder {
        private InetSocketAddress address = new InetSocketAddress("127.0.0.1", 5572);
        private Path tokenFile;
        private String tokenValue;
        private SSLContext tls;
        private Path lockFor;
        private final List<Pending> jobs = new ArrayList<>();
        private final List<Map<String, Object>> remotes = new ArrayList<>();
        private final List<String> backends = new ArrayList<>();

        private Builder() {}

        /** Where to listen (default 127.0.0.1:5572; port 0 picks a free one). */
        public Builder address(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address);
            return this;
        }

        /** The token's file: read if it exists, else created (0600) with a new token. */
        public Builder tokenFile(Path file) {
            this.tokenFile = file;
            return this;
        }

        /** The token itself, for a host that keeps it elsewhere. */
        public Builder token(String token) {
            if (token == null || token.length() < 16) {
                throw new IllegalArgumentException("a token needs at least 16 characters");
            }
            this.tokenValue = token;
            return this;
        }

        /** Serves HTTPS with this context (required for an address other than loopback). */
        public Builder tls(SSLContext context) {
            this.tls = context;
            return this;
        }

        /** Refuses to start while another server runs with this config file. */
        public Builder singleInstance(Path configFile) {
            this.lockFor = configFile;
            return this;
        }

        /** Adds a job; the server sets its scheduler, listener and progress before building it. */
        public Builder job(String name, SyncJob.Builder job) {
            return job(name, job, JobSummary.unknown());
        }

        /** Adds a job with what the API shows about it and the times of day it runs at. */
        public Builder job(String name, SyncJob.Builder job, JobSummary summary) {
            if (jobs.stream().anyMatch(p -> p.name.equals(name))) {
                throw new IllegalArgumentException("two jobs named '" + name + "'");
            }
            jobs.add(new Pending(name, job, summary));
            return this;
        }

        /** A named remote to list, already redacted. */
        public Builder remote(Map<String, Object> redacted) {
            remotes.add(Map.copyOf(redacted));
            return this;
        }

        /** The backends (URI schemes) to list. */
        public Builder backends(List<String> schemes) {
            backends.addAll(schemes);
            return this;
        }

        /** The server, jobs built but nothing started or bound. */
        public FerryServer build() throws IOException {
            return new FerryServer(this);
        }
    }
}
