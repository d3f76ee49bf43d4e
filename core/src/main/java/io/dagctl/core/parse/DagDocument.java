package io.dagctl.core.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dagctl.core.event.Events;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.TaskSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DAG written back as a DAG document (JSON, which the parser reads as it reads YAML) that parses to the same
 * {@link DagSpec}: what the CLI submits when the file it read named scripts with {@code command_file}, so that the
 * server gets the commands themselves.
 */
public final class DagDocument {

    private DagDocument() {}

    public static String toJson(DagSpec dag) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("name", dag.name());
        document.put("tasks", dag.tasks().stream().map(DagDocument::task).toList());
        try {
            return Events.mapper().writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write DAG " + dag.name() + " as JSON", e);
        }
    }

    private static Map<String, Object> task(TaskSpec spec) {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("name", spec.name());
        task.put("type", spec.type().yamlName());
        if (spec.command() != null) {
            task.put("command", spec.command());
        }
        if (!spec.dependencies().isEmpty()) {
            task.put("dependencies", List.copyOf(spec.dependencies()));
        }
        task.put("max_retries", spec.maxRetries());
        task.put("timeout", DurationText.format(spec.timeout()));
        task.put("retry_delay", DurationText.format(spec.retryDelay()));
        task.put("max_retry_delay", DurationText.format(spec.maxRetryDelay()));
        if (!spec.env().isEmpty()) {
            task.put("env", new LinkedHashMap<>(spec.env()));
        }
        return task;
    }
}
