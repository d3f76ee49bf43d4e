package io.dagctl.e2e.bench;

/** The benchmark DAGs as YAML. */
final class BenchDags {

    private BenchDags() {}

    /** {@code n} tasks in a chain, each running {@code command}. */
    static String chain(String name, int n, String command) {
        StringBuilder yaml = new StringBuilder("name: " + name + "\ntasks:\n");
        for (int i = 0; i < n; i++) {
            yaml.append("  - {name: t")
                    .append(i)
                    .append(", command: \"")
                    .append(command)
                    .append('"');
            if (i > 0) {
                yaml.append(", dependencies: [t").append(i - 1).append(']');
            }
            yaml.append("}\n");
        }
        return yaml.toString();
    }

    /** {@code n} independent noop tasks: every one is a root. */
    static String flat(String name, int n) {
        StringBuilder yaml = new StringBuilder("name: " + name + "\ntasks:\n");
        for (int i = 0; i < n; i++) {
            yaml.append("  - {name: f").append(i).append(", type: noop}\n");
        }
        return yaml.toString();
    }

    /** One root, {@code n} parallel tasks after it, one join after them all; {@code command} null for noop tasks. */
    static String fanOut(String name, int n, String command) {
        String body = command == null ? "type: noop" : "command: \"" + command + "\"";
        StringBuilder yaml = new StringBuilder("name: " + name + "\ntasks:\n  - {name: root, " + body + "}\n");
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < n; i++) {
            yaml.append("  - {name: p").append(i).append(", ").append(body).append(", dependencies: [root]}\n");
            all.append(i == 0 ? "" : ", ").append('p').append(i);
        }
        yaml.append("  - {name: join, ")
                .append(body)
                .append(", dependencies: [")
                .append(all)
                .append("]}\n");
        return yaml.toString();
    }
}
