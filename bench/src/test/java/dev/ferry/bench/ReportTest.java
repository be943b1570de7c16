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
}
