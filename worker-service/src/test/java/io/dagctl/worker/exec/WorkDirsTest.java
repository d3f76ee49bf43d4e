package io.dagctl.worker.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On the real file system: what an attempt leaves as it got it is reused once it has waited, anything else is removed. */
class WorkDirsTest {

    private static final Duration MIN_AGE = Duration.ofSeconds(3);

    @TempDir
    Path root;

    private final AtomicLong now = new AtomicLong();

    private WorkDirs dirs(int keep, boolean keepUsed) {
        return new WorkDirs(root, keep, MIN_AGE, keepUsed, now::get);
    }

    @Test
    void anUntouchedDirectoryIsRenamedToALaterAttemptsNameOnceItHasWaited() throws Exception {
        WorkDirs dirs = dirs(4, false);
        WorkDirs.WorkDir first = dirs.create("r.a.1");
        Object inode = Files.getAttribute(first.path(), "unix:ino");
        dirs.release(first);
        assertFalse(Files.exists(first.path()));
        assertEquals(1, dirs.spares());

        WorkDirs.WorkDir tooSoon = dirs.create("r.b.1");
        assertNotEquals(inode, Files.getAttribute(tooSoon.path(), "unix:ino"), "what the group left may still run");
        assertEquals(1, dirs.spares());

        now.addAndGet(MIN_AGE.toNanos());
        WorkDirs.WorkDir later = dirs.create("r.c.1");
        assertEquals(root.resolve("r.c.1"), later.path());
        assertTrue(Files.isDirectory(later.path()));
        assertEquals(inode, Files.getAttribute(later.path(), "unix:ino"), "the same directory: nothing allocated");
        assertEquals(0, dirs.spares());
    }

    @Test
    void aDirectoryTheTaskWroteInChangedOrReplacedIsRemovedNotReused() throws Exception {
        WorkDirs dirs = dirs(4, false);
        WorkDirs.WorkDir filled = dirs.create("r.a.1");
        Files.createDirectories(filled.path().resolve("sub"));
        Files.writeString(filled.path().resolve("sub/data.csv"), "x");
        dirs.release(filled);

        WorkDirs.WorkDir emptiedAgain = dirs.create("r.b.1");
        Files.delete(Files.createFile(emptiedAgain.path().resolve("tmp")));
        Thread.sleep(20); // past the kernel's coarse clock tick, so the change time moved
        dirs.release(emptiedAgain);

        WorkDirs.WorkDir setgid = dirs.create("r.c.1");
        new ProcessBuilder("chmod", "g+s", setgid.path().toString())
                .inheritIO()
                .start()
                .waitFor();
        dirs.release(setgid);

        WorkDirs.WorkDir locked = dirs.create("r.d.1");
        Files.setPosixFilePermissions(locked.path(), PosixFilePermissions.fromString("r-x------"));
        dirs.release(locked);

        WorkDirs.WorkDir replaced = dirs.create("r.e.1");
        Path elsewhere = Files.createDirectory(root.resolve("elsewhere"));
        Files.delete(replaced.path());
        Files.createSymbolicLink(replaced.path(), elsewhere);
        dirs.release(replaced);

        for (WorkDirs.WorkDir dir : new WorkDirs.WorkDir[] {filled, emptiedAgain, setgid, locked, replaced}) {
            assertFalse(Files.exists(dir.path(), LinkOption.NOFOLLOW_LINKS), dir.path() + " was removed");
        }
        assertTrue(Files.isDirectory(elsewhere), "a link is removed, not what it points to");
        assertEquals(0, dirs.spares());
    }

    @Test
    void sparesAreBoundedAndOnlyThoseOfEndedWorkersAreRemovedAtStart() throws Exception {
        WorkDirs dirs = dirs(2, false);
        WorkDirs.WorkDir[] used = {dirs.create("a"), dirs.create("b"), dirs.create("c")};
        for (WorkDirs.WorkDir dir : used) {
            dirs.release(dir);
        }
        assertEquals(2, dirs.spares());
        assertEquals(2, entries(), "two spares; the third directory was removed");

        long live = ProcessHandle.current().parent().orElseThrow().pid();
        Path ofALiveWorker = Files.createDirectory(root.resolve(".spare-" + live + "-7"));
        Path ofAnEndedOne = Files.createDirectory(root.resolve(".spare-" + Integer.MAX_VALUE + "-7"));
        dirs(2, false);
        assertTrue(Files.isDirectory(ofALiveWorker), "another worker on this root still runs: its spare stays");
        assertFalse(Files.exists(ofAnEndedOne));
        assertEquals(1, entries(), "this process's earlier spares count as ended too");
    }

    @Test
    void keptDirectoriesStayAsTheAttemptLeftThem() throws Exception {
        WorkDirs dirs = dirs(2, true);
        WorkDirs.WorkDir dir = dirs.create("r.a.1");
        dirs.release(dir);
        assertTrue(Files.isDirectory(dir.path()));
        assertEquals(0, dirs.spares());
    }

    private long entries() throws Exception {
        try (Stream<Path> all = Files.list(root)) {
            return all.count();
        }
    }
}
