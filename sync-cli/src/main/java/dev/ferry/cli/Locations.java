package dev.ferry.cli;

import picocli.CommandLine.Parameters;

/** SRC and DST as given on the command line, for the commands that take both. */
final class Locations {

    @Parameters(index = "0", paramLabel = "SRC", description = "Source: a path, a URI (scheme://host/path?option=value) "
            + "or remote:path.")
    String source;

    @Parameters(index = "1", paramLabel = "DST", description = "Destination, in the same forms.")
    String destination;
}
