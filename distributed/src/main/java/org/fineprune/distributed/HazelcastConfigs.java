package org.fineprune.distributed;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/**
 * The one Hazelcast configuration of Fineprune's members and submitters, in code: members join over
 * TCP only the addresses given (multicast and auto-detection off), bind to their own address only,
 * never phone home, run no Jet engine and no management center scripts, and log nothing unless the
 * system property {@code hazelcast.logging.type} asks for it (the command line's {@code -v}).
 */
final class HazelcastConfigs {
    /** The cluster's name; the build is checked through {@link #BUILD_ATTRIBUTE}, which names it in errors. */
    static final String CLUSTER_NAME = "fineprune";
    /** The member attribute that holds the member's {@link FinepruneBuild}. */
    static final String BUILD_ATTRIBUTE = "fineprune.build";
    /** The executor service that runs the groups of points. */
    static final String EXECUTOR = "fineprune-groups";
    private static final String LOGGING_TYPE = "hazelcast.logging.type";

    static {
        // Hazelcast's static loggers (its start-up warnings) read the system property, not the config.
        if (System.getProperty(LOGGING_TYPE) == null) {
            System.setProperty(LOGGING_TYPE, "none");
        }
    }

    private HazelcastConfigs() {}

    /**
     * A member at {@code bind} of the cluster of {@code members}, running {@code tasks} groups at a
     * time and advertising {@code build}.
     *
     * @throws IllegalArgumentException if {@code bind}'s host cannot be resolved
     */
    static Config member(List<MemberAddress> members, MemberAddress bind, int tasks, String build) {
        Config config = new Config();
        config.setClusterName(CLUSTER_NAME);
        config.setInstanceName("fineprune-worker-" + bind.host() + "-" + bind.port());
        quiet(config.getProperties());
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "1");
        config.getMemberAttributeConfig().setAttribute(BUILD_ATTRIBUTE, build);
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(bind.port()).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(ip(bind.host()));
        network.getRestApiConfig().setEnabled(false);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(members.stream().map(MemberAddress::toString).toList());
        config.getJetConfig().setEnabled(false);
        config.getManagementCenterConfig().setScriptingEnabled(false).setConsoleEnabled(false);
        config.getExecutorConfig(EXECUTOR).setPoolSize(tasks);
        return config;
    }

    /** A client that submits to the members at {@code members}, giving up connecting after {@code connectTimeout}. */
    static ClientConfig client(List<MemberAddress> members, Duration connectTimeout) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(CLUSTER_NAME);
        quiet(config.getProperties());
        config.getNetworkConfig().setAddresses(members.stream().map(MemberAddress::toString).toList());
        config.getNetworkConfig().getAutoDetectionConfig().setEnabled(false);
        config.getConnectionStrategyConfig().getConnectionRetryConfig()
                .setClusterConnectTimeoutMillis(connectTimeout.toMillis());
        // A task sent to a worker that left is retried towards it until this passes (120 s by default);
        // the dispatcher sends the group to another worker instead. A running task is not affected.
        config.setProperty("hazelcast.client.invocation.timeout.seconds", "10");
        return config;
    }

    private static void quiet(java.util.Properties properties) {
        properties.setProperty("hazelcast.phone.home.enabled", "false");
        properties.setProperty(LOGGING_TYPE, System.getProperty(LOGGING_TYPE));
    }

    /** Hazelcast binds to interfaces given as IP addresses. */
    private static String ip(String host) {
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("member address " + host + ": unknown host", e);
        }
    }
}
