package dev.ferry.backend.sftp;

import dev.ferry.api.AuthenticationException;
import dev.ferry.api.TransientSyncException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Up to {@code connections} SSH sessions to one server, each with one SFTP channel, opened when
 * needed and replaced when one drops. An SFTP channel carries many requests at once, so sessions
 * are shared, not borrowed: a transfer takes the session with the fewest transfers under way and
 * a new session opens only when every open one is busy (parallel transfers get their own windows
 * and cipher streams; a run that does one thing at a time keeps one session). Short requests
 * (stat, rename, mkdir) go to the least busy open session. Keep-alive requests run on every
 * session.
 */
final class Sessions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

    private final SftpOptions options;
    private final SshClient client;
    private final HostKeys hostKeys;
    private final List<KeyPair> keys;
    private final Slot[] slots;

    /** One session and its channel; replaced as a whole. */
    private static final class Slot {
        volatile ClientSession session;
        volatile SftpClient sftp;
        final AtomicInteger transfers = new AtomicInteger();

        boolean isOpen() {
            SftpClient c = sftp;
            ClientSession s = session;
            return c != null && s != null && c.isOpen() && s.isOpen();
        }
    }

    /** One transfer's hold on a session: counts it as busy until closed. */
    final class Lease implements AutoCloseable {
        final SftpClient sftp;
        private final Slot slot;
        private boolean closed;

        private Lease(SftpClient sftp, Slot slot) {
            this.sftp = sftp;
            this.slot = slot;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                slot.transfers.decrementAndGet();
            }
        }
    }

    private Sessions(SftpOptions options, SshClient client, HostKeys hostKeys, List<KeyPair> keys) {
        this.options = options;
        this.client = client;
        this.hostKeys = hostKeys;
        this.keys = keys;
        this.slots = new Slot[options.connections()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot();
        }
    }

    /** Sets up the client and opens the first session, so wrong credentials fail here. */
    static Sessions open(SftpOptions options) throws IOException {
        List<KeyPair> keys = loadKeys(options);
        HostKeys hostKeys = new HostKeys(options.host(), options.port(), options.knownHosts(), options.hostKey());
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(hostKeys);
        client.setCipherFactories(fastCiphersFirst(client.getCipherFactories()));
        client.setKeyExchangeFactories(classicKexFirst(client.getKeyExchangeFactories()));
        if (!options.keepAlive().isZero()) {
            CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, options.keepAlive());
            CoreModuleProperties.HEARTBEAT_REQUEST.set(client, "keepalive@openssh.com");
            CoreModuleProperties.HEARTBEAT_REPLY_WAIT.set(client, options.timeout());
        }
        CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ofHours(1));
        options.agentSocket().ifPresent(socket -> client.setAgentFactory(new UnixAgent.Factory(socket)));
        client.start();
        Sessions s = new Sessions(options, client, hostKeys, keys);
        try {
            s.channel(0);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** An SFTP channel for a short request: the least busy open session's (shared with other threads). */
    SftpClient sftp() throws IOException {
        return channel(leastBusyOpen());
    }

    /** A request that changes nothing on the server (a stat), so running it twice is harmless. */
    interface Idempotent<T> {
        T run(SftpClient sftp) throws IOException;
    }

    /** What an idempotent first request returned, and the channel it ran on (for the requests after it). */
    record Answered<T>(SftpClient sftp, T value) {}

    /**
     * Runs {@code request} on a channel for short requests. A pooled session can have been closed
     * by the server a moment ago without the client having seen it yet; the request then fails
     * at the connection, that session is dropped, and the request runs once more on a new one.
     */
    <T> Answered<T> idempotent(Idempotent<T> request) throws IOException {
        SftpClient sftp = sftp();
        try {
            return new Answered<>(sftp, request.run(sftp));
        } catch (IOException e) {
            if (!SftpErrors.connectionClosed(e) && sftp.isOpen()) {
                throw e;
            }
            LOG.debug("{}: a pooled session had dropped ({}); once more on a new one", options.description(), e.toString());
            drop(sftp);
            SftpClient fresh = sftp();
            return new Answered<>(fresh, request.run(fresh));
        }
    }

    /** Closes the session {@code broken} belongs to, so the next request opens a new one. */
    private void drop(SftpClient broken) {
        for (Slot slot : slots) {
            synchronized (slot) {
                if (slot.sftp == broken) {
                    closeQuietly(slot);
                }
            }
        }
    }

    /** An SSH session to run a command on: the least busy open one. */
    ClientSession session() throws IOException {
        int i = leastBusyOpen();
        channel(i);
        return slots[i].session;
    }

    /**
     * A session for a transfer: the open one with the fewest transfers under way, or a new one
     * when all open ones are busy and the limit allows.
     */
    Lease transfer() throws IOException {
        int chosen;
        synchronized (slots) {
            chosen = leastBusyOpen();
            if (slots[chosen].transfers.get() > 0 || !slots[chosen].isOpen()) {
                for (int i = 0; i < slots.length; i++) {
                    if (!slots[i].isOpen()) {
                        chosen = i;
                        break;
                    }
                }
            }
            slots[chosen].transfers.incrementAndGet();
        }
        try {
            return new Lease(channel(chosen), slots[chosen]);
        } catch (IOException | RuntimeException e) {
            slots[chosen].transfers.decrementAndGet();
            throw e;
        }
    }

    private int leastBusyOpen() {
        int best = -1;
        for (int i = 0; i < slots.length; i++) {
            if (slots[i].isOpen() && (best < 0 || slots[i].transfers.get() < slots[best].transfers.get())) {
                best = i;
            }
        }
        return best < 0 ? 0 : best;
    }

    /** The channel of the first session (for the one-time probes). */
    SftpClient first() throws IOException {
        return channel(0);
    }

    private SftpClient channel(int i) throws IOException {
        Slot slot = slots[i];
        synchronized (slot) {
            if (slot.sftp != null && slot.sftp.isOpen() && slot.session.isOpen()) {
                return slot.sftp;
            }
            if (slot.session != null) {
                closeQuietly(slot);
            }
            slot.session = connect();
            try {
                slot.sftp = SftpClientFactory.instance().createSftpClient(slot.session);
            } catch (IOException e) {
                closeQuietly(slot);
                throw SftpErrors.io(e, "start SFTP on " + options.description());
            }
            return slot.sftp;
        }
    }

    private ClientSession connect() throws IOException {
        ClientSession session = null;
        String where = options.description();
        try {
            session = client.connect(options.user(), options.host(), options.port())
                    .verify(options.connectTimeout()).getSession();
            options.password().ifPresent(session::addPasswordIdentity);
            keys.forEach(session::addPublicKeyIdentity);
            session.auth().verify(options.connectTimeout());
            return session;
        } catch (IOException | RuntimeException e) {
            if (session != null) {
                session.close(true);
            }
            if (hostKeys.refusal().isPresent()) {
                throw new AuthenticationException("cannot connect to " + where + ": " + hostKeys.refusal().get(), e);
            }
            String m = String.valueOf(e.getMessage());
            if (m.contains("No more authentication methods") || m.contains("authentication")) {
                throw new AuthenticationException("cannot log in to " + where + " as '" + options.user() + "': the server "
                        + "refused " + methods() + ". Check the user, password or key", e);
            }
            if (m.contains("Connection refused")) {
                throw new TransientSyncException("cannot connect to " + where + ": connection refused (is sshd running "
                        + "on port " + options.port() + "?)", e);
            }
            if (e instanceof IOException io) {
                throw SftpErrors.io(io, "connect to " + where);
            }
            throw new TransientSyncException("cannot connect to " + where + ": " + m, e);
        }
    }

    private String methods() {
        List<String> m = new ArrayList<>();
        options.password().ifPresent(p -> m.add("the password"));
        if (!keys.isEmpty()) {
            m.add(keys.size() == 1 ? "the key" : keys.size() + " keys");
        }
        if (options.agentSocket().isPresent()) {
            m.add("the agent's keys");
        }
        return m.isEmpty() ? "every method (no password, key file or agent was given)" : String.join(", ", m);
    }

    /**
     * The key file given, or where none is given and no password either, the default keys of
     * the current user ({@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa}) that need no
     * passphrase.
     */
    private static List<KeyPair> loadKeys(SftpOptions options) throws IOException {
        List<KeyPair> keys = new ArrayList<>();
        if (options.keyFile().isPresent()) {
            Path file = options.keyFile().get();
            if (!Files.isReadable(file)) {
                throw new AuthenticationException("cannot log in to " + options.description() + ": the key file " + file
                        + (Files.exists(file) ? " cannot be read" : " does not exist"));
            }
            FilePasswordProvider pass = options.passphrase().isPresent()
                    ? FilePasswordProvider.of(options.passphrase().get()) : FilePasswordProvider.EMPTY;
            try (InputStream in = Files.newInputStream(file)) {
                Iterable<KeyPair> read = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()), in, pass);
                if (read != null) {
                    read.forEach(keys::add);
                }
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new AuthenticationException("cannot read the key file " + file + ": "
                        + (options.passphrase().isPresent() ? "wrong passphrase, or not a private key"
                        : "it needs a passphrase (option passphrase), or is not a private key"), e);
            } catch (IOException e) {
                // A wrong passphrase shows as mismatched check values or a padding error: never repeat the passphrase.
                throw new AuthenticationException("cannot read the key file " + file + ": "
                        + (options.passphrase().isPresent() ? "wrong passphrase, or not a private key"
                        : "it needs a passphrase (option passphrase), or is not a private key"), e);
            }
            if (keys.isEmpty()) {
                throw new AuthenticationException("the key file " + file + " holds no private key");
            }
        } else if (options.password().isEmpty()) {
            for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
                Path f = Path.of(System.getProperty("user.home"), ".ssh", name);
                if (Files.isReadable(f)) {
                    try (InputStream in = Files.newInputStream(f)) {
                        Iterable<KeyPair> read = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(f.toString()), in,
                                FilePasswordProvider.EMPTY);
                        if (read != null) {
                            read.forEach(keys::add);
                        }
                    } catch (IOException | GeneralSecurityException | RuntimeException e) {
                        LOG.debug("default key {} not used: {}", f, e.toString());
                    }
                }
            }
        }
        return keys;
    }

    /** AES-CTR and AES-GCM use the JDK's AES instructions; ChaCha20 in Java is several times slower. */
    private static List<NamedFactory<Cipher>> fastCiphersFirst(List<NamedFactory<Cipher>> offered) {
        List<NamedFactory<Cipher>> l = new ArrayList<>(offered);
        l.sort(Comparator.comparingInt(f -> f.getName().startsWith("aes128-ctr") ? 0
                : f.getName().startsWith("aes") ? 1 : 2));
        return l;
    }

    /**
     * curve25519 before the post-quantum hybrids: OpenSSH 9 agrees on sntrup761x25519 when offered,
     * and BouncyCastle's sntrup761 in a JVM that has just started costs seconds of CPU per session
     * (measured: a no-op CLI sync of 2 files took 15 s, ~1 s of it the sync; jstack showed the
     * handshakes in SNTRUPrimeKEMExtractor). The hybrids stay offered for servers that need them.
     */
    static List<KeyExchangeFactory> classicKexFirst(
            List<KeyExchangeFactory> offered) {
        List<KeyExchangeFactory> l = new ArrayList<>(offered);
        l.sort(Comparator.comparingInt(f -> f.getName().contains("sntrup") || f.getName().contains("mlkem") ? 1 : 0));
        return l;
    }

    private static void closeQuietly(Slot slot) {
        try {
            if (slot.sftp != null) {
                slot.sftp.close();
            }
        } catch (IOException | RuntimeException e) {
            // closing a dead channel
        }
        if (slot.session != null) {
            slot.session.close(true);
        }
        slot.sftp = null;
        slot.session = null;
    }

    @Override
    public void close() {
        for (Slot slot : slots) {
            synchronized (slot) {
                closeQuietly(slot);
            }
        }
        client.stop();
    }
}
