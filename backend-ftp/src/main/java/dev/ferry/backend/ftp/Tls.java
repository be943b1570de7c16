package dev.ferry.backend.ftp;

import dev.ferry.backend.support.ServerTrust;
import dev.ferry.backend.support.TlsTrust;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** The TLS context of a target: the JDK trust store by default, a pinned certificate, or (explicitly) anything. */
final class Tls {

    private Tls() {}

    /**
     * Makes one TLS context per control connection from one trust decision. Each connection
     * needs its own context: JSSE caches client sessions per context by server host and port,
     * which all connections to one server share, while a server that demands session reuse
     * wants each data connection to resume its own control connection's session.
     */
    static final class Contexts {
        private final TrustManager trust;

        Contexts(FtpOptions options) throws GeneralSecurityException {
            this.trust = trustManager(options);
        }

        SSLContext next() throws GeneralSecurityException {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {trust}, null);
            return ctx;
        }
    }

    static SSLContext context(FtpOptions options) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {trustManager(options)}, null);
        return ctx;
    }

    private static TrustManager trustManager(FtpOptions options) throws GeneralSecurityException {
        TrustManager tm;
        if (options.pinnedSha256().isPresent()) {
            tm = pinned(options.pinnedSha256().get());
        } else if (options.trustAll()) {
            tm = pinned(null);
        } else {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init((KeyStore) null);
            tm = f.getTrustManagers()[0];
        }
        return tm;
    }

    /** Whether host names are checked against the certificate (only when the trust store decides). */
    static boolean verifiesHostName(FtpOptions options) {
        return options.pinnedSha256().isEmpty() && !options.trustAll();
    }

    /** Accepts the one certificate whose SHA-256 is {@code pin}, or any when {@code pin} is null. */
    static ServerTrust pinned(byte[] pin) {
        return pin == null ? new ServerTrust(chain -> { }) : TlsTrust.pinned(pin);
    }
}
