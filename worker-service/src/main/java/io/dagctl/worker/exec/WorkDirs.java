package io.dagctl.worker.exec;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The attempts' work directories, recycled: a directory an attempt left as it was made is renamed to a spare name,
 * and a later attempt's directory is a spare renamed to its name, instead of one removed and another made. On ext4
 * (as this machine kind formats it), making a directory where many were recently removed searches the inode bitmap
 * for an inode not freed recently (the kernel's {@code recently_deleted}): in a fan-out of {@code true} that was a third
 * of the worker's CPU. A rename allocates nothing.
 *
 * <p>Only a real directory with the same inode change time, mode, owner and group as when the attempt got it, and still
 * empty, goes back: one the task wrote in, changed or replaced is removed as before. A spare is handed out again only
 * once it has waited {@code minAge} (the kill grace and a margin), oldest first, so that what the task's process group
 * left running until its SIGKILL cannot write into another attempt's directory; a process that escaped its group
 * (a new session of its own) can, as it could write anywhere its user may.
 */
final class WorkDirs {

    private static final System.Logger LOG = System.getLogger(WorkDirs.class.getName());
    private static final String SPARE_PREFIX = ".spare-";
    private static final String IDENTITY = "unix:ctime,mode,uid,gid";

    /** A directory handed to an attempt, with what it was like then. */
    record WorkDir(Path path, Map<String, Object> identity) {}

    private record Spare(Path path, long since) {}

    private final Path root;
    private final int keep;
    private final long minAgeNanos;
    private final boolean keepUsed;
    private final LongSupplier nanoTime;
    /** Spare names carry this process's id: workers sharing a root (tests) do not take each other's. */
    private final String sparePrefix = SPARE_PREFIX + ProcessHandle.current().pid() + "-";

    private final Deque<Spare> spares = new ArrayDeque<>();
    private int sparesReserved;
    private final AtomicLong names = new AtomicLong();

    /**
     * @param keep how many spare directories are kept at most (an empty directory is one inode)
     * @param minAge how long a spare waits before it is handed out again
     * @param keepUsed leave every used directory as the attempt left it (for debugging), recycling none
     */
    WorkDirs(Path root, int keep, Duration minAge, boolean keepUsed, LongSupplier nanoTime) {
        this.root = root;
        this.keep = keep;
        this.minAgeNanos = minAge.toNanos();
        this.keepUsed = keepUsed;
        this.nanoTime = nanoTime;
        removeSparesOfEndedWorkers();
    }

    /** A fresh, empty directory named {@code name} under the root. */
    WorkDir create(String name) throws IOException {
        Path dir = root.resolve(name);
        Path spare = takeSpare();
        if (spare != null) {
            try {
                Files.move(spare, dir, StandardCopyOption.ATOMIC_MOVE);
                if (isEmpty(dir)) {
                    return new WorkDir(dir, identity(dir));
                }
                remove(dir); // written in while it waited: not for this attempt
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "spare {0} could not be used: {1}", spare, e.getMessage());
                remove(spare);
                remove(dir);
            }
        }
        Files.createDirectories(dir);
        return new WorkDir(dir, identity(dir));
    }

    /** The attempt that ran in {@code dir} ended: it becomes a spare if it is as it was handed out, else it is removed. */
    void release(WorkDir dir) {
        if (keepUsed) {
            return;
        }
        if (asHandedOut(dir) && reserveSpare()) {
            Path spare = root.resolve(sparePrefix + names.incrementAndGet());
            try {
                Files.move(dir.path(), spare, StandardCopyOption.ATOMIC_MOVE);
                synchronized (spares) {
                    spares.addLast(new Spare(spare, nanoTime.getAsLong()));
                }
                return;
            } catch (IOException e) {
                synchronized (spares) {
                    sparesReserved--;
                }
                LOG.log(System.Logger.Level.DEBUG, "could not keep {0} as a spare: {1}", dir.path(), e.getMessage());
            }
        }
        remove(dir.path());
    }

    /** How many spares wait now. */
    int spares() {
        synchronized (spares) {
            return spares.size();
        }
    }

    private Path takeSpare() {
        synchronized (spares) {
            Spare oldest = spares.peekFirst();
            if (oldest == null || nanoTime.getAsLong() - oldest.since() < minAgeNanos) {
                return null;
            }
            spares.pollFirst();
            sparesReserved--;
            return oldest.path();
        }
    }

    private boolean reserveSpare() {
        synchronized (spares) {
            if (sparesReserved >= keep) {
                return false;
            }
            sparesReserved++;
            return true;
        }
    }

    private boolean asHandedOut(WorkDir dir) {
        try {
            if (!identity(dir.path()).equals(dir.identity())) {
                return false;
            }
            // the change time has the kernel's coarse clock: an entry made within the same tick may not move it
            return isEmpty(dir.path());
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        }
    }

    /** Change time, mode (with the set-id and sticky bits), owner and group; read without following a link. */
    private static Map<String, Object> identity(Path dir) throws IOException {
        return Files.readAttributes(dir, IDENTITY, LinkOption.NOFOLLOW_LINKS);
    }

    /** Spares of workers that no longer run on this root: empty directories nobody will take. */
    private void removeSparesOfEndedWorkers() {
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> ended = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(root, SPARE_PREFIX + "*")) {
            for (Path spare : all) {
                if (!ownerRuns(spare.getFileName().toString())) {
                    ended.add(spare);
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not list {0}: {1}", root, e.getMessage());
        }
        ended.forEach(WorkDirs::remove);
    }

    private static boolean ownerRuns(String spareName) {
        String rest = spareName.substring(SPARE_PREFIX.length());
        int dash = rest.indexOf('-');
        try {
            long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
            return pid != ProcessHandle.current().pid()
                    && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void remove(Path dir) {
        try {
            Files.deleteIfExists(dir); // most tasks leave nothing behind: one rmdir instead of a walk
            return;
        } catch (DirectoryNotEmptyException e) {
            // the walk below removes what the task left
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not remove {0}: {1}", dir, e.getMessage());
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not remove {0}: {1}", dir, e.getMessage());
        }
    }
}
