package io.dagctl.coordinator.engine;

/**
 * What makes a task entry an instance of a mapped task: that task's name, the instance's position in its list, and
 * its item.
 */
record InstanceOf(String parent, int position, Object item) {

    static String name(String mapped, int position) {
        return mapped + "[" + position + "]";
    }

    /** The key range of a mapped task's instances: every name that starts with this. */
    static String prefix(String mapped) {
        return mapped + "[";
    }
}
