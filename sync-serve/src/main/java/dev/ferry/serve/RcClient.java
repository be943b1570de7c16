package dev.ferry.serve;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A client of a running {@code ferry serve}: what {@code ferry rc} uses, and what another
 * process (the photobooth's "new photo" hook) can use to push a file. Answers are the API's
 * JSON as maps and lists; an error answer is an {@link RcException} with its status.
 */
public final class RcClient {

    /** The server answered with an error. */
    public static final class RcException extends IOException {
        private final int status;

        RcException(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The HTTP status (401 wrong token, 404 no such job or file, 409 paused, ...). */
        public int status() {
            return status;
        }
    }

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param base the server's URL ({@code http://127.0.0.1:5572})
     * @param token the API token, or null to send none
     */
    public RcClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** Every job with its destinations' state. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> jobs() throws IOException {
        return (List<Map<String, Object>>) call("GET", "/api/jobs", null).get("jobs");
    }

    /** Every job as the API's JSON text, unchanged. */
    public String jobsJson() throws IOException {
        return Json.write(call("GET", "/api/jobs", null));
    }

    /** One job with its last reports. */
    public Map<String, Object> job(String name) throws IOException {
        return call("GET", "/api/jobs/" + name, null);
    }

    /** Runs a job now. */
    public Map<String, Object> run(String job) throws IOException {
        return call("POST", "/api/jobs/" + job + "/run", "");
    }

    /** Pushes one file (relative to the job's source) now; the reports by destination. */
    public Map<String, Object> push(String job, String path) throws IOException {
        Map<String, Object> body = Json.object();
        body.put("path", path);
        return call("POST", "/api/jobs/" + job + "/push", Json.write(body));
    }

    /** Pauses a job. */
    public Map<String, Object> pause(String job) throws IOException {
        return call("POST", "/api/jobs/" + job + "/pause", "");
    }

    /** Resumes a job. */
    public Map<String, Object> resume(String job) throws IOException {
        return call("POST", "/api/jobs/" + job + "/resume", "");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> call(String method, String path, String body) throws IOException {
        if (path.startsWith("/api/jobs/") && !path.substring(10).matches("[A-Za-z0-9][A-Za-z0-9_.-]*(/[a-z]+)?")) {
            throw new IllegalArgumentException("invalid job name in " + path);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(5));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.net.ConnectException e) {
            throw new IOException("no ferry serve answers at " + base + " (is it running? --addr?)", e);
        }
        Object parsed;
        try {
            parsed = Json.parse(r.body());
        } catch (IllegalArgumentException e) {
            throw new RcException(r.statusCode(), "unexpected answer from " + base + " (status " + r.statusCode() + ")");
        }
        if (r.statusCode() >= 400) {
            Object err = parsed instanceof Map<?, ?> m ? m.get("error") : null;
            throw new RcException(r.statusCode(), err == null ? "status " + r.statusCode() : err.toString());
        }
        return (Map<String, Object>) parsed;
    }
}
