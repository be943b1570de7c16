package dev.ferry.backend.webdav;

import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.TransientSyncException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a 207 Multi-Status body one {@code <d:response>} at a time with StAX, so a collection
 * of any size is listed in memory bounded by one entry. Only properties inside a
 * {@code <d:propstat>} whose status is 200 count: servers put unknown properties in a second
 * propstat with 404.
 */
final class Multistatus {

    static final String DAV = "DAV:";
    static final String OC = "http://owncloud.org/ns";

    /** The PROPFIND body: the live properties a sync needs, and Nextcloud's oc: extras. */
    static final String PROPFIND_BODY = """
            <?xml version="1.0" encoding="utf-8"?>
            <d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns">
             <d:prop><d:resourcetype/><d:getlastmodified/><d:getetag/><d:getcontentlength/>\
            <oc:fileid/><oc:size/><oc:checksums/><oc:permissions/></d:prop>
            </d:propfind>
            """;

    private static final XMLInputFactory FACTORY = newFactory();

    /**
     * One response: what the server said about one href.
     *
     * @param status the response-level status (a response without propstat), or 200
     * @param collection whether resourcetype holds a collection
     * @param length getcontentlength, or -1
     * @param lastModified getlastmodified as sent, if any
     * @param etag getetag as sent (quotes kept: it is opaque)
     * @param checksums the text of every oc:checksum element
     * @param fileId oc:fileid, if any
     * @param ocSize oc:size, or -1
     * @param permissions oc:permissions (Nextcloud's letters: C create file, K create folder, W write...), if any
     */
    record Response(String href, int status, boolean collection, long length, Optional<String> lastModified,
            Optional<String> etag, List<String> checksums, Optional<String> fileId, long ocSize,
            Optional<String> permissions) {}

    /** Receives responses as they are parsed. */
    interface Handler {
        void response(Response r) throws IOException;
    }

    private Multistatus() {}

