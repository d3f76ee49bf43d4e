package io.dagctl.worker.exec;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The attempts' work directories, recycled: a directory an attempt left empty is renamed to a spare name, and the next
 * attempt's directory is a spare renamed to its name, instead of one removed and another made. On ext4, making a
 * directory where many were recently removed searches the inode bitmap for an inode not freed recently (the kernel's
 * {@code recently_deleted}): in a fan-out of {@code true} that was a third of the worker's CPU. A rename allocates
 * nothing.
 *
 * <p>Only an empty, real directory with the permissions it was made with goes back: one a task changed, filled or
 * replaced is removed as before.
 */
final class WorkDirs {

    private static final System.Logger LOG = System.getLogger(WorkDirs.class.getName());
    private static final String SPARE_PREFIX = ".spare-";

    private final Path root;
    private final int keep;
    private final boolean keepUsed;
    private final Deque<Path> spares = new ArrayDeque<>();
    private final AtomicLong names = new AtomicLong();
    private volatile Set<PosixFilePermission> madeWith;

    /**
     * @param keep how many spare directories are kept at most (about one per slot)
     * @param keepUsed leave every used directory as the attempt left it (for debugging), recycling none
     */
    WorkDirs(Path root, int keep, boolean keepUsed) {
        this.root = root;
        this.keep = keep;
        this.keepUsed = keepUsed;
        removeSparesLeftBehind();
    }

    /** A fresh, empty directory named {@code name} under the root. */
    Path create(String name) throws IOException {
        Path dir = root.resolve(name);
        Path spare = takeSpare();
        if (spare != null) {
            try {
                Files.move(spare, dir, StandardCopyOption.ATOMIC_MOVE);
                return dir;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "spare {0} could not be used: {1}", spare, e.getMessage());
            }
        }
        Files.createDirectories(dir);
        if (madeWith == null) {
            madeWith = Files.getPosixFilePermissions(dir);
        }
        return dir;
    }

    /** The attempt that ran in {@code dir} ended: it becomes a spare if it is as it was made, else it is removed. */
    void release(Path dir) {
        if (keepUsed) {
            return;
        }
        if (asMade(dir) && roomForSpare()) {
            Path spare = root.resolve(SPARE_PREFIX + names.incrementAndGet());
            try {
                Files.move(dir, spare, StandardCopyOption.ATOMIC_MOVE);
                synchronized (spares) {
                    spares.push(spare);
                }
                return;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "could not keep {0} as a spare: {1}", dir, e.getMessage());
            }
        }
        remove(dir);
    }

    /** How many spares wait now. */
    int spares() {
        synchronized (spares) {
            return spares.size();
        }
    }

    private Path takeSpare() {
        synchronized (spares) {
            return spares.poll();
        }
    }

    private boolean roomForSpare() {
        synchronized (spares) {
            return spares.size() < keep;
        }
    }

    private boolean asMade(Path dir) {
        try {
            PosixFileAttributes attributes =
                    Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isDirectory() || !attributes.permissions().equals(madeWith)) {
                return false;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                return !entries.iterator().hasNext();
            }
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** An earlier worker on this root left its spares: they are empty, and their names could collide with ours. */
    private void removeSparesLeftBehind() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (DirectoryStream<Path> left = Files.newDirectoryStream(root, SPARE_PREFIX + "*")) {
            left.forEach(WorkDirs::remove);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not list {0}: {1}", root, e.getMessage());
        }
    }

    private static void remove(Path dir) {
        try {
            Files.delete(dir); // most tasks leave nothing behind: one rmdir instead of a walk
            return;
        } catch (java.nio.file.DirectoryNotEmptyException e) {
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
