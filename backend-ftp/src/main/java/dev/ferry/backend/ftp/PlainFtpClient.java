package dev.ferry.backend.ftp;

import java.io.IOException;
import java.util.List;
import org.apache.commons.net.ftp.FTPClient;

/** A plain FTP client that can pipeline commands. */
final class PlainFtpClient extends FTPClient implements Pipelining {
    @Override
    public List<String> pipeline(List<String> commandLines) throws IOException {
        return Pipelining.run(this, _controlOutput_, commandLines);
    }
}