    private static XMLInputFactory newFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        // A listing is untrusted input: no DTDs, no external entities.
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        try {
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        } catch (IllegalArgumentException e) {
            // not every StAX implementation knows it; DTD support is off anyway
        }
        return f;
    }

    /** Parses a multistatus body, calling {@code handler} per response. */
    static void parse(InputStream body, Handler handler) throws IOException {
        XMLStreamReader r;
        try {
            r = FACTORY.createXMLStreamReader(body);
        } catch (XMLStreamException e) {
            throw new IOException("unreadable multistatus response: " + e.getMessage(), e);
        }
        boolean rootClosed = false;
        try {
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.DTD) {
                    // WebDAV never needs one; a DTD in a listing only declares entities (external
                    // files, URLs, expansion bombs). Refused outright, permanently: no retry.
                    throw new PermanentSyncException("refused a multistatus response that declares a DTD "
                            + "(entity declarations are not WebDAV; external entities and entity expansion are an attack)");
                }
                if (ev == XMLStreamConstants.START_ELEMENT && is(r, DAV, "response")) {
                    handler.response(response(r));
                } else if (ev == XMLStreamConstants.END_ELEMENT && is(r, DAV, "multistatus")) {
                    rootClosed = true;
                }
            }
        } catch (XMLStreamException e) {
            if (rootClosed) {
                // golang.org/x/net/webdav (rclone serve) closes the multistatus early when a
                // child fails to stat (a file being uploaded), then appends "Internal Server
                // Error": well-formed, but cut short. Never take it for the whole listing.
                throw new TransientSyncException("the server cut its listing short and appended an error after it; "
                        + "retry later (rclone serve does this while a file in the directory is being uploaded)", e);
            }
            throw new IOException("unreadable multistatus response: " + e.getMessage(), e);
        } catch (java.util.MissingResourceException e) {
            // Found by fuzzing: the JDK's StAX parser, skipping a DTD (DTDs are off) that holds a
            // bad character, looks up an error message it lacks (InvalidCharInDTD) and throws this.
            throw new IOException("unreadable multistatus response: a malformed DTD (" + e.getKey() + ")", e);
        } finally {
            try {
                r.close();
            } catch (XMLStreamException e) {
                // nothing more to read
            }
        }
    }

    private static boolean is(XMLStreamReader r, String ns, String local) {
        return local.equals(r.getLocalName()) && ns.equals(r.getNamespaceURI());
    }

    /** Reads from a {@code <d:response>} start to its end. */
    private static Response response(XMLStreamReader r) throws XMLStreamException {
        String href = null;
        int status = 200;
        boolean collection = false;
        long length = -1;
        long ocSize = -1;
        String lastModified = null;
        String etag = null;
        String fileId = null;
        String permissions = null;
        List<String> checksums = new ArrayList<>();
        Children c = new Children(r);
        while (c.next()) {
            if (is(r, DAV, "href") && href == null) {
                href = c.text();
            } else if (is(r, DAV, "status")) {
                status = statusCode(c.text());
            } else if (is(r, DAV, "propstat")) {
                Propstat p = propstat(r);
                c.left();
                if (p.status == 200) {
                    collection |= p.collection;
                    length = p.length >= 0 ? p.length : length;
                    ocSize = p.ocSize >= 0 ? p.ocSize : ocSize;
                    lastModified = p.lastModified != null ? p.lastModified : lastModified;
                    etag = p.etag != null ? p.etag : etag;
                    fileId = p.fileId != null ? p.fileId : fileId;
                    permissions = p.permissions != null ? p.permissions : permissions;
                    checksums.addAll(p.checksums);
                }
            }
        }
        return new Response(href == null ? "" : href, status, collection, length, Optional.ofNullable(lastModified),
                Optional.ofNullable(etag), List.copyOf(checksums), Optional.ofNullable(fileId), ocSize,
                Optional.ofNullable(permissions));
    }

    /** Steps through the elements inside the current one, however deeply nested. */
    private static final class Children {
        private final XMLStreamReader r;
        private int depth = 1;

        Children(XMLStreamReader r) {
            this.r = r;
        }

        /** Moves to the next start tag inside; false once the enclosing element has ended. */
        boolean next() throws XMLStreamException {
            while (depth > 0) {
                int ev = r.next();
                if (ev == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                } else if (ev == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    return true;
                }
            }
            return false;
        }

        /** The text of the element just entered; leaves it. */
        String text() throws XMLStreamException {
            depth--;
            return r.getElementText();
        }

        /** Records that a nested reader consumed the element just entered, end tag included. */
        void left() {
            depth--;
        }
    }

    private static final class Propstat {
        int status = 200;
        boolean collection;
        long length = -1;
        long ocSize = -1;
        String lastModified;
        String etag;
        String fileId;
        String permissions;
        final List<String> checksums = new ArrayList<>();
    }

    /** Reads from a {@code <d:propstat>} start to its end. */
    private static Propstat propstat(XMLStreamReader r) throws XMLStreamException {
        Propstat p = new Propstat();
        Children c = new Children(r);
        while (c.next()) {
            if (is(r, DAV, "status")) {
                p.status = statusCode(c.text());
            } else if (is(r, DAV, "collection")) {
                p.collection = true;
            } else if (is(r, DAV, "getcontentlength")) {
                p.length = number(c.text());
            } else if (is(r, OC, "size")) {
                p.ocSize = number(c.text());
            } else if (is(r, DAV, "getlastmodified")) {
                p.lastModified = c.text().trim();
            } else if (is(r, DAV, "getetag")) {
                p.etag = c.text().trim();
            } else if (is(r, OC, "fileid")) {
                p.fileId = c.text().trim();
            } else if (is(r, OC, "permissions")) {
                p.permissions = c.text().trim();
            } else if (is(r, OC, "checksum")) {
                p.checksums.add(c.text().trim());
            }
        }
        return p;
    }

    /** {@code HTTP/1.1 404 Not Found} → 404; unreadable → 0. */
    static int statusCode(String line) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length >= 2) {
            try {
                return Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    private static long number(String text) {
        try {
            long n = Long.parseLong(text.trim());
            return n >= 0 ? n : -2;
        } catch (NumberFormatException e) {
            return -2; // present but unreadable: not a valid size
        }
    }
}
