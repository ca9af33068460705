package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Starting MXNet after PyTorch leaves PyTorch as many threads on the thread that asked for MXNet as
 * a fresh thread gets. MXNet's native library sets the OpenMP thread count of the thread that loads
 * it to 1; before {@link Engines} started MXNet on a thread of its own, a demo run in the same
 * JVM after an MXNet test ran PyTorch on one thread and fine-tuned to other numbers (87.62% clean and
 * 9.28% attack success instead of 87.66% and 9.18%). An engine starts once per JVM, and other tests
 * of this JVM may have started MXNet already, so the check runs in a JVM of its own.
 */
class EnginesTest {
    private static final Pattern THREADS = Pattern.compile("threads=(\\d+) fresh=(\\d+)");

    @Test
    void starting_mxnet_after_pytorch_leaves_the_calling_threads_pytorch_thread_count() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process probe = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dai.djl.offline=true", Probe.class.getName()).redirectErrorStream(true).start();
        String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(2, TimeUnit.MINUTES), out);
        assertEquals(0, probe.exitValue(), out);
        Matcher m = THREADS.matcher(out);
        assertTrue(m.find(), out);
        int fresh = Integer.parseInt(m.group(2));
        assertTrue(fresh > 1, "with one core the check cannot tell 1 from the default: " + out);
        assertEquals(fresh, Integer.parseInt(m.group(1)), out);
    }

    /** Starts PyTorch, then MXNet, and prints PyTorch's thread count here and on a fresh thread. */
    static final class Probe {
        public static void main(String[] args) throws Exception {
            try (NDManager pytorch = Engines.get("PyTorch").newBaseManager();
                    NDManager mxnet = Engines.get("MXNet").newBaseManager()) {
                pytorch.ones(new Shape(64, 64)).matMul(pytorch.ones(new Shape(64, 64))).toFloatArray();
                mxnet.ones(new Shape(64, 64)).matMul(mxnet.ones(new Shape(64, 64))).toFloatArray();
            }
            AtomicInteger fresh = new AtomicInteger();
            Thread other = new Thread(() -> fresh.set(JniUtils.getNumThreads()));
            other.start();
            other.join();
            System.out.println("threads=" + JniUtils.getNumThreads() + " fresh=" + fresh.get());
        }
    }
}
