package org.fineprune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fineprune.core.testing.SharedCsaw;
import org.fineprune.distributed.MemberAddress;
import org.fineprune.distributed.Worker;
import org.fineprune.reproducibility.RunRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code worker} and {@code sweep --cluster}: the records of a local sweep, and bad addresses in one line. */
class ClusterCommandsTest {
    @Test
    void a_bind_address_that_is_not_a_member_is_refused_in_one_line() throws IOException {
        int port = freePort();
        CliRunner r = CliRunner.run("worker", "--members", "127.0.0.1:" + port, "--bind", "127.0.0.1:" + (port + 1));
        assertEquals(1, r.exitCode());
        assertEquals("fineprune worker: error: --bind 127.0.0.1:" + (port + 1) + " is not one of --members [127.0.0.1:" + port + "]\n",
                r.err());
    }

    @Test
    void a_member_list_without_an_address_of_this_machine_needs_bind() {
        CliRunner r = CliRunner.run("worker", "--members", "192.0.2.1:5701");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("none of the member addresses [192.0.2.1:5701] is an address of this machine"),
                r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    @Tag("real-data")
    void sweep_on_a_cluster_writes_the_records_of_a_local_sweep(@TempDir Path tmp) throws IOException {
        String model = SharedCsaw.file("models/bd_weights.h5").toString();
        String data = SharedCsaw.file("data").toString();
        MemberAddress address = new MemberAddress("127.0.0.1", freePort());
        try (Worker worker = Worker.start(List.of(address), address, 1)) {
            CliRunner cluster = CliRunner.run("sweep", "--defense", "pruning", "--param", "drop=2,10", "--model", model,
                    "--data", data, "--device", "cpu", "--out", tmp.resolve("cluster").toString(), "--cluster",
                    address.toString());
            assertEquals(0, cluster.exitCode(), cluster.err());
        }
        CliRunner local = CliRunner.run("sweep", "--defense", "pruning", "--param", "drop=2,10", "--model", model,
                "--data", data, "--device", "cpu", "--out", tmp.resolve("local").toString());
        assertEquals(0, local.exitCode(), local.err());
        assertEquals(records(tmp.resolve("local")), records(tmp.resolve("cluster")));
        assertEquals(2, records(tmp.resolve("cluster")).size());
    }

    private static List<String> records(Path runDir) throws IOException {
        return Files.readAllLines(runDir.resolve("results.jsonl")).stream()
                .map(l -> RunRecord.parse(l).withoutTimings().toJsonLine()).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
