package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A tool that left a wrong destination gets a failed row, and the rest of the report stands. */
class ReportTest {

    @Test
    void aWrongResultIsAFailedRowWithoutRatio() {
        Dataset d = Dataset.small(1_000);
        Report report = new Report("t");
        List<Runner.Sample> s = List.of(new Runner.Sample(1.0, 1024, 0.5), new Runner.Sample(1.2, 1024, 0.5));
        report.add(new Report.Result(d, Scenario.NOOP, "ferry", s));
        report.add(new Report.Result(d, Scenario.NOOP, "rclone", s));
        report.add(new Report.Result(d, Scenario.CHANGED, "ferry", s));
        report.add(Report.Result.failed(d, Scenario.CHANGED, "rclone", "wrong result: 3 files differ"));

        String md = report.markdown();
        assertThat(md).contains("| rclone | **failed: wrong result: 3 files differ** |");
        assertThat(report.ratio(Dataset.Kind.SMALL, Scenario.NOOP)).contains(1.0);
        assertThat(report.ratio(Dataset.Kind.SMALL, Scenario.CHANGED)).as("no figure to compare with").isEmpty();
        assertThat(report.find(Dataset.Kind.SMALL, Scenario.CHANGED, "rclone")).isEmpty();
    }

    private static List<Runner.Sample> seconds(double... s) {
        return java.util.Arrays.stream(s).mapToObj(x -> new Runner.Sample(x, 200 * 1024, x / 2)).toList();
    }

    @Test
    void embeddedRowsHaveTheirOwnRatioAndTheCliRatioStaysTheCli() {
        Dataset small = Dataset.small(1_000);
        Report report = new Report("t");
        report.add(new Report.Result(small, Scenario.NOOP, "ferry", seconds(1.0, 1.2, 1.1)));
        report.add(new Report.Result(small, Scenario.NOOP, Tool.EMBEDDED, seconds(0.2, 0.3, 0.25)));
        report.add(new Report.Result(small, Scenario.NOOP, "rclone", seconds(0.5, 0.5, 0.5)));
        report.add(new Report.Result(small, Scenario.INITIAL, "ferry", seconds(2.0)));
        report.add(Report.Result.failed(small, Scenario.INITIAL, Tool.EMBEDDED, "wrong result: 2 files differ"));
        report.add(new Report.Result(small, Scenario.INITIAL, "rclone", seconds(1.0)));

        assertThat(report.ratio(Dataset.Kind.SMALL, Scenario.NOOP)).as("ferry/rclone is the CLI's").contains(1.1 / 0.5);
        assertThat(report.ratio(Dataset.Kind.SMALL, Scenario.NOOP, Tool.EMBEDDED)).contains(0.25 / 0.5);
        assertThat(report.ratio(Dataset.Kind.SMALL, Scenario.INITIAL, Tool.EMBEDDED)).as("failed: no figure").isEmpty();
        assertThat(report.ratio(Dataset.Kind.SMALL, Scenario.INITIAL)).contains(2.0);

        String md = report.markdown();
        assertThat(md).contains("| small: no-op re-sync | ferry | 1.100 | 1.000 | 1.200 | 200.0 | 2.20 | 0.55 |")
                .contains("| small: no-op re-sync | ferry (embedded) | 0.250 | 0.200 | 0.300 | 200.0 | 0.50 | 0.13 |")
                .contains("| small: no-op re-sync | rclone | 0.500 | 0.500 | 0.500 | 200.0 |  | 0.25 |")
                .contains("| ferry (embedded) | **failed: wrong result: 2 files differ** | | | | | |");
        assertThat(md).as("the targets are judged on the CLI's ratio")
                .contains("ferry/rclone = 2.200 (target ≤ 1.00, JVM start included): **not met**")
                .contains("the ferry (embedded) rows are not judged against them")
                .doesNotContain("ferry (embedded)/rclone =");
        assertThat(md.indexOf("| ferry |")).isLessThan(md.indexOf("| ferry (embedded) |"));
    }

    @Test
    void withoutEmbeddedRowsTheReportIsAsBefore() {
        Dataset small = Dataset.small(1_000);
        Report report = new Report("t");
        report.add(new Report.Result(small, Scenario.NOOP, "ferry", seconds(1.0)));
        report.add(new Report.Result(small, Scenario.NOOP, "rclone", seconds(2.0)));
        assertThat(report.markdown()).doesNotContain("embedded").contains("**met**");
    }

    @Test
    void theThroughputTableListsTheEmbeddedRow() {
        Dataset large = Dataset.large(2, 8 * Dataset.MIB);
        Report report = new Report("t");
        report.add(new Report.Result(large, Scenario.INITIAL, Tool.cp().name(), seconds(0.1)));
        report.add(new Report.Result(large, Scenario.INITIAL, "ferry", seconds(0.4)));
        report.add(new Report.Result(large, Scenario.INITIAL, Tool.EMBEDDED, seconds(0.2)));
        report.add(new Report.Result(large, Scenario.INITIAL, "rclone", seconds(0.5)));
        String md = report.markdown();
        assertThat(md).contains("| ferry (embedded) | 0.200 | 83.9 | 50% |")
                .contains("ferry at 25% of cp throughput (target ≥ 90%): **not met**");
    }

    @Test
    void aPairsOwnReferenceReplacesCpInTheThroughputTableAndTheTarget() {
        Dataset large = Dataset.large(2, 8 * Dataset.MIB);
        Report report = new Report("t");
        report.add(new Report.Result(large, Scenario.INITIAL, "scp", seconds(0.3)));
        report.add(new Report.Result(large, Scenario.INITIAL, "ferry", seconds(0.32)));
        report.add(new Report.Result(large, Scenario.INITIAL, "rclone", seconds(0.5)));
        String md = report.markdown();
        assertThat(md).contains("| tool | median s | MB/s | % of scp |").contains("| scp | 0.300 |")
                .contains("ferry at 94% of scp throughput (target ≥ 90%): **met**").doesNotContain("% of cp");
    }
}
