package dev.ferry.backend.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** RFC 3659 time-vals (MDTM replies), parsed without Commons Net's per-call SimpleDateFormat. */
class TimeValTest {

    @Test
    void timeValsAreUtcWithOptionalFraction() {
        assertThat(ListParser.parseTimeVal("20240101000039")).isEqualTo(Instant.parse("2024-01-01T00:00:39Z"));
        assertThat(ListParser.parseTimeVal(" 19991231235959 ")).isEqualTo(Instant.parse("1999-12-31T23:59:59Z"));
        assertThat(ListParser.parseTimeVal("20210607080910.5")).isEqualTo(Instant.parse("2021-06-07T08:09:10.500Z"));
        assertThat(ListParser.parseTimeVal("20210607080910.123")).isEqualTo(Instant.parse("2021-06-07T08:09:10.123Z"));
    }

    @Test
    void anythingElseIsNull() {
        assertThat(ListParser.parseTimeVal(null)).isNull();
        assertThat(ListParser.parseTimeVal("2024010100003")).isNull();
        assertThat(ListParser.parseTimeVal("20241301000000")).isNull(); // month 13
        assertThat(ListParser.parseTimeVal("2024010100000x")).isNull();
        assertThat(ListParser.parseTimeVal("20240101000000.")).isNull();
        assertThat(ListParser.parseTimeVal("20240101000000 x")).isNull();
        assertThat(ListParser.parseTimeVal("+2024010100000")).isNull();
        assertThat(ListParser.parseTimeVal("00001105070852")).isNull(); // RFC 3659: years 1000-9999
        assertThat(ListParser.parseTimeVal("10000101000000")).isNotNull();
    }
}
