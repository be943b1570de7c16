package dev.ferry.serve;

import dev.ferry.core.SyncFailure;
import dev.ferry.core.SyncJob;
import dev.ferry.core.SyncReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The API's JSON shapes: jobs, destinations, reports, progress. */
final class ApiJson {

    /** Failures listed per report; the count says how many there were in all. */
    private static final int FAILURES_LISTED = 50;

    private ApiJson() {}

    static Map<String, Object> job(ServedJob job, boolean detail) {
        Map<String, Object> m = Json.object();
        JobSummary s = job.summary();
        m.put("name", job.name());
        m.put("paused", job.paused());
        m.put("source", s.source());
        m.put("mode", s.mode());
        m.put("every", s.every());
        m.put("watch", s.watch());
        m.put("at", s.at().stream().map(Object::toString).toList());
        List<Object> dests = new ArrayList<>();
        for (SyncJob.Status st : job.status()) {
            dests.add(destination(job, st));
        }
        m.put("destinations", dests);
        if (detail) {
            List<Object> reports = new ArrayList<>();
            for (ServedJob.Finished f : job.finished()) {
                Map<String, Object> r = Json.object();
                r.put("destination", f.destination());
                r.put("kind", f.kind());
                r.put("ended", f.ended());
                r.put("report", f.report() == null ? null : report(f.report()));
                r.put("error", f.error());
                reports.add(r);
            }
            m.put("reports", reports);
        }
        return m;
    }

    static Map<String, Object> destination(ServedJob job, SyncJob.Status st) {
        Map<String, Object> d = Json.object();
        d.put("name", st.destination());
        d.put("location", job.summary().destinations().getOrDefault(st.destination(), ""));
        d.put("state", job.state(st));
        d.put("lastRun", st.lastRun());
        d.put("lastReport", st.lastReport().map(ApiJson::report));
        d.put("lastError", st.lastError());
        d.put("nextRun", job.paused() ? null : st.nextRun().orElse(null));
        d.put("consecutiveFailures", st.consecutiveFailures());
        ServedJob.Progress p = job.progress(st.destination());
        d.put("progress", st.running() && p != null ? progress(p) : null);
        return d;
    }

    static Map<String, Object> report(SyncReport r) {
        Map<String, Object> m = Json.object();
        m.put("mode", r.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        m.put("started", r.started());
        m.put("durationSeconds", r.duration());
        m.put("filesCopied", r.filesCopied());
        m.put("bytesCopied", r.bytesCopied());
        m.put("filesDeleted", r.filesDeleted());
        m.put("unchangedFiles", r.unchangedFiles());
        m.put("retries", r.retries());
        m.put("succeeded", r.succeeded());
        m.put("failureCount", r.failures().size());
        List<Object> failures = new ArrayList<>();
        for (SyncFailure f : r.failures().subList(0, Math.min(FAILURES_LISTED, r.failures().size()))) {
            Map<String, Object> fm = Json.object();
            fm.put("path", f.path());
            fm.put("stage", f.stage().name().toLowerCase(java.util.Locale.ROOT));
            fm.put("message", f.message());
            fm.put("retryable", f.retryable());
            failures.add(fm);
        }
        m.put("failures", failures);
        m.put("safetyStop", r.safetyStop());
        return m;
    }

    static Map<String, Object> progress(ServedJob.Progress p) {
        Map<String, Object> m = Json.object();
        m.put("phase", p.phase);
        m.put("filesDone", p.filesDone);
        m.put("filesTotal", p.filesTotal);
        m.put("bytesDone", p.bytesDone);
        m.put("bytesTotal", p.bytesTotal);
        m.put("failures", p.failures);
        m.put("current", p.current);
        return m;
    }
}
