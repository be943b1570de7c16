package dev.ferry.backend.s3;

import dev.ferry.api.Entry;
import dev.ferry.api.HashAlgorithm;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.ResumableWriter.PartialWrite;
import dev.ferry.api.SyncPath;
import dev.ferry.api.WriteHints;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListPartsRequest;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Writes a later process can continue: a multipart upload at the final key, named by its upload
 * id, key and part size; the parts the store holds are what survives. The engine begins only
 * files above the multipart cutoff. A caller that begins a smaller one still gets a write, but
 * for content up to the buffer limit (and the cutoff) it is buffered and sent as one PUT on
 * {@link PartialWrite#complete()}, as a plain write without an MD5 is, so it keeps an MD5 ETag
 * and a Content-MD5 check; {@link #resume} of such a token is empty. {@code complete()} honours
 * the write's precondition as a plain write does ({@link Preconditions}).
 */
final class ResumableUploads {

    private static final String MULTIPART_TOKEN = "s3-multipart";
    private static final String BUFFERED_TOKEN = "s3-buffered";

    private final Bucket b;
    private final Multipart multipart;
    private final SingleUploads single;
    private final UploadSweep sweep;

    ResumableUploads(Bucket b, Multipart multipart, SingleUploads single, UploadSweep sweep) {
        this.b = b;
        this.multipart = multipart;
        this.single = single;
        this.sweep = sweep;
    }

    PartialWrite begin(SyncPath path, WriteHints hints, long bufferedLimit) throws IOException {
        if (path.isRoot()) {
            throw new PermanentSyncException("cannot write the root of " + b.where);
        }
        if (hints.size() >= 0 && hints.size() <= bufferedLimit) {
            sweep.sweepOnce();
            return new BufferedWrite(path, hints);
        }
        return new MultipartWrite(path, b.key(path), multipart.createUpload(path, hints), b.options.partSize(), hints);
    }

    Optional<PartialWrite> resume(String token, WriteHints hints) throws IOException {
        String[] f = token.split(":", -1);
        if (f.length != 4 || !f[0].equals(MULTIPART_TOKEN)) {
            return Optional.empty(); // a buffered write, or not ours: nothing survives to continue
        }
        int partSize;
        String uploadId = URLDecoder.decode(f[2], StandardCharsets.UTF_8);
        String key = URLDecoder.decode(f[3], StandardCharsets.UTF_8);
        SyncPath path;
        try {
            partSize = Integer.parseInt(f[1]);
            if (!key.startsWith(b.prefix) || partSize < S3TargetOptions.MIN_PART_SIZE) {
                return Optional.empty();
            }
            path = SyncPath.of(key.substring(b.prefix.length()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        MultipartWrite w = new MultipartWrite(path, key, uploadId, partSize, hints);
        try {
            if (w.heldParts().isEmpty()) {
                // Nothing to continue from. Some stores (S3Proxy) answer ListParts of an upload
                // that no longer exists with an empty list instead of NoSuchUpload: starting
                // afresh is right either way, and the abort ends the upload if it does exist.
                sweep.abort(key, uploadId);
                return Optional.empty();
            }
        } catch (NotFoundException e) {
            return Optional.empty(); // completed, aborted or swept
        }
        UploadSweep.own(uploadId);
        return Optional.of(w);
    }

    /** A part the store holds for an upload. */
    private record HeldPart(int number, String etag, long size) {}

    /** A resumable multipart upload; what counts as written is what the store says it holds. */
    private final class MultipartWrite implements PartialWrite {
        private final SyncPath path;
        private final String key;
        private final String uploadId;
        private final int partSize;
        private final WriteHints hints;
        /** Parts this object sent, newer than a listing taken before they were. */
        private final Map<Integer, HeldPart> sent = new ConcurrentHashMap<>();
        private long committed;
        /** Whether an append of this object read its content to the end: with no size hinted, the content is whole. */
        private boolean reachedEnd;

        MultipartWrite(SyncPath path, String key, String uploadId, int partSize, WriteHints hints) {
            this.path = path;
            this.key = key;
            this.uploadId = uploadId;
            this.partSize = partSize;
            this.hints = hints;
        }

        @Override
        public String token() {
            // The part size travels with the token: the numbering of the parts held depends on it.
            return MULTIPART_TOKEN + ":" + partSize + ":" + URLEncoder.encode(uploadId, StandardCharsets.UTF_8) + ":"
                    + URLEncoder.encode(key, StandardCharsets.UTF_8);
        }

        /** Every part the store holds (ListParts, page by page), with this object's newer ones over them. */
        Map<Integer, HeldPart> heldParts() throws IOException {
            Map<Integer, HeldPart> held = new TreeMap<>();
            Integer marker = null;
            try {
                while (true) {
                    ListPartsResponse r = b.client.listParts(ListPartsRequest.builder().bucket(b.name).key(key)
                            .uploadId(uploadId).partNumberMarker(marker).build());
                    for (Part p : r.parts()) {
                        held.put(p.partNumber(), new HeldPart(p.partNumber(), p.eTag(), p.size() == null ? -1 : p.size()));
                    }
                    Integer next = r.nextPartNumberMarker();
                    if (!Boolean.TRUE.equals(r.isTruncated()) || next == null || next.equals(marker)) {
                        break;
                    }
                    marker = next;
                }
            } catch (NoSuchUploadException e) {
                throw new NotFoundException("the upload of " + b.at(path) + " is gone (completed, aborted or swept)", e);
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    throw new NotFoundException("the upload of " + b.at(path) + " is gone (completed, aborted or swept)", e);
                }
                throw S3Errors.map(e, "list the parts held for", b.at(path));
            } catch (SdkException e) {
                throw S3Errors.map(e, "list the parts held for", b.at(path));
            }
            held.putAll(sent);
            return held;
        }

        /**
         * The contiguous run of full parts from part 1, plus a short last part if it ends the
         * content exactly. Anything after a gap or a short part (parts still in flight when the
         * writer died finish in any order) is not counted: the next append starts at the end of
         * the run and sends those part numbers again, replacing what is there.
         */
        private List<HeldPart> contiguous(Map<Integer, HeldPart> held) {
            List<HeldPart> run = new ArrayList<>();
            long total = 0;
            for (int n = 1; held.containsKey(n); n++) {
                HeldPart p = held.get(n);
                if (p.size() == partSize && (hints.size() < 0 || total + partSize <= hints.size())) {
                    run.add(p);
                    total += partSize;
                } else {
                    if (p.size() >= 0 && p.size() < partSize && (hints.size() < 0 || total + p.size() == hints.size())) {
                        run.add(p);
                    }
                    break;
                }
            }
            return run;
        }

        private static long total(List<HeldPart> run) {
            return run.stream().mapToLong(HeldPart::size).sum();
        }

        @Override
        public long committedBytes() throws IOException {
            committed = total(contiguous(heldParts()));
            return committed;
        }

        @Override
        public void append(InputStream content) throws IOException {
            if (committed % partSize != 0) {
                // Only a short last part ends a run: the content is all there already.
                if (content.read() >= 0) {
                    throw new PermanentSyncException("cannot write " + b.at(path) + ": the content is longer than the "
                            + committed + " bytes announced");
                }
                reachedEnd = true;
                return;
            }
            List<Future<CompletedPart>> parts = new ArrayList<>();
            boolean done = false;
            try {
                long total = multipart.sendParts(path, key, uploadId, partSize, (int) (committed / partSize) + 1,
                        committed, content, hints.size(), null, parts);
                long bytes = committed;
                for (Future<CompletedPart> f : parts) {
                    CompletedPart p = b.await(f, "upload a part of", path);
                    long size = Math.min(partSize, total - (long) (p.partNumber() - 1) * partSize);
                    sent.put(p.partNumber(), new HeldPart(p.partNumber(), p.eTag(), size));
                    bytes += size;
                }
                committed = bytes;
                reachedEnd = true;
                done = true;
            } finally {
                if (!done) {
                    // No abort: the parts held stay for the next attempt, which asks the store what it has.
                    Bucket.settle(parts);
                }
            }
        }

        @Override
        public Entry complete() throws IOException {
            Map<Integer, HeldPart> held = heldParts();
            List<HeldPart> run = contiguous(held);
            long total = total(run);
            boolean ends = !run.isEmpty() && (run.get(run.size() - 1).size() < partSize || reachedEnd);
            if (hints.size() >= 0 ? total != hints.size() : !ends) {
                throw new PermanentSyncException("cannot complete " + b.at(path) + ": the store holds " + total
                        + " contiguous bytes of the " + (hints.size() >= 0 ? hints.size() + " announced" : "content")
                        + "; nothing was published");
            }
            List<CompletedPart> parts = run.stream()
                    .map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).build()).toList();
            String etag = multipart.complete(path, key, uploadId, parts, hints);
            // The hinted MD5 (now md5chksum) is not checked against the bytes here: the parts may
            // have been sent by several processes, and a whole-content MD5 would be one more pass
            // over every byte on top of the source's read for the hint and each part's MD5. Each
            // part itself was checked by the store against its Content-MD5.
            return ObjectInfo.written(path, total, hints, hints.hashes().get(HashAlgorithm.MD5), etag);
        }

        @Override
        public void abort() {
            sweep.abort(key, uploadId);
        }
    }

    /** A "resumable" write up to the buffer limit: buffered, one PUT on completion. */
    private final class BufferedWrite implements PartialWrite {
        private final SyncPath path;
        private final WriteHints hints;
        private final String token;
        private byte[] buf;
        private int length;

        BufferedWrite(SyncPath path, WriteHints hints) {
            this.path = path;
            this.hints = hints;
            this.buf = new byte[(int) hints.size()];
            this.token = BUFFERED_TOKEN + ":" + URLEncoder.encode(b.key(path), StandardCharsets.UTF_8);
        }

        @Override
        public String token() {
            return token;
        }

        @Override
        public long committedBytes() {
            return length;
        }

        @Override
        public void append(InputStream content) throws IOException {
            // An append may stop short of the size (complete() then refuses): an upper bound only.
            length += content.readNBytes(buf, length, buf.length - length);
            if (content.read() >= 0) {
                throw new PermanentSyncException("cannot write " + b.at(path) + ": the content is longer than the "
                        + buf.length + " bytes announced");
            }
        }

        @Override
        public Entry complete() throws IOException {
            if (length != buf.length) {
                throw new PermanentSyncException("cannot complete " + b.at(path) + ": " + length + " bytes of the "
                        + buf.length + " announced were written; nothing was published");
            }
            return single.putBuffered(path, buf, length, hints);
        }

        @Override
        public void abort() {
            buf = new byte[0];
            length = 0;
        }
    }
}
