package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScaleReportTest {

    @Test
    void readsOnlyTheProbesStepLines() {
        List<Map<String, String>> steps = ScaleBench.parse(List.of("[0.1s][info][jfr] noise",
                "step=plan ms=812 actions=10 unchanged=0 failures=0 baselineBytes=5 peakBytes=9 retainedBytes=7 gcs=2",
                "step=run ms=3 actions=0 unchanged=10 failures=0 baselineBytes=5 peakBytes=6 retainedBytes=6 gcs=0"));
        assertThat(steps).hasSize(2);
        assertThat(steps.get(0)).containsEntry("step", "plan").containsEntry("ms", "812").containsEntry("peakBytes", "9");
        assertThat(steps.get(1)).containsEntry("unchanged", "10");
    }

    @Test
    void theChartHasOneLinePerSeriesAndTheGoals() {
        ScaleChart c = new ScaleChart();
        for (long n : new long[] {10_000, 100_000, 1_000_000}) {
            c.time("synthetic, plan", n, n / 1e5);
            c.time("local, plan", n, n / 2e5);
            c.bytesPerEntry("synthetic, plan", n, 250);
        }
        String svg = c.svg("t <&>");
        assertThat(svg).startsWith("<svg").endsWith("</svg>\n").contains("t &lt;&amp;&gt;");
        assertThat(svg.split("<polyline", -1)).hasSize(4); // two time series, one memory series
        assertThat(svg).contains("goal: 1M no-op &lt; 5 s").contains("goal: &lt; 300 B/entry").contains(">1M<");
    }

    @Test
    void quickScaleIsOneThousandEntries() {
        Options o = Options.parse(new String[] {"--scale", "--quick"});
        assertThat(o.scale).isTrue();
        assertThat(o.scaleSizes).containsExactly(1_000L);
        assertThat(Options.parse(new String[] {"--scale", "--scale-sizes", "10_000,20000"}).scaleSizes)
                .containsExactly(10_000L, 20_000L);
    }
}
