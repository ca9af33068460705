package org.fineprune.distributed;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fineprune.core.FinepruneException;
import org.fineprune.core.Progress;
import org.fineprune.experiments.GroupRunner;
import org.fineprune.experiments.PointGroup;
import org.fineprune.reproducibility.RunRecord;

/**
 * The task a member runs for one {@link PointGroup}, sent as the group's JSON: it loads the model and
 * data from the group's paths, checks their SHA-256 and returns the records as canonical JSON lines,
 * with {@link GroupRunner}, the code of a local sweep. A failure comes back as its one-line message,
 * so that the submitter tells a point that fails from a member that leaves.
 */
public final class GroupTask implements Callable<GroupTask.Outcome>, DataSerializable {
    private String group;

    /** For Hazelcast's deserialisation. */
    public GroupTask() {}

    GroupTask(PointGroup group) {
        this.group = group.toJson();
    }

    @Override
    public Outcome call() {
        try (GroupRunner runner = new GroupRunner(Progress.NONE, Map.of())) {
            return new Outcome(runner.run(PointGroup.fromJson(group)).stream().map(RunRecord::toJsonLine)
                    .toArray(String[]::new), null);
        } catch (Exception | LinkageError e) {
            return new Outcome(null, oneLine(e));
        }
    }

    private static String oneLine(Throwable e) {
        String message = e instanceof FinepruneException || e instanceof IllegalArgumentException ? e.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        int newline = message == null ? -1 : message.indexOf('\n');
        return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(group);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        group = in.readString();
    }

    /** What a task returns: the group's records as JSON lines, or why it failed. */
    public static final class Outcome implements DataSerializable {
        private String[] records;
        private String error;

        /** For Hazelcast's deserialisation. */
        public Outcome() {}

        Outcome(String[] records, String error) {
            this.records = records;
            this.error = error;
        }

        /** The records, one canonical JSON line per point, or {@code null} if the task failed. */
        String[] records() {
            return records;
        }

        /** Why the task failed, or {@code null}. */
        String error() {
            return error;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeStringArray(records);
            out.writeString(error);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            records = in.readStringArray();
            error = in.readString();
        }
    }
}
