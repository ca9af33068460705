package org.fineprune.reproducibility;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentTest {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path dir;

    private static Properties gitProperties(String id, String dirty) {
        Properties properties = new Properties();
        properties.setProperty("git.commit.id.full", id);
        properties.setProperty("git.dirty", dirty);
        return properties;
    }

    @Test
    void describes_java_os_version_and_commit_with_sorted_keys() {
        Map<String, Object> description = Environment.describe();

        assertEquals(List.of("cpu", "fineprune", "git_commit", "git_dirty", "java", "os"),
                List.copyOf(description.keySet()));
        assertEquals(System.getProperty("java.version"), description.get("java"));
        assertEquals(System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"), description.get("os"));
        assertThrows(UnsupportedOperationException.class, () -> description.put("engine", "PyTorch"));
    }

    @Test
    void the_cpu_is_the_first_model_name_of_cpuinfo() throws IOException {
        Path cpuInfo = Files.writeString(dir.resolve("cpuinfo"), "processor\t: 0\nvendor_id\t: GenuineIntel\n"
                + "model name\t: Intel(R) Xeon(R) Processor\nflags\t\t: fpu avx512f\n\nprocessor\t: 1\n"
                + "model name\t: Intel(R) Xeon(R) Processor\n");

        assertEquals(Optional.of("Intel(R) Xeon(R) Processor"), Environment.cpuModel(cpuInfo));
        assertEquals(Optional.empty(), Environment.cpuModel(Files.writeString(dir.resolve("arm"), "processor\t: 0\n")));
        assertEquals(Optional.empty(), Environment.cpuModel(dir.resolve("absent")));
        assertEquals(Environment.cpuModel(Environment.CPU_INFO).orElse(null), Environment.describe().get("cpu"));
    }

    @Test
    void a_record_from_another_processor_says_so() {
        RunRecord amd = RunRecord.of(Map.of("point", "p", "environment", Map.of("cpu", "AMD EPYC 7B13")));

        assertEquals(Optional.of("recorded on AMD EPYC 7B13, replayed on Intel(R) Xeon(R) Processor: PyTorch's CPU"
                + " kernels round differently on another processor, so what trains need not repeat to the last digit"),
                Environment.otherProcessor(amd, "Intel(R) Xeon(R) Processor"));
        assertEquals(Optional.empty(), Environment.otherProcessor(amd, "AMD EPYC 7B13"));
        assertEquals(Optional.empty(), Environment.otherProcessor(amd, null));
        assertEquals(Optional.empty(), Environment.otherProcessor(RunRecord.of(Map.of("point", "p")), "AMD EPYC 7B13"));
    }

    @Test
    void another_number_of_engine_threads_is_named_where_both_records_say() {
        RunRecord two = RunRecord.of(Map.of("point", "p", "environment", Map.of("engine_threads", 2)));
        RunRecord sixteen = RunRecord.of(Map.of("point", "p", "environment", Map.of("engine_threads", 16)));
        Map<String, Object> unknown = new HashMap<>();
        unknown.put("engine_threads", null);
        RunRecord mxnet = RunRecord.of(Map.of("point", "p", "environment", unknown));

        assertEquals(Optional.of("recorded with 2 engine threads, replayed with 16: the engine sums in another order"
                + " with another number of threads, so what trains need not repeat to the last digit"),
                Environment.otherEngineThreads(two, sixteen));
        RunRecord twoAgain = RunRecord.parse("{\"point\": \"p\", \"environment\": {\"engine_threads\": 2}}");
        assertEquals(Optional.empty(), Environment.otherEngineThreads(two, twoAgain));
        assertEquals(Optional.empty(), Environment.otherEngineThreads(two, mxnet));
        assertEquals(Optional.empty(), Environment.otherEngineThreads(RunRecord.of(Map.of("point", "p")), sixteen));
    }

    @Test
    void the_version_is_dev_when_running_from_class_folders() {
        assumeTrue(Environment.class.getPackage().getImplementationVersion() == null);

        assertEquals(Environment.DEVELOPMENT_VERSION, Environment.describe().get("fineprune"));
    }

    @Test
    void the_commit_and_dirty_flag_are_those_the_build_wrote() {
        Optional<BuildCommit> built = BuildCommit.ofThisBuild();
        Map<String, Object> description = Environment.describe();

        assertEquals(built.map(BuildCommit::id).orElse(null), description.get("git_commit"));
        assertEquals(built.map(BuildCommit::dirty).orElse(null), description.get("git_dirty"));
    }

    @Test
    void git_properties_give_the_commit_in_lower_case_and_the_dirty_flag() {
        Map<String, Object> description = Environment.describe(
                BuildCommit.of(gitProperties(COMMIT.toUpperCase(Locale.ROOT), "true")));

        assertEquals(COMMIT, description.get("git_commit"));
        assertEquals(true, description.get("git_dirty"));
        assertEquals(false, BuildCommit.of(gitProperties(COMMIT, "false")).orElseThrow().dirty());
        assertNull(BuildCommit.of(gitProperties(COMMIT, "")).orElseThrow().dirty());
    }

    @Test
    void without_a_well_formed_commit_there_is_none() {
        for (Properties properties : List.of(new Properties(), gitProperties("", "false"),
                gitProperties("${git.commit.id.full}", "false"), gitProperties(COMMIT.substring(1), "true"))) {
            Map<String, Object> description = Environment.describe(BuildCommit.of(properties));

            assertNull(description.get("git_commit"), properties.toString());
            assertNull(description.get("git_dirty"), properties.toString());
        }
    }

    /**
     * A run started inside another git repository used to record that repository's HEAD; a JVM
     * started there must name the commit Fineprune was built from (or none).
     */
    @Test
    void a_record_made_inside_another_git_repository_does_not_carry_its_head() throws Exception {
        Path heads = Files.createDirectories(dir.resolve("other/.git/refs/heads"));
        Files.writeString(heads.resolve("main"), COMMIT + "\n");
        Files.writeString(dir.resolve("other/.git/HEAD"), "ref: refs/heads/main\n");
        Path inside = Files.createDirectories(dir.resolve("other/src"));

        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PrintCommit.class.getName())
                .directory(inside.toFile()).redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();

        assertEquals(0, process.exitValue(), printed);
        assertNotEquals(COMMIT, printed);
        assertEquals(String.valueOf(BuildCommit.ofThisBuild().map(BuildCommit::id).orElse(null)), printed);
    }

    /** Prints the commit a run started in the current folder records. */
    static final class PrintCommit {
        public static void main(String[] args) {
            System.out.println(Environment.describe().get("git_commit"));
        }
    }
}
