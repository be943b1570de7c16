package dev.ferry.backend.ftp;

import java.io.IOException;
import java.net.Socket;
import org.apache.commons.net.ftp.FTPCmd;

/**
 * Opens a listing's data connection, so its lines are parsed as they arrive: Commons Net's own
 * listing calls read every line of a directory into memory first.
 */
interface StreamedListing {

    /**
     * Sends {@code LIST} (with {@code -a} where the client lists hidden files) or {@code MLSD} and
     * returns its data connection; null when the server refused (the reply code says why). The
     * caller reads it to the end, closes it and completes the command.
     */
    Socket openListing(FTPCmd command, String arg) throws IOException;
}
