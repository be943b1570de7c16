package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.ferry.api.InvalidTargetException;

/**
 * Fuzzes the config-file parser. Contract: an {@link InvalidTargetException} naming the file and
 * line, or a file whose text parses back to the same sections, and whose every section, written
 * again through {@link ConfigFile#with} (which quotes values), reads back with the same values.
 */
class ConfigFileFuzzTest {

    @FuzzTest(maxDuration = "5s")
    void parse(@NotNull String text) throws InvalidTargetException {
        ConfigFile f;
        try {
            f = ConfigFile.parse(text, "fuzz.conf");
        } catch (InvalidTargetException e) {
            assertThat(e.getMessage()).startsWith("fuzz.conf:");
            return;
        }
        ConfigFile again = ConfigFile.parse(f.text(), "fuzz.conf");
        assertThat(again.sections()).isEqualTo(f.sections());
        ConfigFile rewritten = ConfigFile.parse("", "fuzz.conf");
        for (ConfigFile.Section s : f.sections()) {
            rewritten = rewritten.with(s.kind(), s.name(), s.settings());
        }
        ConfigFile reread = ConfigFile.parse(rewritten.text(), "fuzz.conf");
        assertThat(reread.sections()).hasSameSizeAs(f.sections());
        for (int i = 0; i < f.sections().size(); i++) {
            assertThat(reread.sections().get(i).settings().stream().map(ConfigFile.Setting::value).toList())
                    .as("values of section %d", i)
                    .isEqualTo(f.sections().get(i).settings().stream().map(ConfigFile.Setting::value).toList());
        }
    }
}
