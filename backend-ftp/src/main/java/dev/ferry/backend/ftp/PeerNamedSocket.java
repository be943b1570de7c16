package dev.ferry.backend.ftp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * A connected socket that reports another peer port. JSSE keys its client session cache by the
 * peer host and the port the underlying socket reports (not the port passed to
 * {@code createSocket}); a data socket that reports the control connection's port therefore
 * finds and resumes the control connection's TLS session. Everything else is the real socket's.
 */
final class PeerNamedSocket extends Socket {
    private final Socket s;
    private final int reportedPort;

    PeerNamedSocket(Socket s, int reportedPort) {
        this.s = s;
        this.reportedPort = reportedPort;
    }

    @Override public int getPort() { return reportedPort; }
    @Override public InputStream getInputStream() throws IOException { return s.getInputStream(); }
    @Override public OutputStream getOutputStream() throws IOException { return s.getOutputStream(); }
    @Override public synchronized void close() throws IOException { s.close(); }
    @Override public boolean isConnected() { return s.isConnected(); }
    @Override public boolean isBound() { return s.isBound(); }
    @Override public boolean isClosed() { return s.isClosed(); }
    @Override public boolean isInputShutdown() { return s.isInputShutdown(); }
    @Override public boolean isOutputShutdown() { return s.isOutputShutdown(); }
    @Override public void shutdownInput() throws IOException { s.shutdownInput(); }
    @Override public void shutdownOutput() throws IOException { s.shutdownOutput(); }
    @Override public InetAddress getInetAddress() { return s.getInetAddress(); }
    @Override public InetAddress getLocalAddress() { return s.getLocalAddress(); }
    @Override public int getLocalPort() { return s.getLocalPort(); }
    @Override public SocketAddress getRemoteSocketAddress() { return s.getRemoteSocketAddress(); }
    @Override public SocketAddress getLocalSocketAddress() { return s.getLocalSocketAddress(); }
    @Override public synchronized void setSoTimeout(int timeout) throws SocketException { s.setSoTimeout(timeout); }
    @Override public synchronized int getSoTimeout() throws SocketException { return s.getSoTimeout(); }
    @Override public void setTcpNoDelay(boolean on) throws SocketException { s.setTcpNoDelay(on); }
    @Override public boolean getTcpNoDelay() throws SocketException { return s.getTcpNoDelay(); }
    @Override public void setSoLinger(boolean on, int linger) throws SocketException { s.setSoLinger(on, linger); }
    @Override public int getSoLinger() throws SocketException { return s.getSoLinger(); }
    @Override public synchronized void setSendBufferSize(int size) throws SocketException { s.setSendBufferSize(size); }
    @Override public synchronized int getSendBufferSize() throws SocketException { return s.getSendBufferSize(); }
    @Override public synchronized void setReceiveBufferSize(int size) throws SocketException { s.setReceiveBufferSize(size); }
    @Override public synchronized int getReceiveBufferSize() throws SocketException { return s.getReceiveBufferSize(); }
    @Override public void setKeepAlive(boolean on) throws SocketException { s.setKeepAlive(on); }
    @Override public boolean getKeepAlive() throws SocketException { return s.getKeepAlive(); }
    @Override public String toString() { return "PeerNamedSocket[" + s + " as port " + reportedPort + "]"; }
}
