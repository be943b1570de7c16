package dev.ferry.backend.ftp;

import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.commons.net.ftp.FTPCmd;
import org.apache.commons.net.ftp.FTPSClient;

/**
 * An FTPS client whose data connections resume the control connection's TLS session, as
 * vsftpd's {@code require_ssl_reuse=YES} (its default) and other servers demand.
 *
 * <p>JSSE resumes a client session when a new socket reports the same peer host and port as
 * the cached one. Commons Net layers the data socket on the data port, so the session is never
 * found. Here the data connection is opened as a plain socket and layered by this class over a
 * {@link PeerNamedSocket} that reports the <em>control</em> connection's port: the same cache
 * entry, without reflection into JDK internals.
 *
 * <p>Two JSSE limits remain, both met by vsftpd: JSSE discards session tickets valid for more
 * than 7 days (vsftpd's are), so resumption needs session IDs, that is TLS 1.2 (enforced by
 * {@link FtpConnection}) and {@code -Djdk.tls.client.enableSessionTicketExtension=false} on
 * the JVM (a JVM-wide switch a library should not flip by itself).
 */
final class ReusingFtpsClient extends FTPSClient implements Pipelining, StreamedListing {

    private final SSLContext sslContext;
    private boolean privateData;

    ReusingFtpsClient(boolean implicit, SSLContext context) {
        super(implicit, context);
        this.sslContext = context;
    }

    /** PROT P: private data connections, layered by {@link #_openDataConnection_}. */
    void protectData() throws IOException {
        execPBSZ(0);
        execPROT("P");
        // execPROT installed an SSL socket factory; data sockets are layered below instead.
        setSocketFactory(null);
        privateData = true;
    }

    @Override
    public java.util.List<String> pipeline(java.util.List<String> commandLines) throws IOException {
        return Pipelining.run(this, _controlOutput_, commandLines);
    }

    @Override
    public void sendOnly(String commandLine) throws IOException {
        Pipelining.send(_controlOutput_, commandLine);
    }

    @Override
    public Socket openListing(FTPCmd command, String arg) throws IOException {
        return _openDataConnection_(command, command == FTPCmd.LIST ? getListArguments(arg) : arg);
    }

    @Override
    public void restoreReply(int code, java.util.List<String> lines) {
        _replyCode = code;
        _replyLines.clear();
        _replyLines.addAll(lines);
        _newReplyString = true;
    }

    @Override
    protected Socket _openDataConnection_(String command, String arg) throws IOException {
        Socket plain = super._openDataConnection_(command, arg);
        if (plain == null || !privateData || plain instanceof SSLSocket) {
            return plain;
        }
        try {
            SSLSocket ssl = (SSLSocket) sslContext.getSocketFactory()
                    .createSocket(new PeerNamedSocket(plain, getRemotePort()), _hostname_, getRemotePort(), true);
            ssl.setUseClientMode(true);
            String[] protocols = getEnabledProtocols();
            if (protocols != null) {
                ssl.setEnabledProtocols(protocols);
            }
            ssl.setEnableSessionCreation(true);
            ssl.startHandshake();
            return ssl;
        } catch (IOException e) {
            plain.close();
            throw e;
        }
    }
}
