package dev.ferry.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A command line that syncs SRC into a destination. {@code {src}} and {@code {dst}} in the template
 * are replaced (also inside a word, as in {@code {src}/.}).
 */
record Tool(String name, List<String> template, DstForm dstForm, Set<String> unsetEnv) {

    /** Which spelling of the destination the tool is given. */
    enum DstForm { FERRY, RCLONE, LOCAL_VIEW }

    Tool {
        template = List.copyOf(template);
        unsetEnv = Set.copyOf(unsetEnv);
    }

    /**
     * Ferry: the user's command; if it has no {@code {src}}/{@code {dst}} placeholders,
     * {@code sync {src} {dst}} is appended (Ferry's mirror syntax).
     */
    static Tool ferry(String commandLine) {
        List<String> t = new ArrayList<>(Words.split(commandLine));
        if (t.isEmpty()) {
            throw new IllegalArgumentException("--ferry is empty");
        }
        if (t.stream().noneMatch(w -> w.contains("{src}") || w.contains("{dst}"))) {
            t.addAll(List.of("sync", "{src}", "{dst}"));
        }
        return new Tool("ferry", t, DstForm.FERRY, Set.of());
    }

    /** rclone with default transfers/checkers; its own empty config; AWS_CA_BUNDLE unset. */
    static Tool rclone(String commandLine, Path config) {
        List<String> t = new ArrayList<>(Words.split(commandLine));
        if (t.isEmpty()) {
            throw new IllegalArgumentException("--rclone is empty");
        }
        t.addAll(List.of("sync", "{src}", "{dst}", "--config", config.toString()));
        return new Tool("rclone", t, DstForm.RCLONE, Set.of("AWS_CA_BUNDLE"));
    }

    /** The name of the "ferry (embedded)" tool's rows. */
    static final String EMBEDDED = "ferry (embedded)";

    /**
     * Ferry run in-process by {@link EmbeddedRunner}: the template is the argument vector given to
     * {@code dev.ferry.cli.Main.run}, not a command line.
     */
    static Tool embeddedFerry() {
        return new Tool(EMBEDDED, List.of("sync", "{src}", "{dst}"), DstForm.FERRY, Set.of());
    }

    boolean embedded() {
        return name.equals(EMBEDDED);
    }

    /** {@code cp -r SRC/. DST}: the throughput reference for a local destination. */
    static Tool cp() {
        return new Tool("cp -r", List.of("cp", "-r", "{src}/.", "{dst}"), DstForm.LOCAL_VIEW, Set.of());
    }

    List<String> command(Path src, Destination dst) {
        String d = switch (dstForm) {
            case FERRY -> dst.ferryUri();
            case RCLONE -> dst.rcloneSpec();
            case LOCAL_VIEW -> dst.view().toString();
        };
        List<String> out = new ArrayList<>(template.size());
        for (String w : template) {
            out.add(w.replace("{src}", src.toString()).replace("{dst}", d));
        }
        return out;
    }

    /** The command copying this tool's remote destination {@code from} into the local directory {@code to}. */
    List<String> downloadCommand(Destination from, Path to) {
        String src = switch (dstForm) {
            case FERRY -> from.ferryUri();
            case RCLONE -> from.rcloneSpec();
            case LOCAL_VIEW -> from.view().toString();
        };
        List<String> out = new ArrayList<>(template.size());
        for (String w : template) {
            out.add(w.replace("{src}", src).replace("{dst}", to.toString()));
        }
        return out;
    }

    /** The template as one line, for the report. */
    String display() {
        return String.join(" ", template).replace("{src}", "SRC").replace("{dst}", "DST");
    }
}
