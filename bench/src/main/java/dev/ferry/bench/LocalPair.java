package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Local directory → local directory on the same filesystem as the dataset. */
final class LocalPair implements TargetPair {
    private final Path root;

    LocalPair(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public String describe() {
        return "local → local (source and destinations on the same filesystem)";
    }

    @Override
    public Destination destination(String slot) throws IOException {
        Path dir = root.resolve(slot);
        Files.createDirectories(dir);
        return new Destination(dir.toString(), dir.toString(), dir);
    }

    @Override
    public boolean hasCpReference() {
        return true;
    }
}
