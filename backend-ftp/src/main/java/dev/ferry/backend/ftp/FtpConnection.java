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
    /** NOOPs sent during the current transfer whose replies are still to be read. */
    private int pendingNoops;
    private long lastControlNanos;

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
        // No setControlKeepAliveTimeout: Commons Net's keep-alive covers storeFile/retrieveFile
        // only, waits up to its reply timeout for each NOOP (servers answer after the transfer),
        // and may take the transfer's failure reply for a NOOP's. See keepAlive() instead.
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

    /** A data transfer has started: the control connection is idle from now on. */
    void beginTransfer() {
        pendingNoops = 0;
        lastControlNanos = System.nanoTime();
    }

    /**
     * Called as a transfer moves: sends NOOP on the control connection once {@code every} has
     * passed since the last one, so a NAT or firewall does not drop the control connection while
     * only the data connection is busy. The reply is not awaited here (servers send it after the
     * transfer's); {@link #completeTransfer} reads it. Zero turns it off.
     */
    void keepAlive(Duration every) {
        if (every.isZero() || broken) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastControlNanos < every.toNanos()) {
            return;
        }
        lastControlNanos = now;
        try {
            ((Pipelining) client).sendOnly("NOOP");
            pendingNoops++;
        } catch (IOException e) {
            // The control connection is gone: the transfer's own completion will say so.
            broken = true;
        }
    }

    /**
     * After the data connection was closed: reads the transfer's final reply and those of the
     * NOOPs sent during it, in whichever order the server sent them (NOOP answers 200, a transfer
     * 226/250 or an error), and leaves the transfer's reply as the client's last one.
     *
     * @return whether the transfer's reply is a positive completion
     */
    boolean completeTransfer() throws IOException {
        int noops = pendingNoops;
        pendingNoops = 0;
        if (noops == 0) {
            return client.completePendingCommand();
        }
        int transferCode = -1;
        java.util.List<String> transferLines = null;
        try {
            for (int i = 0; i <= noops; i++) {
                int code = client.getReply();
                if (transferCode < 0 && (code != 200 || i == noops)) {
                    transferCode = code;
                    transferLines = java.util.List.of(client.getReplyStrings());
                }
            }
        } catch (IOException e) {
            broken = true;
            throw e;
        }
        ((Pipelining) client).restoreReply(transferCode, transferLines);
        return FTPReply.isPositiveCompletion(transferCode);
    }

    /** NOOPs of the current transfer not yet answered. */
    int pendingNoops() {
        return pendingNoops;
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
