package io.dagctl.core.parse;

import io.dagctl.core.model.TaskSpec;
import io.dagctl.core.model.TaskType;
import io.dagctl.core.model.TriggerRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** A task as read from the document, with the positions needed to report problems about it. */
final class TaskDraft {

    record Dependency(String name, Mark mark) {}

    String name;
    Mark mark;
    Mark nameMark;
    Mark dependenciesMark;
    TaskType type = TaskType.BASH;
    String command;
    Mark commandMark;
    final List<Dependency> dependencies = new ArrayList<>();
    int maxRetries;
    Duration timeout = TaskSpec.DEFAULT_TIMEOUT;
    Duration retryDelay = TaskSpec.DEFAULT_RETRY_DELAY;
    Duration maxRetryDelay = TaskSpec.DEFAULT_MAX_RETRY_DELAY;
    final Map<String, String> env = new LinkedHashMap<>();
    /** Where each env value is written, for problems inside it. */
    final Map<String, ScalarNode> envNodes = new LinkedHashMap<>();
    /** Where the command is written; null when it came from a command_file. */
    ScalarNode commandNode;

    TriggerRule triggerRule;
    Mark triggerRuleMark;
    String when;
    ScalarNode whenNode;
    /** A literal list, or a template text that gives one; null when the task is not mapped. */
    Object forEach;

    org.yaml.snakeyaml.nodes.Node forEachNode;
    Integer maxInstances;
    Mark maxInstancesMark;
    /** Its own {@code queue:}, or null: the DAG's, or the default. */
    String queue;
    /** Its {@code pool:} and {@code pool_slots:}, or null. */
    String pool;

    Integer poolSlots;
    Mark poolSlotsMark;

    TaskSpec toSpec() {
        return new TaskSpec(
                name,
                type,
                command,
                dependencies.stream().map(Dependency::name).distinct().toList(),
                maxRetries,
                timeout,
                retryDelay,
                maxRetryDelay,
                env,
                triggerRule,
                when,
                forEach,
                maxInstances,
                queue,
                pool,
                poolSlots);
    }
}
