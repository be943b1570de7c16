package dev.ferry.backend.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProbedTest {

    @Test
    void aGuessIsReturnedButProbedAgainAMeasurementIsKept() {
        AtomicInteger runs = new AtomicInteger();
        Probed<String> p = new Probed<>(() -> runs.incrementAndGet() < 3
                ? Probed.Outcome.guessed("guess " + runs.get()) : Probed.Outcome.measured("measured"));
        assertThat(p.get()).isEqualTo("guess 1");
        assertThat(p.get()).isEqualTo("guess 2");
        assertThat(p.get()).isEqualTo("measured");
        assertThat(p.get()).isEqualTo("measured");
        assertThat(runs).hasValue(3);
    }
}
