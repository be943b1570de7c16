package dev.ferry.core;

import dev.ferry.api.Entry;
import dev.ferry.api.SyncPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which files take part in a run: include and exclude globs, size and age bounds.
 *
 * <p>Glob rules are checked in the order they were added and the first that matches a path
 * decides. A path no rule matches is included, unless there is at least one include rule, in
 * which case it is excluded (so {@code --include '*.jpg'} means "only JPEGs"). A pattern that
 * starts with {@code /} is anchored at the root; any other pattern matches at any depth
 * ({@code *.tmp} matches {@code a/b/x.tmp}). {@code *} and {@code ?} stay within one name,
 * {@code **} crosses directories, {@code [abc]} and {@code {jpg,png}} work as in shells.
 *
 * <p>Without include rules, a directory is not entered when an exclude rule ending in
 * {@code **} matches it with a trailing slash, so {@code node_modules/**} skips the whole tree
 * without listing it. Files that a filter leaves
 * out are never deleted from the destination either.
 */
public final class Filter {

    /** Everything included. */
    public static final Filter NONE = builder().build();

    private final List<Rule> rules;
    private final boolean hasIncludes;
    private final long minSize;
    private final long maxSize;
    private final Duration minAge;
    private final Duration maxAge;
    private final Shard shard; // null: every path

    private record Rule(boolean include, String glob, Pattern pattern) {}

    private Filter(Builder b) {
        this.rules = List.copyOf(b.rules);
        this.hasIncludes = rules.stream().anyMatch(Rule::include);
        this.minSize = b.minSize;
        this.maxSize = b.maxSize;
        this.minAge = b.minAge;
        this.maxAge = b.maxAge;
        this.shard = b.shard;
    }

    /** A builder with no rules. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether this filter excludes nothing. */
    public boolean isEmpty() {
        return rules.isEmpty() && minSize < 0 && maxSize < 0 && minAge == null && maxAge == null && shard == null;
    }

    /** The shard this filter keeps to, if any. */
    public Optional<Shard> shard() {
        return Optional.ofNullable(shard);
    }

    /** Whether there is at least one include rule (then only what it names takes part). */
    public boolean hasIncludeRules() {
        return hasIncludes;
    }

    /**
     * Whether files are chosen by size or age: then a directory cannot tell from its path whether
     * anything in it takes part, and is created only when a file goes into it.
     */
    public boolean hasSizeOrAgeBounds() {
        return minSize >= 0 || maxSize >= 0 || minAge != null || maxAge != null;
    }

    /** Whether a file takes part; {@code now} is the reference for age bounds. */
    public boolean includesFile(Entry file, Instant now) {
        if (shard != null && !shard.includes(file.path())) {
            return false;
        }
        if (minSize >= 0 && file.size() < minSize || maxSize >= 0 && file.size() > maxSize) {
            return false;
        }
        if (minAge != null || maxAge != null) {
            Optional<Instant> t = file.modTime();
            if (t.isPresent()) {
                Duration age = Duration.between(t.get(), now);
                if (minAge != null && age.compareTo(minAge) < 0 || maxAge != null && age.compareTo(maxAge) > 0) {
                    return false;
                }
            }
        }
        return includesPath(file.path().toString());
    }

    /** Whether a directory is entered at all. */
    public boolean includesDirectory(SyncPath directory) {
        if (shard != null && !shard.includesDirectory(directory)) {
            return false;
        }
        if (hasIncludes) {
            // An include rule may name something deep inside: only the files decide.
            return true;
        }
        String asDir = directory + "/";
        for (Rule r : rules) {
            if (r.glob.endsWith("**") && r.pattern.matcher(asDir).matches()) {
                return false;
            }
        }
        return true;
    }

    private boolean includesPath(String path) {
        for (Rule r : rules) {
            if (r.pattern.matcher(path).matches()) {
                return r.include;
            }
        }
        return !hasIncludes;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Filter[");
        rules.forEach(r -> b.append(r.include ? "+ " : "- ").append(r.glob).append("; "));
        if (minSize >= 0) {
            b.append("minSize=").append(minSize).append("; ");
        }
        if (maxSize >= 0) {
            b.append("maxSize=").append(maxSize).append("; ");
        }
        if (minAge != null) {
            b.append("minAge=").append(minAge).append("; ");
        }
        if (maxAge != null) {
            b.append("maxAge=").append(maxAge).append("; ");
        }
        return b.append(']').toString();
    }

    /** Compiles a glob to a regular expression over a whole {@code a/b/c} path. */
    static Pattern compileGlob(String glob) {
        if (glob.isEmpty()) {
            throw new IllegalArgumentException("empty glob");
        }
        StringBuilder re = new StringBuilder();
        String g = glob;
        if (g.startsWith("/")) {
            g = g.substring(1);
        } else {
            re.append("(?:.*/)?");
        }
        int braces = 0;
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
                        re.append(".*");
                        i++;
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int end = g.indexOf(']', i + 2);
                    if (end < 0) {
                        throw new IllegalArgumentException("unclosed '[' in glob: " + glob);
                    }
                    String cls = g.substring(i + 1, end);
                    if (cls.startsWith("!")) {
                        cls = "^" + cls.substring(1);
                    }
                    re.append('[').append(cls.replace("\\", "\\\\").replace("[", "\\[")).append(']');
                    i = end;
                }
                case '{' -> {
                    braces++;
                    re.append("(?:");
                }
                case '}' -> {
                    if (braces == 0) {
                        throw new IllegalArgumentException("unmatched '}' in glob: " + glob);
                    }
                    braces--;
                    re.append(')');
                }
                case ',' -> re.append(braces > 0 ? "|" : ",");
                case '\\' -> {
                    if (++i >= g.length()) {
                        throw new IllegalArgumentException("trailing backslash in glob: " + glob);
                    }
                    re.append(Pattern.quote(String.valueOf(g.charAt(i))));
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (braces != 0) {
            throw new IllegalArgumentException("unclosed '{' in glob: " + glob);
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    /** Builds a {@link Filter}. */
    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();
        private long minSize = -1;
        private long maxSize = -1;
        private Duration minAge;
        private Duration maxAge;
        private Shard shard;

        private Builder() {}

        /**
         * Adds an include rule.
         *
         * @throws IllegalArgumentException for a malformed glob, naming it
         */
        public Builder include(String glob) {
            rules.add(new Rule(true, glob, compileGlob(glob)));
            return this;
        }

        /**
         * Adds an exclude rule.
         *
         * @throws IllegalArgumentException for a malformed glob, naming it
         */
        public Builder exclude(String glob) {
            rules.add(new Rule(false, glob, compileGlob(glob)));
            return this;
        }

        /**
         * Adds rules written as {@code +GLOB} (include) or {@code -GLOB} (exclude), in order: the
         * form the command line and {@link SyncPair#filters()} keep them in.
         *
         * @throws IllegalArgumentException for a rule without its sign, or a malformed glob
         */
        public Builder rules(java.util.List<String> signed) {
            for (String rule : signed) {
                if (rule.length() < 2 || rule.charAt(0) != '+' && rule.charAt(0) != '-') {
                    throw new IllegalArgumentException("a filter rule is +GLOB or -GLOB: '" + rule + "'");
                }
                if (rule.charAt(0) == '+') {
                    include(rule.substring(1));
                } else {
                    exclude(rule.substring(1));
                }
            }
            return this;
        }

        /** Only the paths of this shard take part ({@link Shard}); the others are left alone on both sides. */
        public Builder shard(Shard shard) {
            this.shard = shard;
            return this;
        }

        /** Files smaller than this many bytes are left out. */
        public Builder minSize(long bytes) {
            this.minSize = bytes;
            return this;
        }

        /** Files larger than this many bytes are left out. */
        public Builder maxSize(long bytes) {
            this.maxSize = bytes;
            return this;
        }

        /** Files modified more recently than this are left out (they may still be being written). */
        public Builder minAge(Duration age) {
            this.minAge = age;
            return this;
        }

        /** Files modified longer ago than this are left out. */
        public Builder maxAge(Duration age) {
            this.maxAge = age;
            return this;
        }

        /** The filter. */
        public Filter build() {
            return new Filter(this);
        }
    }
}
