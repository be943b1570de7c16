package dev.ferry.backend.sftp;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * The SSH agent at {@code SSH_AUTH_SOCK}, spoken to over the JDK's own Unix-domain sockets
 * (MINA's own agent client needs the native Tomcat APR library). One connection per request
 * exchange; the agent signs, the private keys never leave it.
 */
final class UnixAgent extends AbstractAgentProxy {

    private static final int MAX_REPLY = 256 * 1024;
    private final UnixDomainSocketAddress address;

    UnixAgent(String socket) {
        super(null);
        this.address = UnixDomainSocketAddress.of(socket);
    }

    private volatile boolean open = true;

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        open = false;
        super.close();
    }

    @Override
    protected synchronized Buffer request(Buffer buffer) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(address);
            ch.write(ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available()));
            ByteBuffer len = readFully(ch, 4);
            int n = len.getInt();
            if (n <= 0 || n > MAX_REPLY) {
                throw new IOException("the SSH agent sent a reply of " + n + " bytes");
            }
            ByteBuffer body = readFully(ch, n);
            return new ByteArrayBuffer(body.array());
        } catch (IOException e) {
            throw new IOException("SSH agent at " + address.getPath() + ": " + e.getMessage(), e);
        }
    }

    private static ByteBuffer readFully(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("the agent closed the connection");
            }
        }
        b.flip();
        return b;
    }

    /** Gives every session a client of the agent at one socket. */
    static final class Factory implements SshAgentFactory {
        private final String socket;

        Factory(String socket) {
            this.socket = socket;
        }

        @Override
        public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
            return List.of(); // no agent forwarding
        }

        @Override
        public SshAgent createClient(Session session, FactoryManager manager) {
            return new UnixAgent(socket);
        }

        @Override
        public SshAgentServer createServer(ConnectionService service) {
            throw new UnsupportedOperationException("agent forwarding is not offered");
        }
    }
}
