package org.fineprune.reproducibility;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentTest {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final String OTHER = "89abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    /** A repository at {@code dir/repo} whose HEAD is {@code head}, and a folder deep inside it. */
    private Path repository(String head) throws IOException {
        Path git = Files.createDirectories(dir.resolve("repo/.git"));
        Files.writeString(git.resolve("HEAD"), head + "\n");
        return Files.createDirectories(dir.resolve("repo/src/main"));
    }

    @Test
    void describes_java_os_version_and_commit_with_sorted_keys() {
        Map<String, Object> description = Environment.describe(dir);

        assertEquals(List.of("fineprune", "git_commit", "java", "os"), List.copyOf(description.keySet()));
        assertEquals(System.getProperty("java.version"), description.get("java"));
        assertEquals(System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"), description.get("os"));
        assertThrows(UnsupportedOperationException.class, () -> description.put("engine", "PyTorch"));
    }

    @Test
    void the_version_is_dev_when_running_from_class_folders() {
        assumeTrue(Environment.class.getPackage().getImplementationVersion() == null);

        assertEquals(Environment.DEVELOPMENT_VERSION, Environment.describe().get("fineprune"));
    }

    @Test
    void finds_the_commit_of_a_branch_in_a_loose_ref_from_a_subfolder() throws IOException {
        Path inside = repository("ref: refs/heads/main");
        Path ref = Files.createDirectories(dir.resolve("repo/.git/refs/heads")).resolve("main");
        Files.writeString(ref, COMMIT + "\n");

        assertEquals(COMMIT, Environment.describe(inside).get("git_commit"));
    }

    @Test
    void finds_the_commit_of_a_branch_in_packed_refs() throws IOException {
        Path inside = repository("ref: refs/heads/main");
        Files.writeString(dir.resolve("repo/.git/packed-refs"), "# pack-refs with: peeled fully-peeled sorted\n"
                + OTHER + " refs/heads/feature\n" + COMMIT + " refs/heads/main\n" + OTHER + " refs/tags/v1\n^"
                + OTHER + "\n");

        assertEquals(COMMIT, Environment.describe(inside).get("git_commit"));
    }

    @Test
    void a_loose_ref_wins_over_an_older_packed_one() throws IOException {
        Path inside = repository("ref: refs/heads/main");
        Files.writeString(dir.resolve("repo/.git/packed-refs"), OTHER + " refs/heads/main\n");
        Files.createDirectories(dir.resolve("repo/.git/refs/heads"));
        Files.writeString(dir.resolve("repo/.git/refs/heads/main"), COMMIT + "\n");

        assertEquals(COMMIT, Environment.describe(inside).get("git_commit"));
    }

    @Test
    void finds_a_detached_head_in_lower_case() throws IOException {
        Path inside = repository(COMMIT.toUpperCase(Locale.ROOT));

        assertEquals(COMMIT, Environment.describe(inside).get("git_commit"));
    }

    @Test
    void follows_a_git_file_to_a_linked_work_tree_sharing_the_main_repository_branches() throws IOException {
        Path main = Files.createDirectories(dir.resolve("main/.git"));
        Files.createDirectories(main.resolve("refs/heads"));
        Files.writeString(main.resolve("refs/heads/topic"), COMMIT + "\n");
        Path linked = Files.createDirectories(main.resolve("worktrees/topic"));
        Files.writeString(linked.resolve("HEAD"), "ref: refs/heads/topic\n");
        Files.writeString(linked.resolve("commondir"), "../..\n");
        Path workTree = Files.createDirectories(dir.resolve("topic"));
        Files.writeString(workTree.resolve(".git"), "gitdir: ../main/.git/worktrees/topic\n");

        assertEquals(COMMIT, Environment.describe(workTree).get("git_commit"));
    }

    @Test
    void a_repository_without_commits_has_no_commit() throws IOException {
        Path inside = repository("ref: refs/heads/main");

        assertNull(Environment.describe(inside).get("git_commit"));
    }

    @Test
    void outside_a_git_work_tree_there_is_no_commit() {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            assumeTrue(!Files.exists(p.resolve(".git")), "the temporary folder is inside a git work tree");
        }

        assertNull(Environment.describe(dir).get("git_commit"));
    }
}
