package dev.ferry.core;

import dev.ferry.api.InvalidTargetException;
import dev.ferry.api.TargetSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Adds and removes named remotes in Ferry's config file without hand-editing (reading them is
 * {@link RemotesConfig}'s). Changes go through {@link ConfigFile#update}: locked, atomic,
 * owner-only. A secret (a password, key or token option, or a password in the URL) is refused in
 * plain text unless the caller allows it: give it as {@code env:VAR} instead.
 */
public final class RemoteStore {

    private static final Pattern PASSWORD_IN_URL = Pattern.compile("//[^/@?#:]*:[^/@?#]*@");

    private final Path file;

    private RemoteStore(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /** The remotes of the config file at {@code file} (which need not exist yet). */
    public static RemoteStore at(Path file) {
        return new RemoteStore(file);
    }

    /**
     * Adds a remote.
     *
     * @param url its location: a URI or an absolute path
     * @param options its options, written after {@code url}
     * @param allowPlainSecrets write secrets that are not {@code env:} references
     * @throws InvalidTargetException if the name is taken or a secret would be written in plain text
     */
    public void add(String name, String url, Map<String, String> options, boolean allowPlainSecrets)
            throws IOException {
        if (!allowPlainSecrets) {
            if (PASSWORD_IN_URL.matcher(url).find()) {
                throw new InvalidTargetException("the url holds a password, which would be written in plain text "
                        + "into " + file + "; give it as --opt password=env:VARIABLE");
            }
            for (Map.Entry<String, String> o : options.entrySet()) {
                if (TargetSpec.isSecretName(o.getKey()) && !o.getValue().startsWith("env:")) {
                    throw new InvalidTargetException("option '" + o.getKey() + "' is a secret and would be written in "
                            + "plain text into " + file + "; give it as " + o.getKey() + "=env:VARIABLE");
                }
            }
        }
        List<ConfigFile.Setting> settings = new ArrayList<>();
        settings.add(ConfigFile.Setting.of(RemotesConfig.URL_KEY, url));
        options.forEach((k, v) -> settings.add(ConfigFile.Setting.of(k, v)));
        ConfigFile.update(file, config -> {
            var old = config.section(ConfigFile.REMOTE, name);
            if (old.isPresent()) {
                throw new InvalidTargetException("a remote named '" + name + "' exists already (" + file + ":"
                        + old.get().line() + "); remove it first or pick another name");
            }
            return config.with(ConfigFile.REMOTE, name, settings);
        });
    }

    /**
     * Removes a remote's definition.
     *
     * @return whether there was one
     */
    public boolean remove(String name) throws IOException {
        boolean[] found = {false};
        ConfigFile.update(file, config -> {
            found[0] = config.section(ConfigFile.REMOTE, name).isPresent();
            return config.without(ConfigFile.REMOTE, name);
        });
        return found[0];
    }

    @Override
    public String toString() {
        return "RemoteStore[" + file + "]";
    }
}
