package dev.ferry.backend.ftp;

import dev.ferry.api.AuthenticationException;
import dev.ferry.api.PermanentSyncException;
import dev.ferry.api.TransientSyncException;
import java.io.IOException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;

/**
 * One logged-in control connection, set up the same way on every connect: control encoding
 * before connecting, TLS (AUTH TLS or implicit, then PBSZ 0 / PROT P), login, OPTS UTF8 ON when
 * FEAT offers it, TYPE I, passive mode (which a connect resets), LIST -a.
 */
final class FtpConnection implements AutoCloseable {

    final FTPClient client;
    final ListParser.Factory parsers;
    private long lastUsedNanos = System.nanoTime();
    private boolean broken;

    private FtpConnection(FTPClient client, ListParser.Factory parsers) {
        this.client = client;
        this.parsers = parsers;
        client.setParserFactory(parsers);
    }

    static FtpConnection open(FtpOptions o, Tls.Contexts tls, ServerFeatures features) throws IOException {
        FTPClient c;
        if (o.tls() == FtpOptions.Tls.NONE) {
            c = new PlainFtpClient();
        } else {
            SSLContext context;
            try {
                context = tls.next();
            } catch (java.security.GeneralSecurityException e) {
                throw new PermanentSyncException("cannot set up TLS for " + o.description() + ": " + e.getMessage(), e);
            }
            ReusingFtpsClient s = new ReusingFtpsClient(o.tls() == FtpOptions.Tls.IMPLICIT, context);
            s.setEndpointCheckingEnabled(Tls.verifiesHostName(o));
            // TLS 1.2: JSSE resumes a TLS 1.3 session on a new socket only through a ticket that
            // vsftpd's session-reuse check does not accept; 1.2 session-ID resumption it does.
            s.setEnabledProtocols(new String[] {"TLSv1.2"});
            c = s;
        }
        c.setControlEncoding(o.encoding().name());
        c.setConnectTimeout((int) o.connectTimeout().toMillis());
        c.setDefaultTimeout((int) o.timeout().toMillis());
        c.setDataTimeout(o.timeout());
        c.setControlKeepAliveTimeout(o.keepAlive());
        c.setControlKeepAliveReplyTimeout(Duration.ofSeconds(2));
        c.setBufferSize(64 * 1024);
        c.setListHiddenFiles(true);
        FtpConnection conn = new FtpConnection(c, new ListParser.Factory(o.serverTimeZone()));
        String where = o.description();
        try {
            c.connect(o.host(), o.port());
            c.setSoTimeout((int) o.timeout().toMillis());
            if (!FTPReply.isPositiveCompletion(c.getReplyCode())) {
                throw FtpErrors.reply(c.getReplyCode(), c.getReplyString(), "connect to " + where);
            }
            if (!c.login(o.user(), o.password())) {
                int code = c.getReplyCode();
                if (code == 530 || code == 332 || code >= 500) {
                    throw new AuthenticationException("cannot log in to " + where + " as '" + o.user()
                            + "': server replied " + c.getReplyString().trim());
                }
                throw FtpErrors.reply(code, c.getReplyString(), "log in to " + where);
            }
            if (c instanceof ReusingFtpsClient s) {
                s.protectData();
            }
            features.learn(c);
            if (features.utf8() && o.encoding().name().equalsIgnoreCase("UTF-8")) {
                c.sendCommand("OPTS", "UTF8 ON"); // a refusal changes nothing: names stay as sent
            }
            if (!c.setFileType(FTP.BINARY_FILE_TYPE)) {
                throw FtpErrors.reply(c.getReplyCode(), c.getReplyString(), "switch to binary mode (TYPE I) on " + where);
            }
            if (o.passive()) {
                c.enterLocalPassiveMode();
            } else {
                c.enterLocalActiveMode();
            }
            return conn;
        } catch (IOException e) {
            conn.close();
            throw FtpErrors.io(e, "connect to " + where);
        } catch (RuntimeException e) {
            conn.close();
            throw new PermanentSyncException("cannot connect to " + where + ": " + e, e);
        }
    }

    void touch() {
        lastUsedNanos = System.nanoTime();
    }

    long idleNanos() {
        return System.nanoTime() - lastUsedNanos;
    }

    /** Marks the connection unusable (out of step with the server, or dropped): it is closed, not pooled. */
    void markBroken() {
        broken = true;
    }

    boolean isBroken() {
        return broken || !client.isConnected();
    }

    /** Sends a command and returns the reply code, checking that the connection is still there. */
    int command(String command, String arg) throws IOException {
        try {
            return client.sendCommand(command, arg);
        } catch (IOException e) {
            broken = true;
            throw e;
        }
    }

    /** Throws unless the last reply was a positive completion. */
    void expectOk(String action) throws IOException {
        int code = client.getReplyCode();
        if (!FTPReply.isPositiveCompletion(code)) {
            if (code == 421) {
                broken = true;
            }
            throw FtpErrors.reply(code, client.getReplyString(), action);
        }
    }

    static TransientSyncException closed(String action) {
        return new TransientSyncException("cannot " + action + ": the connection was closed");
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                if (!broken) {
                    client.setSoTimeout(2000);
                    client.logout();
                }
                client.disconnect();
            }
        } catch (IOException | RuntimeException e) {
            try {
                client.disconnect();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
