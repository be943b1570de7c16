package dev.ferry.backend.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.Entry;
import dev.ferry.api.InsufficientStorageException;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.core.SyncTargets;
import dev.ferry.api.TransientSyncException;
import dev.ferry.api.WriteHints;
import dev.ferry.testkit.Listings;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockftpserver.core.command.CommandHandler;
import org.mockftpserver.core.command.CommandNames;
import org.mockftpserver.stub.StubFtpServer;
import org.mockftpserver.stub.command.ListCommandHandler;
import org.mockftpserver.stub.command.RetrCommandHandler;
import org.mockftpserver.stub.command.StorCommandHandler;
import org.mockftpserver.stub.command.SystCommandHandler;

/**
 * What real servers will not do on demand, with MockFtpServer: a disk-full reply, 421 in the
 * middle of a transfer, a reply that never comes, LIST lines in no known format.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FtpFaultTest {

    private static final String PASSWORD = dev.ferry.testkit.TestSecrets.secret("ftp-fault");

    private StubFtpServer server;

    @BeforeEach
    void start() {
        server = new StubFtpServer();
        server.setServerControlPort(0);
        SystCommandHandler syst = new SystCommandHandler();
        syst.setSystemName("UNIX Type: L8");
        server.setCommandHandler(CommandNames.SYST, syst);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private SyncTarget open(Map<String, String> extra) throws Exception {
        server.start();
        for (int i = 0; i < 200 && !server.isStarted(); i++) {
            Thread.sleep(10);
        }
        Map<String, String> o = new java.util.TreeMap<>(Map.of("user", "me", "password", PASSWORD, "timeout", "1s",
                "connectTimeout", "5s"));
        o.putAll(extra);
        return SyncTargets.load().open("ftp://me@127.0.0.1:" + server.getServerControlPort() + "/dir", o);
    }

    @Test
    void diskFullIsPermanentAndReportedAsSuch() throws Exception {
        StorCommandHandler stor = new StorCommandHandler();
        stor.setFinalReplyCode(452);
        stor.setFinalReplyText("Insufficient storage space");
        server.setCommandHandler(CommandNames.STOR, stor);
        try (SyncTarget t = open(Map.of())) {
            assertThatThrownBy(() -> t.write(SyncPath.of("photo.jpg"), new ByteArrayInputStream(new byte[5000]),
                    WriteHints.ofSize(5000)))
                    .isInstanceOf(InsufficientStorageException.class)
                    .hasMessageContaining("452")
                    .hasMessageContaining("photo.jpg")
                    .hasMessageNotContaining(PASSWORD);
        }
    }

    @Test
    void reply421MidTransferIsTransientAndTheNextOperationReconnects() throws Exception {
        RetrCommandHandler retr = new RetrCommandHandler();
        retr.setFileContents("only part of it");
        retr.setFinalReplyCode(421);
        retr.setFinalReplyText("Service not available, closing control connection");
        server.setCommandHandler(CommandNames.RETR, retr);
        StorCommandHandler stor = new StorCommandHandler();
        stor.setFinalReplyCode(421);
        server.setCommandHandler(CommandNames.STOR, stor);
        try (SyncTarget t = open(Map.of())) {
            assertThatThrownBy(() -> {
                try (var in = t.open(SyncPath.of("f.bin"), 0)) {
                    in.readAllBytes();
                }
            }).isInstanceOf(TransientSyncException.class);
            assertThatThrownBy(() -> t.write(SyncPath.of("g.bin"), new ByteArrayInputStream(new byte[100]),
                    WriteHints.ofSize(100))).isInstanceOf(TransientSyncException.class);
            // The dropped connection was not pooled: the next operation works on a fresh one.
            ListCommandHandler list = new ListCommandHandler();
            list.setDirectoryListing("-rw-r--r--   1 u g 5 Mar  4 05:06 ok.txt");
            server.setCommandHandler(CommandNames.LIST, list);
            assertThat(Listings.collect(t, SyncPath.ROOT).names()).containsExactly("ok.txt");
        }
    }

    @Test
    void aReplyThatNeverComesTimesOutAsTransient() throws Exception {
        CommandHandler silent = (command, session) -> {
            // never answers
        };
        server.setCommandHandler(CommandNames.MKD, silent);
        server.setCommandHandler(CommandNames.CWD, silent);
        try (SyncTarget t = open(Map.of())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> t.makeDirectories(SyncPath.of("a/b")))
                    .isInstanceOf(TransientSyncException.class)
                    .hasMessageContaining("timed out")
                    .hasMessageNotContaining(PASSWORD);
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(20);
        }
    }

    @Test
    void garbageListLinesAreReportedNotDropped() throws Exception {
        ListCommandHandler list = new ListCommandHandler();
        list.setDirectoryListing(String.join("\r\n",
                "total 3",
                "this is not a listing line at all",
                "-rw-r--r--   1 owner group   1234 Mar  4 05:06 good.txt",
                "drwxr-xr-x   2 owner group   4096 Mar  4 05:06 sub",
                "03-04-21  05:06AM                 77 windows.txt",
                "-rw-r--r--   1 owner group     10 Mar  4 05:06 .hidden",
                "-rw-r--r--   1 owner group      1 Mar  4 05:06 .ferry-abcdefghijkl.x.partial",
                "lrwxrwxrwx   1 owner group      4 Mar  4 05:06 link -> good.txt"));
        server.setCommandHandler(CommandNames.LIST, list);
        try (SyncTarget t = open(Map.of())) {
            Listings.Result r = Listings.collect(t, SyncPath.ROOT);
            assertThat(r.names()).containsExactlyInAnyOrder("good.txt", "sub", "windows.txt", ".hidden");
            Entry good = r.entry("good.txt").orElseThrow();
            assertThat(good.size()).isEqualTo(1234);
            assertThat(good.modTime()).isPresent();
            assertThat(good.modTimePrecision()).isEqualTo(java.time.Duration.ofMinutes(1));
            assertThat(r.entry("sub").orElseThrow().isDirectory()).isTrue();
            assertThat(r.notices()).anySatisfy(n -> {
                assertThat(n.reason()).isEqualTo(ListingNotice.Reason.UNREADABLE);
                assertThat(n.detail()).contains("this is not a listing line at all");
            });
            assertThat(r.notices()).anySatisfy(n -> assertThat(n.reason()).isEqualTo(ListingNotice.Reason.SYMLINK));
        }
    }

    @Test
    void wrongPasswordIsAnAuthenticationErrorWithoutThePassword() throws Exception {
        org.mockftpserver.stub.command.PassCommandHandler pass = new org.mockftpserver.stub.command.PassCommandHandler();
        pass.setReplyCode(530);
        server.setCommandHandler(CommandNames.PASS, pass);
        assertThatThrownBy(() -> open(Map.of()))
                .isInstanceOf(dev.ferry.api.AuthenticationException.class)
                .hasMessageContaining("me")
                .hasMessageNotContaining(PASSWORD);
    }

}
