package dev.ferry.backend.ftp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny FTP server on 127.0.0.1 that answers what no honest server answers: a listing with
 * names that climb out ({@code ../}, absolute, NUL, over 4 KiB), a RETR that delivers fewer bytes
 * than SIZE announced, and a 150 followed by a data connection closed at once or never written,
 * with no final reply, MLSD facts Commons Net cannot read, and one very large directory. Only
 * LIST (MLSD in FEAT for the MLSD scripts alone), passive mode (EPSV/PASV).
 */
final class ScriptedFtpServer implements AutoCloseable {

    /** How the server answers LIST and RETR. */
    enum Script {
        HOSTILE_NAMES, SHORT_RETR, LIST_150_CLOSE, LIST_150_SILENT, RETR_150_CLOSE, MLSD_BAD_SIZE, MLSD_SHORT_MODE, LARGE_MLSD,
        /** The first MLSD stops mid-line and still says 226 (a data connection cut after the server sent it all). */
        MLSD_CUT_ONCE,
        /** Every MLSD ends its last line without a line end (a server's own style, not a cut). */
        MLSD_NO_FINAL_EOL
    }

    /** Entries of the {@link Script#LARGE_MLSD} directory, written as they are generated (never held). */
    private int largeEntries;

    private final ServerSocket control;
    private final Script script;
    private final Thread acceptor;
    private final List<Socket> open = new ArrayList<>();
    final AtomicInteger transfers = new AtomicInteger();

