package dev.ferry.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import dev.ferry.core.SyncTargets;
import dev.ferry.core.SyncReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every path the server answers: the API, the event stream, metrics, health and the page. */
final class ApiRoutes implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
    private static final int MAX_BODY = 64 * 1024;
    private static final int MAX_STREAMS = 32;
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html", "/ui/app.js", "app.js", "/ui/style.css", "style.css", "/openapi.yaml", "openapi.yaml");

    private final FerryServer server;
    private final Access access;
    private final Instant startedAt = Instant.now();

    ApiRoutes(FerryServer server, Access access) {
        this.server = server;
        this.access = access;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            route(ex);
        } catch (IllegalArgumentException e) {
            Http.error(ex, 400, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), SyncTargets.redact(String.valueOf(e.getMessage())));
            try {
                Http.error(ex, 500, SyncTargets.redact(String.valueOf(e.getMessage())));
            } catch (IOException | RuntimeException ignored) {
                ex.close();
            }
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        if (!access.hostAllowed(ex)) {
            Http.error(ex, 403, "this server answers only to its loopback address");
            return;
        }
        if (method.equals("OPTIONS")) {
            Http.error(ex, 405, "no cross-origin requests"); // CORS stays closed: no Allow-Origin, ever
            return;
        }
        if (access.needsToken(method, path) && !access.tokenValid(ex)) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"ferry\"");
            Http.error(ex, 401, "missing or wrong token (send Authorization: Bearer TOKEN)");
            return;
        }
        boolean get = method.equals("GET") || method.equals("HEAD");
        boolean post = method.equals("POST");
        if (get && FILES.containsKey(path)) {
            staticFile(ex, FILES.get(path));
        } else if (get && path.equals("/health")) {
            Map<String, Object> m = Json.object();
            m.put("status", "ok");
            m.put("jobs", server.jobs().size());
            m.put("startedAt", startedAt);
            Http.json(ex, 200, m);
        } else if (get && path.equals("/metrics")) {
            Http.send(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                    server.metrics().prometheus(server::stateCode).getBytes(StandardCharsets.UTF_8));
        } else if (get && path.equals("/api/jobs")) {
            List<Object> jobs = new ArrayList<>();
            server.jobs().values().forEach(j -> jobs.add(ApiJson.job(j, false)));
            Map<String, Object> m = Json.object();
            m.put("jobs", jobs);
            Http.json(ex, 200, m);
        } else if (get && path.equals("/api/events")) {
            events(ex);
        } else if (get && path.equals("/api/remotes")) {
            Map<String, Object> m = Json.object();
            m.put("remotes", server.remotes());
            Http.json(ex, 200, m);
        } else if (get && path.equals("/api/backends")) {
            Map<String, Object> m = Json.object();
            m.put("backends", server.backends());
            Http.json(ex, 200, m);
        } else if (path.startsWith("/api/jobs/")) {
            job(ex, get, post, path.substring("/api/jobs/".length()));
        } else if (!get && !post) {
            Http.error(ex, 405, "method " + method + " not allowed");
        } else {
            Http.error(ex, 404, "no such path: " + path);
        }
    }

    private void job(HttpExchange ex, boolean get, boolean post, String rest) throws IOException {
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        String action = slash < 0 ? "" : rest.substring(slash + 1);
        ServedJob job = server.jobs().get(name);
        if (job == null) {
            Http.error(ex, 404, "no job named '" + name + "' (jobs: " + String.join(", ", server.jobs().keySet()) + ")");
            return;
        }
        if (get && action.isEmpty()) {
            Http.json(ex, 200, ApiJson.job(job, true));
            return;
        }
        if (get && action.equals("reports")) {
            Map<String, Object> m = ApiJson.job(job, true);
            Map<String, Object> out = Json.object();
            out.put("reports", m.get("reports"));
            Http.json(ex, 200, out);
            return;
        }
        if (!post) {
            Http.error(ex, get ? 404 : 405, get ? "no such path" : "use POST");
            return;
        }
        try {
            switch (action) {
                case "run" -> {
                    job.run();
                    Http.json(ex, 202, ApiJson.job(job, false));
                }
                case "pause" -> {
                    job.pause();
                    Http.json(ex, 200, ApiJson.job(job, false));
                }
                case "resume" -> {
                    job.resume();
                    Http.json(ex, 200, ApiJson.job(job, false));
                }
                case "push" -> push(ex, job);
                default -> Http.error(ex, 404, "no action '" + action + "' (run, push, pause, resume)");
            }
        } catch (IllegalStateException e) {
            Http.error(ex, 409, e.getMessage());
        }
    }

    private void push(HttpExchange ex, ServedJob job) throws IOException {
        Object body = Json.parse(Http.body(ex, MAX_BODY));
        if (!(body instanceof Map<?, ?> m) || !(m.get("path") instanceof String p) || p.isBlank()) {
            throw new IllegalArgumentException("the body must be {\"path\": \"relative/path/of/the/file\"}");
        }
        SyncPath path = SyncPath.of(p.startsWith("/") ? p.substring(1) : p);
        Map<String, SyncReport> reports;
        try {
            reports = job.push(path);
        } catch (NotFoundException e) {
            Http.error(ex, 404, e.getMessage());
            return;
        }
        Map<String, Object> out = Json.object();
        out.put("path", path.toString());
        Map<String, Object> byDest = Json.object();
        reports.forEach((d, r) -> byDest.put(d, ApiJson.report(r)));
        out.put("reports", byDest);
        Http.json(ex, 200, out);
    }

    /** Server-Sent Events: each event once, in order, with its number as the id. */
    private void events(HttpExchange ex) throws IOException {
        EventBus bus = server.events();
        if (bus.subscribers() >= MAX_STREAMS) {
            Http.error(ex, 503, "too many event streams open");
            return;
        }
        long after = 0;
        String last = ex.getRequestHeaders().getFirst("Last-Event-ID");
        if (last != null) {
            try {
                after = Long.parseLong(last.strip());
            } catch (NumberFormatException ignored) {
                // start from now
            }
        }
        EventBus.Subscription sub = bus.subscribe(after);
        Http.secure(ex);
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(": ferry events\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (!server.closing()) {
                EventBus.Event e = sub.queue.poll(15, TimeUnit.SECONDS);
                if (e == null) {
                    if (sub.overflowed) {
                        break;
                    }
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                } else {
                    Map<String, Object> data = Json.object();
                    data.put("id", e.id());
                    data.put("type", e.type());
                    data.put("time", e.time());
                    data.putAll(e.data());
                    out.write(("id: " + e.id() + "\nevent: " + e.type() + "\ndata: " + Json.write(data) + "\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, or the server stops
        } finally {
            bus.unsubscribe(sub);
            ex.close();
        }
    }

    private void staticFile(HttpExchange ex, String name) throws IOException {
        try (InputStream in = ApiRoutes.class.getResourceAsStream("web/" + name)) {
            if (in == null) {
                Http.error(ex, 404, "not packaged: " + name);
                return;
            }
            String type = name.endsWith(".html") ? "text/html; charset=utf-8"
                    : name.endsWith(".js") ? "text/javascript; charset=utf-8"
                    : name.endsWith(".css") ? "text/css; charset=utf-8" : "application/yaml; charset=utf-8";
            Http.send(ex, 200, type, in.readAllBytes());
        }
    }
}
