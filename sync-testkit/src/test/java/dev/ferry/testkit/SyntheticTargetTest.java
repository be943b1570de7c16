package dev.ferry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.Entry;
import dev.ferry.api.ListingNotice;
import dev.ferry.api.ListingSink;
import dev.ferry.api.NotFoundException;
import dev.ferry.api.SyncPath;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticTargetTest {

    /** Every entry below {@code dir}, depth first. */
    private static List<Entry> walk(SyntheticTarget t, SyncPath dir) throws IOException {
        List<Entry> here = new ArrayList<>();
        t.list(dir, new ListingSink() {
            @Override
            public void entry(Entry e) {
                here.add(e);
            }

            @Override
            public void notice(ListingNotice n) {
                throw new AssertionError(n);
            }
        });
        List<Entry> all = new ArrayList<>();
        for (Entry e : here) {
            all.add(e);
            if (e.isDirectory()) {
                all.addAll(walk(t, e.path()));
            }
        }
        return all;
    }

    @Test
    void listsExactlyTheGeneratedFilesAndStatAgreesWithTheListing() throws IOException {
        SyntheticTarget t = SyntheticTarget.parse("synthetic:12345?seed=7");
        List<Entry> all = walk(t, SyncPath.ROOT);
        List<Entry> files = all.stream().filter(Entry::isFile).toList();
        assertThat(files).hasSize(12_345);
        assertThat(files.stream().map(Entry::path).distinct().count()).isEqualTo(12_345);
        assertThat(all.stream().filter(Entry::isDirectory).count()).isEqualTo(2 + 124); // a0, a1; 100 + 24 leaves
        for (Entry f : files.subList(0, 50)) {
            assertThat(t.stat(f.path())).contains(f);
            try (InputStream in = t.open(f.path(), 0)) {
                assertThat(in.readAllBytes()).hasSize((int) f.size());
            }
        }
        assertThat(t.stat(SyncPath.of("a1/b23/f44"))).isPresent();
        assertThat(t.stat(SyncPath.of("a1/b23/f45"))).isEmpty(); // file 12,345 does not exist
        assertThat(t.stat(SyncPath.of("a2"))).isEmpty();
        assertThatThrownBy(() -> t.list(SyncPath.of("a1/b24"), null)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void theSameSeedGivesTheSameTreeAndTimesCanBeLeftOutOfListings() throws IOException {
        List<Entry> one = walk(new SyntheticTarget(300, 3, true), SyncPath.ROOT);
        assertThat(walk(new SyntheticTarget(300, 3, true), SyncPath.ROOT)).isEqualTo(one);
        assertThat(walk(new SyntheticTarget(300, 4, true), SyncPath.ROOT)).isNotEqualTo(one);
        SyntheticTarget noTimes = SyntheticTarget.parse("synthetic:300?seed=3&listsModTimes=false");
        assertThat(noTimes.capabilities().listsModTimes()).isFalse();
        Entry listed = walk(noTimes, SyncPath.ROOT).stream().filter(Entry::isFile).findFirst().orElseThrow();
        assertThat(listed.modTime()).isEmpty();
        assertThat(noTimes.stat(listed.path()).orElseThrow().modTime()).isPresent();
        assertThat(walk(new SyntheticTarget(0, 1, true), SyncPath.ROOT)).isEmpty();
    }

    @Test
    void aBadLocationIsAClearError() {
        assertThatThrownBy(() -> SyntheticTarget.parse("synthetic:many"))
                .hasMessageContaining("synthetic:many").hasMessageContaining("expected synthetic:<files>");
        assertThatThrownBy(() -> SyntheticTarget.parse("synthetic:10?colour=red")).hasMessageContaining("colour");
    }
}