    ScriptedFtpServer(Script script) throws IOException {
        this.script = script;
        this.control = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "scripted-ftp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A server whose one directory holds {@code entries} files, listed by MLSD. */
    static ScriptedFtpServer largeDirectory(int entries) throws IOException {
        ScriptedFtpServer server = new ScriptedFtpServer(Script.LARGE_MLSD);
        server.largeEntries = entries;
        return server;
    }

    int port() {
        return control.getLocalPort();
    }

    private void acceptLoop() {
        while (!control.isClosed()) {
            try {
                Socket s = control.accept();
                synchronized (open) {
                    open.add(s);
                }
                Thread t = new Thread(() -> session(s), "scripted-ftp-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    static String listLine(long size, String name) {
        return "-rw-r--r--   1 ftp      ftp      " + size + " Jul 20  2022 " + name + "\r\n";
    }

    private void session(Socket s) {
        ServerSocket data = null;
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                Writer out = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8)) {
            reply(out, "220 scripted");
            String line;
            while ((line = in.readLine()) != null) {
                String cmd = line.split(" ", 2)[0].toUpperCase();
                String arg = line.contains(" ") ? line.substring(line.indexOf(' ') + 1) : "";
                switch (cmd) {
                    case "USER" -> reply(out, "331 password");
                    case "PASS" -> reply(out, "230 in");
                    case "SYST" -> reply(out, "215 UNIX Type: L8");
                    case "FEAT" -> reply(out, "211-Features:\r\n SIZE\r\n EPSV\r\n"
                            + (mlsd() ? " MLST type*;size*;modify*;unix.mode*;\r\n" : "") + "211 End");
                    case "PWD" -> reply(out, "257 \"/\"");
                    case "TYPE", "OPTS", "MODE", "STRU", "NOOP" -> reply(out, "200 ok");
                    case "CWD" -> reply(out, "250 ok");
                    case "SIZE" -> reply(out, arg.endsWith("liar.bin") ? "213 1000" : arg.endsWith("ok.txt") ? "213 2" : "550 no");
                    case "EPSV", "PASV" -> {
                        if (data != null) {
                            data.close();
                        }
                        data = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                        data.setSoTimeout(10_000);
                        int p = data.getLocalPort();
                        reply(out, cmd.equals("EPSV") ? "229 Entering Extended Passive Mode (|||" + p + "|)"
                                : "227 Entering Passive Mode (127,0,0,1," + (p >> 8) + "," + (p & 255) + ")");
                    }
                    case "LIST", "NLST", "RETR", "MLSD" -> {
                        transfers.incrementAndGet();
                        if (!transfer(cmd, arg, data, out)) {
                            return; // silent from here: the client must give up by itself
                        }
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "502 not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            if (data != null) {
                try {
                    data.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    /** Runs one transfer; false when the script leaves the control connection silent. */
    private boolean transfer(String cmd, String arg, ServerSocket data, Writer out) throws IOException {
        if (data == null) {
            reply(out, "425 use PASV first");
            return true;
        }
        reply(out, "150 opening data connection");
        Socket d;
        try {
            d = data.accept();
        } catch (SocketTimeoutException e) {
            reply(out, "425 no data connection");
            return true;
        }
        boolean list = !cmd.equals("RETR");
        if (list && script == Script.LIST_150_CLOSE || !list && script == Script.RETR_150_CLOSE) {
            d.close();
            return waitSilently();
        }
        if (list && script == Script.LIST_150_SILENT) {
            return waitSilently(); // the data connection stays open, nothing is sent on it
        }
        if (list && script == Script.LARGE_MLSD) {
            try (d; Writer o = new java.io.BufferedWriter(new OutputStreamWriter(d.getOutputStream(), StandardCharsets.UTF_8), 1 << 16)) {
                for (int i = 0; i < largeEntries; i++) {
                    int second = i % 86_400;
                    o.write(String.format("type=file;size=%d;modify=20220720%02d%02d%02d; file-%d.dat\r\n",
                            i % 4096, second / 3600, second / 60 % 60, second % 60, i));
                }
            }
            reply(out, "226 done");
            return true;
        }
        try (d; OutputStream o = d.getOutputStream()) {
            if (list) {
                StringBuilder b = new StringBuilder();
                if (script == Script.SHORT_RETR) {
                    b.append(listLine(1000, "liar.bin"));
                } else if (script == Script.MLSD_BAD_SIZE) {
                    b.append("type=file;size=2;modify=20220720000000; ok.txt\r\n")
                            .append("type=file;size=12x;modify=20220720000000; bad.txt\r\n");
                } else if (script == Script.MLSD_SHORT_MODE) {
                    b.append("type=file;size=2;modify=20220720000000;unix.mode=7e; bad.txt\r\n");
                } else if (script == Script.MLSD_CUT_ONCE || script == Script.MLSD_NO_FINAL_EOL) {
                    for (int i = 0; i < 3; i++) {
                        b.append("type=file;size=2;modify=20220720000000; f").append(i).append(".txt\r\n");
                    }
                    if (script == Script.MLSD_NO_FINAL_EOL) {
                        b.setLength(b.length() - 2);
                    } else if (transfers.get() == 1) {
                        b.setLength(b.length() - 12); // mid-way through the last name: "f2.txt" reads "f2"
                    }
                } else {
                    b.append(listLine(2, "ok.txt")).append(listLine(2, "../escape.txt")).append(listLine(2, "/etc/passwd"))
                            .append(listLine(2, "..")).append(listLine(2, "nul\u0000name.txt"))
                            .append(listLine(2, "a\\b.txt")).append(listLine(2, "x".repeat(5000) + ".txt"));
                }
                o.write(b.toString().getBytes(StandardCharsets.UTF_8));
            } else if (arg.endsWith("liar.bin")) {
                o.write("only ten b".getBytes(StandardCharsets.US_ASCII)); // SIZE and LIST said 1000
            } else {
                o.write("ok".getBytes(StandardCharsets.US_ASCII));
            }
        }
        reply(out, "226 done");
        return true;
    }

    private boolean mlsd() {
        return script == Script.MLSD_BAD_SIZE || script == Script.MLSD_SHORT_MODE || script == Script.LARGE_MLSD
                || script == Script.MLSD_CUT_ONCE || script == Script.MLSD_NO_FINAL_EOL;
    }

    private static boolean waitSilently() {
        try {
            Thread.sleep(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static void reply(Writer out, String text) throws IOException {
        out.write(text + "\r\n");
        out.flush();
    }

    @Override
    public void close() throws IOException {
        control.close();
        synchronized (open) {
            for (Socket s : open) {
                s.close();
            }
        }
        acceptor.interrupt();
    }
}
