package dev.ferry.backend.sftp;

import java.io.IOException;
import java.io.PrintStream;

/**
 * {@link TestSshd} as a process of its own, for the bench's {@code --target sftp} (whose harness
 * links only the JDK): starts the server, prints one {@code key=value} line per fact and then
 * {@code ready}, and stops the server (its shutdown hook) when standard input closes.
 */
public final class TestSshdMain {

    private TestSshdMain() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        PrintStream out = System.out;
        TestSshd sshd = TestSshd.shared();
        if (sshd == null) {
            out.println("error=OpenSSH's server is not installed (/usr/sbin/sshd): apt-get install -y openssh-server");
            out.flush();
            System.exit(2);
        }
        out.println("port=" + sshd.port);
        out.println("user=" + sshd.user);
        out.println("clientKey=" + sshd.clientKey);
        out.println("knownHosts=" + sshd.knownHosts);
        out.println("pid=" + sshd.pid());
        out.println("ready");
        out.flush();
        while (System.in.read() >= 0) {
            // runs until the bench closes our standard input (or ends us)
        }
        System.exit(0);
    }
}
