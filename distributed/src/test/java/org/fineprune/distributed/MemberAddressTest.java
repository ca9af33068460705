package org.fineprune.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemberAddressTest {
    @Test
    void a_host_without_port_gets_hazelcasts_port() {
        assertEquals(List.of(new MemberAddress("node1", 5701), new MemberAddress("10.0.0.2", 5702)),
                MemberAddress.list("node1", " 10.0.0.2:5702"));
    }

    @Test
    void a_bad_port_a_repeated_address_or_none_are_refused_by_name() {
        assertEquals("member address 'node1:x': the port must be a number",
                assertThrows(IllegalArgumentException.class, () -> MemberAddress.parse("node1:x")).getMessage());
        assertEquals("member address node1: port 70000 is not in 1..65535",
                assertThrows(IllegalArgumentException.class, () -> MemberAddress.parse("node1:70000")).getMessage());
        assertEquals("member addresses repeat one: a,a:5701",
                assertThrows(IllegalArgumentException.class, () -> MemberAddress.list("a", "a:5701")).getMessage());
        assertThrows(IllegalArgumentException.class, MemberAddress::list);
    }

    @Test
    void a_worker_binds_to_the_first_address_of_this_machine() {
        assertEquals(new MemberAddress("127.0.0.1", 5702),
                Worker.localAmong(List.of(new MemberAddress("192.0.2.1", 5701), new MemberAddress("127.0.0.1", 5702))));
        assertThrows(IllegalArgumentException.class,
                () -> Worker.localAmong(List.of(new MemberAddress("192.0.2.1", 5701))));
    }
}
