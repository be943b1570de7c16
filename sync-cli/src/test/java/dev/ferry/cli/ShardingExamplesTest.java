package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes Indexed Job manifest and the Slurm array script in examples/sharding are not run
 * here (no cluster), but are checked: the script by {@code bash -n}, the manifest by a YAML parser,
 * and both pass each task's index as {@code --shard I/N} with the N they declare.
 */
class ShardingExamplesTest {

    private static Path examples() {
        return TestLauncher.script().getParent().getParent().resolve("examples/sharding");
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void slurmArrayScriptParsesAndShardsByTaskId() throws Exception {
        Path script = examples().resolve("ferry-array.sbatch");
        run(List.of("bash", "-n", script.toString()));
        String text = Files.readString(script);
        assertThat(text).contains("#SBATCH --array=0-15").contains("SHARDS=16")
                .contains("--shard \"${SLURM_ARRAY_TASK_ID}/${SHARDS}\"");
    }

    @Test
    void kubernetesManifestIsAnIndexedJobWithOneShardPerIndex() throws Exception {
        Path manifest = examples().resolve("ferry-indexed-job.yaml");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is needed to parse YAML");
        String parsed = run(List.of("/usr/bin/python3", "-c", "import sys, yaml\n"
                + "d = yaml.safe_load(open(sys.argv[1]))\n"
                + "s = d['spec']\n"
                + "print(d['kind'], s['completionMode'], s['completions'], s['template']['spec']['containers'][0]['args'][0])",
                manifest.toString()));
        assertThat(parsed).startsWith("Job Indexed 8 ").contains("--shard \"${JOB_COMPLETION_INDEX}/8\"");
    }
}
