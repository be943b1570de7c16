package dev.ferry.backend.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.Entry;
import dev.ferry.api.PreconditionFailedException;
import dev.ferry.api.ResumableWriter;
import dev.ferry.api.SyncPath;
import dev.ferry.api.SyncTarget;
import dev.ferry.api.WriteHints;
import dev.ferry.api.WriteHints.Precondition;
import dev.ferry.backend.support.ConflictNames;
import dev.ferry.backend.support.TemporaryNames;
import dev.ferry.core.SyncTargets;
import dev.ferry.testkit.Listings;
import dev.ferry.testkit.TestContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The write-path race ("two-way safety", item 1) on the real servers: while a conditional write
 * sends its content, the user changes the destination through a second target (its own
 * connections), driven by the content stream itself when half of it has been read, never by
 * sleeping. The user's file must survive at its path, the write must fail with
 * {@link PreconditionFailedException}, and no temporary or aside file may be left. A write whose
 * condition still holds succeeds as before. On Apache FtpServer (MLST) and vsftpd (SIZE + MDTM,
 * LIST listings to the minute).
 */
class FtpWriteRaceTest {

    private static final int SIZE = 1 << 20;
    private static final Instant OLD_TIME = Instant.parse("2020-05-06T07:08:09Z");

    /** Where a test writes: its target, a second one on its own connections, and the server's disk. */
    record Scene(SyncTarget t, SyncTarget user, Path onDisk) implements AutoCloseable {
        static Scene of(String server) throws Exception {
            FtpResumeTest.Place p = FtpResumeTest.place(FtpResumeTest.server(server));
            SyncTarget t = p.open();
            t.makeDirectories(SyncPath.ROOT);
            return new Scene(t, p.open(), p.onDisk());
        }

        /** What the user does: a plain write of their own. */
        void userWrites(String path, byte[] bytes) throws IOException {
            user.write(SyncPath.of(path), new ByteArrayInputStream(bytes), WriteHints.ofSize(bytes.length));
        }

        /** The file as this target's listing shows it, as the engine's plan would see it. */
        Entry listed(String name) throws IOException {
            return Listings.collect(t, SyncPath.ROOT).entry(name).orElseThrow();
        }

        /** Nothing but these names, in the listing and on the server's disk (no temporary, no aside file). */
        void holdsExactly(String... names) throws IOException {
            assertThat(Listings.collect(t, SyncPath.ROOT).names()).containsExactlyInAnyOrder(names);
            try (Stream<Path> files = Files.list(onDisk)) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .as("on the server's disk: no temporary or aside file left")
                        .containsExactlyInAnyOrder(names);
            }
        }

