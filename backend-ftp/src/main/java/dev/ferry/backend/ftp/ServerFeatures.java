package dev.ferry.backend.ftp;

import dev.ferry.api.HashAlgorithm;
import java.io.IOException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.net.ftp.FTPClient;

/**
 * What the server offers, learnt from FEAT on the first connection and shared by the pool. Some
 * facts FEAT cannot tell are learnt by trying: whether MLSD accepts {@code -a} (Apache FtpServer
 * hides dot files without it), whether two-argument MDTM sets times.
 */
final class ServerFeatures {

    /** A fact not yet known. */
    enum Tri { UNKNOWN, YES, NO }

    private volatile boolean learnt;
    private boolean mlsd;
    private boolean mlst;
    private boolean mfmt;
    private boolean mdtm;
    private boolean utf8;
    private boolean size;
    private boolean restStream;
    /** Hash command per algorithm: "HASH", "XMD5", "XSHA1", "XSHA256", "XCRC", "MD5". */
    private final Map<HashAlgorithm, String> hashCommands = new EnumMap<>(HashAlgorithm.class);
    volatile Tri mlsdDashA = Tri.UNKNOWN;
    volatile Tri mdtmSets = Tri.UNKNOWN;
    /** Whether SITE CHMOD sets a mode that listings then show: learnt by trying. */
    volatile Tri chmod = Tri.UNKNOWN;
    /** Whether uploads can continue a file: learnt by trying, FEAT cannot tell. */
    volatile StoreRestart storeRestart = StoreRestart.UNKNOWN;

    /**
     * What the server does with an upload that continues a file.
     *
     * @param appe APPE adds to the end
     * @param rest REST n + STOR writes from offset n
     */
    record StoreRestart(Tri appe, Tri rest) {
        static final StoreRestart UNKNOWN = new StoreRestart(Tri.UNKNOWN, Tri.UNKNOWN);

        boolean settled() {
            return appe != Tri.UNKNOWN;
        }
    }

    synchronized void learn(FTPClient c) throws IOException {
        if (learnt) {
            return;
        }
        if (c.features()) {
            for (String line : c.getReplyStrings()) {
                String l = line.trim();
                if (l.length() >= 3 && Character.isDigit(l.charAt(0))) {
                    continue; // the 211- and 211 End lines
                }
                String upper = l.toUpperCase(Locale.ROOT);
                String name = upper.split("\\s+")[0];
                switch (name) {
                    case "MLST" -> mlst = mlsd = true;
                    case "MLSD" -> mlsd = true;
                    case "MFMT" -> mfmt = true;
                    case "MDTM" -> mdtm = true;
                    case "UTF8" -> utf8 = true;
                    case "SIZE" -> size = true;
                    case "REST" -> restStream = upper.contains("STREAM");
                    case "XMD5" -> hashCommands.putIfAbsent(HashAlgorithm.MD5, "XMD5");
                    case "MD5" -> hashCommands.putIfAbsent(HashAlgorithm.MD5, "MD5");
                    case "XSHA1" -> hashCommands.putIfAbsent(HashAlgorithm.SHA1, "XSHA1");
                    case "XSHA256" -> hashCommands.putIfAbsent(HashAlgorithm.SHA256, "XSHA256");
                    case "XCRC" -> hashCommands.putIfAbsent(HashAlgorithm.CRC32, "XCRC");
                    case "HASH" -> {
                        String algos = l.length() > 4 ? upper.substring(4).trim() : "";
                        for (String a : algos.split(";")) {
                            String n = a.replace("*", "").trim();
                            HashAlgorithm.byName(n).ifPresent(h -> hashCommands.put(h, "HASH"));
                        }
                    }
                    default -> { }
                }
            }
        }
        learnt = true;
    }

    synchronized boolean mlsd() { return mlsd; }
    synchronized boolean mlst() { return mlst; }
    synchronized boolean mfmt() { return mfmt; }
    synchronized boolean mdtm() { return mdtm; }
    synchronized boolean utf8() { return utf8; }
    synchronized boolean size() { return size; }
    synchronized boolean restStream() { return restStream; }
    synchronized Map<HashAlgorithm, String> hashCommands() {
        return hashCommands.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(hashCommands));
    }
}
