package dev.ferry.backend.ftp;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPCmd;

/** A plain FTP client that can pipeline commands. */
final class PlainFtpClient extends FTPClient implements Pipelining, StreamedListing {
    @Override
    public List<String> pipeline(List<String> commandLines) throws IOException {
        return Pipelining.run(this, _controlOutput_, commandLines);
    }

    @Override
    public void sendOnly(String commandLine) throws IOException {
        Pipelining.send(_controlOutput_, commandLine);
    }

    @Override
    public Socket openListing(FTPCmd command, String arg) throws IOException {
        return _openDataConnection_(command, command == FTPCmd.LIST ? getListArguments(arg) : arg);
    }

    @Override
    public void restoreReply(int code, List<String> lines) {
        _replyCode = code;
        _replyLines.clear();
        _replyLines.addAll(lines);
        _newReplyString = true;
    }
}