        @Override
        public void close() throws IOException {
            try (user) {
                t.close();
            }
        }
    }

    private static WriteHints hints(Precondition pre) {
        return new WriteHints(SIZE, Optional.of(Instant.parse("2022-01-02T03:04:05Z")), Map.of(), pre);
    }

    @ParameterizedTest
    @ValueSource(strings = {"apache", "vsftpd"})
    void aUserEditDuringTheUploadIsKeptAndTheWriteFails(String server) throws Exception {
        try (Scene s = Scene.of(server)) {
            s.t.write(SyncPath.of("x.txt"), new ByteArrayInputStream(new byte[10]),
                    new WriteHints(10, Optional.of(OLD_TIME), Map.of(), Precondition.NONE));
            Entry listed = s.listed("x.txt");
            byte[] ours = TestContent.bytes(1, SIZE);
            byte[] users = "the user's edit, made while the upload ran".getBytes();
            InputStream content = TestContent.halfwayThen(ours, () -> s.userWrites("x.txt", users));

            assertThatThrownBy(() -> s.t.write(SyncPath.of("x.txt"), content, hints(Precondition.unchanged(listed))))
                    .isInstanceOf(PreconditionFailedException.class)
                    .hasMessageContaining("'x.txt'").hasMessageContaining("user's version was kept");
            assertThat(Files.readAllBytes(s.onDisk.resolve("x.txt"))).isEqualTo(users);
            s.holdsExactly("x.txt");
        }
    }

    /** Same size, same minute as the listing saw on vsftpd is not tellable; an older time is. */
    @ParameterizedTest
    @ValueSource(strings = {"apache", "vsftpd"})
    void aSameSizeEditIsToldByItsTime(String server) throws Exception {
        try (Scene s = Scene.of(server)) {
            s.t.write(SyncPath.of("x.txt"), new ByteArrayInputStream(new byte[10]),
                    new WriteHints(10, Optional.of(OLD_TIME), Map.of(), Precondition.NONE));
            Entry listed = s.listed("x.txt");
            byte[] users = "0123456789".getBytes();
            InputStream content = TestContent.halfwayThen(TestContent.bytes(2, SIZE), () -> s.userWrites("x.txt", users));

            assertThatThrownBy(() -> s.t.write(SyncPath.of("x.txt"), content, hints(Precondition.unchanged(listed))))
                    .isInstanceOf(PreconditionFailedException.class);
            assertThat(Files.readAllBytes(s.onDisk.resolve("x.txt"))).isEqualTo(users);
            s.holdsExactly("x.txt");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"apache", "vsftpd"})
    void aFileDeletedDuringTheUploadStaysDeleted(String server) throws Exception {
        try (Scene s = Scene.of(server)) {
            s.t.write(SyncPath.of("x.txt"), new ByteArrayInputStream(new byte[10]), WriteHints.ofSize(10));
            Entry listed = s.listed("x.txt");
            InputStream content = TestContent.halfwayThen(TestContent.bytes(3, SIZE), () -> s.user.delete(SyncPath.of("x.txt")));

            assertThatThrownBy(() -> s.t.write(SyncPath.of("x.txt"), content, hints(Precondition.unchanged(listed))))
                    .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("deleted");
            s.holdsExactly();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"apache", "vsftpd"})
    void anUnchangedFileIsReplacedAsBefore(String server) throws Exception {
        try (Scene s = Scene.of(server)) {
            // A time recent enough for vsftpd's LIST to show only the minute.
            s.t.write(SyncPath.of("x.txt"), new ByteArrayInputStream(new byte[10]), WriteHints.ofSize(10));
            Entry listed = s.listed("x.txt");
            byte[] ours = TestContent.bytes(4, SIZE);

            Entry e = s.t.write(SyncPath.of("x.txt"), new ByteArrayInputStream(ours), hints(Precondition.unchanged(listed)));
            assertThat(e.size()).isEqualTo(SIZE);
            assertThat(Files.readAllBytes(s.onDisk.resolve("x.txt"))).isEqualTo(ours);
            assertThat(s.t.stat(SyncPath.of("x.txt")).orElseThrow().modTime()).isEqualTo(hints(Precondition.NONE).modTime());
            s.holdsExactly("x.txt");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"apache", "vsftpd"})
    void aFileCreatedDuringACreateOnlyWriteIsKept(String server) throws Exception {
        try (Scene s = Scene.of(server)) {
            byte[] users = "created by the user meanwhile".getBytes();
            InputStream content = TestContent.halfwayThen(TestContent.bytes(5, SIZE), () -> s.userWrites("new.txt", users));

            assertThatThrownBy(() -> s.t.write(SyncPath.of("new.txt"), content, hints(Precondition.absent())))
                    .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("'new.txt'");
            assertThat(Files.readAllBytes(s.onDisk.resolve("new.txt"))).isEqualTo(users);
            s.holdsExactly("new.txt");

            byte[] ours = TestContent.bytes(6, SIZE);
            s.t.write(SyncPath.of("other.txt"), new ByteArrayInputStream(ours), hints(Precondition.absent()));
            assertThat(Files.readAllBytes(s.onDisk.resolve("other.txt"))).isEqualTo(ours);
            s.holdsExactly("new.txt", "other.txt");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"apache", "vsftpd"})
    void aResumableWriteChecksAtComplete(String server) throws Exception {
        try (Scene s = Scene.of(server)) {
            s.t.write(SyncPath.of("big.bin"), new ByteArrayInputStream(new byte[10]),
                    new WriteHints(10, Optional.of(OLD_TIME), Map.of(), Precondition.NONE));
            Entry listed = s.listed("big.bin");
            ResumableWriter rw = s.t.ability(ResumableWriter.class).orElseThrow();
            byte[] users = "the user's big edit".getBytes();

            ResumableWriter.PartialWrite w = rw.begin(SyncPath.of("big.bin"), hints(Precondition.unchanged(listed)));
            w.append(TestContent.halfwayThen(TestContent.bytes(7, SIZE), () -> s.userWrites("big.bin", users)));
            assertThatThrownBy(w::complete).isInstanceOf(PreconditionFailedException.class)
                    .hasMessageContaining("user's version was kept");
            assertThat(Files.readAllBytes(s.onDisk.resolve("big.bin"))).isEqualTo(users);
            s.holdsExactly("big.bin");

            // Nobody interferes: the same kind of write goes through.
            Entry now = s.listed("big.bin");
            byte[] ours = TestContent.bytes(8, SIZE);
            ResumableWriter.PartialWrite again = rw.begin(SyncPath.of("big.bin"), hints(Precondition.unchanged(now)));
            again.append(new ByteArrayInputStream(ours));
            assertThat(again.complete().size()).isEqualTo(SIZE);
            assertThat(Files.readAllBytes(s.onDisk.resolve("big.bin"))).isEqualTo(ours);
            s.holdsExactly("big.bin");

            // Create-only, and a file appears before complete().
            ResumableWriter.PartialWrite fresh = rw.begin(SyncPath.of("new.bin"), hints(Precondition.absent()));
            fresh.append(TestContent.halfwayThen(TestContent.bytes(9, SIZE), () -> s.userWrites("new.bin", users)));
            assertThatThrownBy(fresh::complete).isInstanceOf(PreconditionFailedException.class);
            assertThat(Files.readAllBytes(s.onDisk.resolve("new.bin"))).isEqualTo(users);
            s.holdsExactly("big.bin", "new.bin");
        }
    }

    /**
     * The file reappears between the take-aside and the final rename (a server-side hook after
     * the RNTO that takes it aside): the new file stays at the path, the version the plan saw is
     * kept under a conflict name, the new content is dropped.
     */
    @Test
    void aFileThatTakesThePathAfterTheTakeAsideIsKeptAndSoIsTheOldOne() throws Exception {
        AtomicReference<Path> root = new AtomicReference<>();
        byte[] users = "written between the take-aside and the rename".getBytes();
        DefaultFtplet hook = new DefaultFtplet() {
            @Override
            public FtpletResult afterCommand(org.apache.ftpserver.ftplet.FtpSession session, FtpRequest request, FtpReply reply) {
                if (request.getCommand().equals("RNFR")) {
                    session.setAttribute("rnfr", request.getArgument());
                } else if (request.getCommand().equals("RNTO") && reply.getCode() / 100 == 2) {
                    String from = (String) session.getAttribute("rnfr");
                    String to = request.getArgument();
                    if (from != null && from.endsWith("/x.txt") && TemporaryNames.isAside(name(to))) {
                        try {
                            Files.write(root.get().resolve(from.substring(1)), users);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
                return FtpletResult.DEFAULT;
            }
        };
        TestServers.Server server = TestServers.apacheWithFtplet(hook);
        root.set(server.root());
        try (SyncTarget t = server.freshTarget(Map.of())) {
            t.write(SyncPath.of("x.txt"), new ByteArrayInputStream(new byte[10]), WriteHints.ofSize(10));
            String dir = t.description().substring(t.description().lastIndexOf('/') + 1);
            Path onDisk = server.root().resolve(dir);
            Entry listed = Listings.collect(t, SyncPath.ROOT).entry("x.txt").orElseThrow();

            assertThatThrownBy(() -> t.write(SyncPath.of("x.txt"), new ByteArrayInputStream(TestContent.bytes(10, SIZE)),
                    hints(Precondition.unchanged(listed))))
                    .isInstanceOf(PreconditionFailedException.class).hasMessageContaining(".sync-conflict-");
            assertThat(Files.readAllBytes(onDisk.resolve("x.txt"))).isEqualTo(users);
            List<String> names = Listings.collect(t, SyncPath.ROOT).names();
            assertThat(names).hasSize(2).contains("x.txt");
            String conflict = names.stream().filter(n -> !n.equals("x.txt")).findFirst().orElseThrow();
            assertThat(ConflictNames.pattern("x.txt").matcher(conflict).matches()).as(conflict).isTrue();
            assertThat(Files.readAllBytes(onDisk.resolve(conflict))).isEqualTo(new byte[10]);
            try (Stream<Path> files = Files.list(onDisk)) {
                assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("x.txt", conflict);
            }
        }
    }

    /**
     * A file takes the path in the last window, after the check that the path is free and before
     * the final RNTO (a server-side hook after that MLST): Apache FtpServer refuses RNTO onto a
     * file, so the write notices, keeps the new file and the version the plan saw (under a
     * conflict name), and fails as a precondition.
     */
    @Test
    void onApacheFtpServerAFileThatTakesThePathJustBeforeTheRenameIsKept() throws Exception {
        AtomicReference<Path> root = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean asideTaken = new java.util.concurrent.atomic.AtomicBoolean();
        byte[] users = "written just before the final rename".getBytes();
        DefaultFtplet hook = new DefaultFtplet() {
            @Override
            public FtpletResult afterCommand(org.apache.ftpserver.ftplet.FtpSession session, FtpRequest request, FtpReply reply) {
                String arg = request.getArgument();
                if (request.getCommand().equals("RNTO") && arg != null && TemporaryNames.isAside(name(arg))) {
                    asideTaken.set(true);
                } else if (request.getCommand().equals("MLST") && arg != null && arg.endsWith("/x.txt")
                        && asideTaken.compareAndSet(true, false)) {
                    try {
                        Files.write(root.get().resolve(arg.substring(1)), users);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return FtpletResult.DEFAULT;
            }
        };
        TestServers.Server server = TestServers.apacheWithFtplet(hook);
        root.set(server.root());
        try (SyncTarget t = server.freshTarget(Map.of())) {
            t.write(SyncPath.of("x.txt"), new ByteArrayInputStream(new byte[10]), WriteHints.ofSize(10));
            String dir = t.description().substring(t.description().lastIndexOf('/') + 1);
            Path onDisk = server.root().resolve(dir);
            Entry listed = Listings.collect(t, SyncPath.ROOT).entry("x.txt").orElseThrow();

            assertThatThrownBy(() -> t.write(SyncPath.of("x.txt"), new ByteArrayInputStream(TestContent.bytes(12, SIZE)),
                    hints(Precondition.unchanged(listed))))
                    .isInstanceOf(PreconditionFailedException.class).hasMessageContaining(".sync-conflict-");
            assertThat(Files.readAllBytes(onDisk.resolve("x.txt"))).isEqualTo(users);
            List<String> names = Listings.collect(t, SyncPath.ROOT).names();
            assertThat(names).hasSize(2).contains("x.txt");
            String conflict = names.stream().filter(n -> !n.equals("x.txt")).findFirst().orElseThrow();
            assertThat(Files.readAllBytes(onDisk.resolve(conflict))).isEqualTo(new byte[10]);
            try (Stream<Path> files = Files.list(onDisk)) {
                assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("x.txt", conflict);
            }
        }
    }

    /**
     * The connection dies right after the file was taken aside (the server drops it at the MLST
     * of the aside file): the user's file is put back on a fresh connection, the write fails as
     * transient, nothing is left under a temporary name.
     */
    @Test
    void aConnectionLostAfterTheTakeAsidePutsTheFileBack() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        DefaultFtplet hook = new DefaultFtplet() {
            @Override
            public FtpletResult beforeCommand(org.apache.ftpserver.ftplet.FtpSession session, FtpRequest request) {
                String arg = request.getArgument();
                if (request.getCommand().equals("MLST") && arg != null && TemporaryNames.isAside(name(arg))
                        && armed.compareAndSet(true, false)) {
                    return FtpletResult.DISCONNECT;
                }
                return FtpletResult.DEFAULT;
            }
        };
        TestServers.Server server = TestServers.apacheWithFtplet(hook);
        try (SyncTarget t = server.freshTarget(Map.of())) {
            byte[] users = "the user's file".getBytes();
            t.write(SyncPath.of("x.txt"), new ByteArrayInputStream(users), WriteHints.ofSize(users.length));
            String dir = t.description().substring(t.description().lastIndexOf('/') + 1);
            Path onDisk = server.root().resolve(dir);
            Entry listed = Listings.collect(t, SyncPath.ROOT).entry("x.txt").orElseThrow();
            armed.set(true);

            assertThatThrownBy(() -> t.write(SyncPath.of("x.txt"), new ByteArrayInputStream(TestContent.bytes(11, SIZE)),
                    hints(Precondition.unchanged(listed))))
                    .isInstanceOf(dev.ferry.api.TransientSyncException.class);
            assertThat(armed).as("the connection was dropped after the take-aside").isFalse();
            assertThat(Files.readAllBytes(onDisk.resolve("x.txt"))).isEqualTo(users);
            assertThat(Listings.collect(t, SyncPath.ROOT).names()).containsExactly("x.txt");
            try (Stream<Path> files = Files.list(onDisk)) {
                assertThat(files.map(f -> f.getFileName().toString())).containsExactly("x.txt");
            }
        }
    }

    /**
     * A file taken aside that could not be put back is the user's: never swept, however old; the
     * next listing puts it back at its name and lists it there (a run must never take it for
     * deleted), while an ordinary stale temporary file beside it is swept.
     */
    @ParameterizedTest
    @ValueSource(strings = {"apache", "vsftpd"})
    void anAsideFileIsPutBackByTheNextListingNeverSwept(String server) throws Exception {
        try (Scene s = Scene.of(server)) {
            String asideName = FtpPublisher.asideName("x.txt");
            assertThat(TemporaryNames.isTemporary(asideName)).as("not swept as a temporary file").isFalse();
            assertThat(TemporaryNames.isAside(asideName)).isTrue();
            s.userWrites(asideName, "the user's file".getBytes());
            s.userWrites(TemporaryNames.newName("y.txt"), new byte[3]);
            java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(Instant.now().minus(java.time.Duration.ofHours(3)));
            try (Stream<Path> files = Files.list(s.onDisk)) {
                for (Path f : files.toList()) {
                    Files.setLastModifiedTime(f, old);
                }
            }
            assertThat(Listings.collect(s.t, SyncPath.ROOT).names()).containsExactly("x.txt");
            assertThat(s.onDisk.resolve("x.txt")).hasContent("the user's file");
            try (Stream<Path> files = Files.list(s.onDisk)) {
                assertThat(files.map(f -> f.getFileName().toString())).containsExactly("x.txt");
            }
        }
    }

    /**
     * What the take-aside costs, counted on the control connection (through a relay): commands of
     * a replacing write with no precondition and with {@code unchanged(listed)}, of a new file's
     * write with none and with {@code absent()}. Apache FtpServer refuses RNTO onto an existing
     * file, so its plain replace already costs RNFR, RNTO (refused), DELE, RNFR, RNTO; with the
     * take-aside it is RNFR, RNTO (aside), MLST (aside), MLST (path), RNFR, RNTO, DELE (aside):
     * 2 more. vsftpd renames over files: RNFR, RNTO (aside), MDTM + SIZE (aside), MDTM + CWD
     * (path), DELE (aside) come on top: 7 more. {@code absent()}: MLST, or MDTM + CWD.
     */
    @ParameterizedTest
    @ValueSource(strings = {"apache", "vsftpd"})
    void whatTheTakeAsideCosts(String server) throws Exception {
        TestServers.Server s = FtpResumeTest.server(server);
        try (IdleDroppingProxy relay = new IdleDroppingProxy(s.port(), 600_000)) {
            String uri = s.scheme() + "://" + s.options().get("user") + "@127.0.0.1:" + relay.port() + s.prefix()
                    + "/cost-" + server + "-" + System.nanoTime();
            try (SyncTarget t = SyncTargets.load().open(uri, new TreeMap<>(s.options()))) {
                t.write(SyncPath.of("x.txt"), new ByteArrayInputStream(new byte[10]), WriteHints.ofSize(10));
                t.write(SyncPath.of("y.txt"), new ByteArrayInputStream(new byte[10]), WriteHints.ofSize(10));
                Entry listed = Listings.collect(t, SyncPath.ROOT).entry("y.txt").orElseThrow();

                int none = count(relay, () -> t.write(SyncPath.of("x.txt"), new ByteArrayInputStream(new byte[5]),
                        WriteHints.ofSize(5)));
                int unchanged = count(relay, () -> t.write(SyncPath.of("y.txt"), new ByteArrayInputStream(new byte[5]),
                        WriteHints.ofSize(5).withPrecondition(Precondition.unchanged(listed))));
                int created = count(relay, () -> t.write(SyncPath.of("z.txt"), new ByteArrayInputStream(new byte[5]),
                        WriteHints.ofSize(5)));
                int absent = count(relay, () -> t.write(SyncPath.of("w.txt"), new ByteArrayInputStream(new byte[5]),
                        WriteHints.ofSize(5).withPrecondition(Precondition.absent())));
                System.out.printf("FTP commands per write (%s): replace %d, replace unchanged(listed) %d, new %d, new absent() %d%n",
                        server, none, unchanged, created, absent);
                assertThat(unchanged - none).isEqualTo(server.equals("apache") ? 2 : 7);
                assertThat(absent - created).isEqualTo(server.equals("apache") ? 1 : 2);
            }
        }
    }

    private static int count(IdleDroppingProxy relay, TestContent.Midway action) throws IOException {
        int before = relay.commands();
        action.run();
        return relay.commands() - before;
    }

    private static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
