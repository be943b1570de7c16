package dev.ferry.backend.ftp;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.net.ftp.FTP;

/**
 * Sends several control commands before reading their replies, in order: one round trip for a
 * batch of MDTMs instead of one per file (a LIST server's older entries need their exact time).
 */
interface Pipelining {

    /** Commands per batch: bounded, so neither side's socket buffer fills up. */
    int BATCH = 64;

    /** Sends each line (command and argument) and returns the reply lines, one string per command. */
    List<String> pipeline(List<String> commandLines) throws IOException;

    /**
     * Sends a command without waiting for its reply: a keep-alive NOOP during a transfer, whose
     * reply many servers (vsftpd, Apache FtpServer) only send once the transfer is over.
     */
    void sendOnly(String commandLine) throws IOException;

    /** Makes {@code code} and {@code lines} the last reply again, after later replies were read. */
    void restoreReply(int code, List<String> lines);

    /** Writes one command line and flushes it. */
    static void send(Writer controlOutput, String commandLine) throws IOException {
        controlOutput.write(commandLine);
        controlOutput.write("\r\n");
        controlOutput.flush();
    }

    /** The shared implementation, given the client's control writer. */
    static List<String> run(FTP client, Writer controlOutput, List<String> commandLines) throws IOException {
        List<String> replies = new ArrayList<>(commandLines.size());
        for (int from = 0; from < commandLines.size(); from += BATCH) {
            List<String> batch = commandLines.subList(from, Math.min(commandLines.size(), from + BATCH));
            for (String line : batch) {
                controlOutput.write(line);
                controlOutput.write("\r\n");
            }
            controlOutput.flush();
            for (int i = 0; i < batch.size(); i++) {
                client.getReply();
                replies.add(client.getReplyString());
            }
        }
        return replies;
    }
}
