package dev.ferry.backend.support;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A client-side trust manager that decides a server's certificate chain by one check (a pinned
 * certificate, a pinned SHA-256) and refuses to judge clients. It is an extended trust manager
 * so the JDK does not add its own host-name check on top: the pin is the proof of identity.
 */
public final class ServerTrust extends X509ExtendedTrustManager {

    /** Decides a server's chain; throws to refuse it. */
    @FunctionalInterface
    public interface ChainCheck {
        /** Accepts {@code chain} (the server's first) or throws, saying why. */
        void check(X509Certificate[] chain) throws CertificateException;
    }

    private final ChainCheck check;

    /** A trust manager deciding by {@code check}. */
    public ServerTrust(ChainCheck check) {
        this.check = check;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check.check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check.check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check.check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("not a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
