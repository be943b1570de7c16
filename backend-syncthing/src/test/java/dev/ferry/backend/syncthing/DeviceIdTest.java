package dev.ferry.backend.syncthing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeviceIdTest {

    // The example from Syncthing's docs (dev/device-ids.rst).
    private static final String DOC_ID = "MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZDMM-FZWI3DP-BONSGYY-LTMRWAD";

    @Test
    void parsesTheDocumentedId() {
        assertThat(DeviceId.parse(DOC_ID).value()).isEqualTo(DOC_ID);
        assertThat(DeviceId.parse(DOC_ID).shortId()).isEqualTo("MFZWI3D");
    }

    @Test
    void normalisesCaseDashesAndTypoLetters() {
        String messy = DOC_ID.toLowerCase().replace("-", " ").replace('o', '0').replace('b', '8');
        assertThat(DeviceId.parse(messy).value()).isEqualTo(DOC_ID);
    }

    @Test
    void acceptsTheOldFormWithoutCheckCharacters() {
        String c = DOC_ID.replace("-", "");
        String bare = c.substring(0, 13) + c.substring(14, 27) + c.substring(28, 41) + c.substring(42, 55);
        assertThat(DeviceId.parse(bare).value()).isEqualTo(DOC_ID);
    }

    @Test
    void refusesAWrongCheckCharacter() {
        String bad = DOC_ID.substring(0, DOC_ID.length() - 1) + "E";
        assertThatThrownBy(() -> DeviceId.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("check character 4 of 4");
    }

    @Test
    void refusesWrongLengthsAndCharacters() {
        assertThatThrownBy(() -> DeviceId.parse("ABC")).hasMessageContaining("56 characters");
        assertThatThrownBy(() -> DeviceId.parse(DOC_ID.replace('M', '9'))).hasMessageContaining("'9'");
        assertThatThrownBy(() -> DeviceId.parse(" ")).hasMessageContaining("required");
        assertThat(DeviceId.isValid("nonsense")).isFalse();
    }

    @Test
    void luhn32IsSyncthingsVariant() {
        // Check characters of the documented ID, group by group.
        String c = DOC_ID.replace("-", "");
        for (int g = 0; g < 4; g++) {
            assertThat(DeviceId.luhn32(c.substring(g * 14, g * 14 + 13))).isEqualTo(c.charAt(g * 14 + 13));
        }
    }
}
