package dev.ferry.backend.sftp;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;

/**
 * Checks the server's host key as OpenSSH does with {@code StrictHostKeyChecking yes}: a key
 * listed for the host in {@code known_hosts} (hashed names and {@code [host]:port} entries
 * included) is accepted; a host listed with another key of the same type is refused, always
 * (someone may be in the middle); an unknown host is refused unless its fingerprint was given as
 * {@code hostKey=SHA256:...}. The refusal says why and which option accepts the key; it is read
 * by {@link #refusal()} after the failed connection.
 */
final class HostKeys implements ServerKeyVerifier {

    private final String host;
    private final int port;
    private final Path knownHosts;
    private final Optional<String> acceptedFingerprint;
    private final AtomicReference<String> refusal = new AtomicReference<>();

    HostKeys(String host, int port, Path knownHosts, Optional<String> acceptedFingerprint) {
        this.host = host;
        this.port = port;
        this.knownHosts = knownHosts;
        this.acceptedFingerprint = acceptedFingerprint;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
        String fingerprint = KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
        String type = KeyUtils.getKeyType(key);
        String where = port == 22 ? host : "[" + host + "]:" + port;
        List<KnownHostEntry> entries;
        try {
            entries = Files.exists(knownHosts) ? KnownHostEntry.readKnownHostEntries(knownHosts) : List.of();
        } catch (IOException | RuntimeException e) {
            refusal.set("the host key of " + where + " cannot be checked: known_hosts file " + knownHosts
                    + " is unreadable (" + e.getMessage() + ")");
            return false;
        }
        boolean changed = false;
        for (KnownHostEntry e : entries) {
            if (e.getKeyEntry() == null || !e.isHostMatch(host, port)) {
                continue;
            }
            PublicKey listed;
            try {
                listed = e.getKeyEntry().resolvePublicKey(session, PublicKeyEntryResolver.IGNORING);
            } catch (IOException | GeneralSecurityException | RuntimeException ex) {
                continue; // a key type this client cannot read: not a match, not a change
            }
            if (listed == null) {
                continue;
            }
            boolean same = KeyUtils.compareKeys(listed, key);
            if ("@revoked".equals(e.getMarker())) {
                if (same) {
                    refusal.set("the host key of " + where + " (" + fingerprint + ") is marked @revoked in " + knownHosts);
                    return false;
                }
                continue;
            }
            if (e.getMarker() != null) {
                continue; // @cert-authority: certificates are not used here
            }
            if (same) {
                return true;
            }
            if (type.equals(KeyUtils.getKeyType(listed))) {
                changed = true;
            }
        }
        if (changed) {
            refusal.set("the host key of " + where + " has CHANGED: it is now " + type + " " + fingerprint + ", and "
                    + knownHosts + " lists another " + type + " key for it. Someone may be intercepting the "
                    + "connection; if the server's key was really replaced, remove its old line from " + knownHosts
                    + " (ssh-keygen -R '" + where + "'). Refused.");
            return false;
        }
        if (acceptedFingerprint.isPresent()) {
            if (acceptedFingerprint.get().replaceAll("=+$", "").equals(fingerprint.replaceAll("=+$", ""))) {
                return true;
            }
            refusal.set("the host key of " + where + " is " + type + " " + fingerprint + ", not the " + acceptedFingerprint.get()
                    + " given as hostKey=; refused");
            return false;
        }
        refusal.set("the host key of " + where + " is not known: " + type + " " + fingerprint + " is not in " + knownHosts
                + ". If that is the server's key, accept it with the option hostKey=" + fingerprint
                + " (or add it to known_hosts: ssh-keyscan -p " + port + " " + host + "). Refused.");
        return false;
    }

    /** Why the last key was refused, if one was. */
    Optional<String> refusal() {
        return Optional.ofNullable(refusal.get());
    }
}
