package io.dagctl.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Rendered Kubernetes manifests, looked up by kind and name, read with plain maps. */
record Manifests(List<Map<String, Object>> objects, String yaml) {

    static Manifests parse(String yaml) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object doc : new Yaml(new LoaderOptions()).loadAll(yaml)) {
            if (doc instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) map;
                objects.add(object);
            }
        }
        return new Manifests(objects, yaml);
    }

    List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    Map<String, Object> one(String kind) {
        List<Map<String, Object>> found = ofKind(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + found.size());
        }
        return found.get(0);
    }

    Map<String, Object> named(String kind, String name) {
        return ofKind(kind).stream()
                .filter(o -> name.equals(get(o, "metadata.name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    /** A value by dotted path; list elements by index (e.g. {@code spec.template.spec.containers.0.image}). */
    static Object get(Object node, String path) {
        Object current = node;
        for (String part : path.split("\\.")) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(part);
            } else if (current instanceof List<?> list && part.chars().allMatch(Character::isDigit)) {
                current = Integer.parseInt(part) < list.size() ? list.get(Integer.parseInt(part)) : null;
            } else {
                return null;
            }
        }
        return current;
    }

    static String text(Object node, String path) {
        return Objects.toString(get(node, path), null);
    }

    /** A container's environment as name → value (values from secrets or fields are shown as their source). */
    @SuppressWarnings("unchecked")
    static Map<String, String> env(Map<String, Object> workload) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object item : (List<Object>) get(workload, "spec.template.spec.containers.0.env")) {
            Map<String, Object> var = (Map<String, Object>) item;
            env.put(
                    (String) var.get("name"),
                    var.containsKey("value") ? String.valueOf(var.get("value")) : "from:" + var.get("valueFrom"));
        }
        return env;
    }
}
