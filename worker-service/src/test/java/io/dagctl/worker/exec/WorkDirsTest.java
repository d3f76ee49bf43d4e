package io.dagctl.worker.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On the real file system: what an attempt leaves as it found it is reused, anything else is removed. */
class WorkDirsTest {

    @TempDir
    Path root;

    @Test
    void anEmptyDirectoryIsRenamedToTheNextAttemptsName() throws Exception {
        WorkDirs dirs = new WorkDirs(root, 4, false);
        Path first = dirs.create("r.a.1");
        Object inode = Files.getAttribute(first, "unix:ino");
        dirs.release(first);
        assertFalse(Files.exists(first));
        assertEquals(1, dirs.spares());

        Path second = dirs.create("r.b.1");
        assertEquals(root.resolve("r.b.1"), second);
        assertTrue(Files.isDirectory(second));
        assertEquals(inode, Files.getAttribute(second, "unix:ino"), "the same directory, renamed: nothing allocated");
        assertEquals(0, dirs.spares());
    }

    @Test
    void aDirectoryTheTaskFilledChangedOrReplacedIsRemovedNotReused() throws Exception {
        WorkDirs dirs = new WorkDirs(root, 4, false);
        Path filled = dirs.create("r.a.1");
        Files.createDirectories(filled.resolve("sub"));
        Files.writeString(filled.resolve("sub/data.csv"), "x");
        dirs.release(filled);

        Path locked = dirs.create("r.b.1");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-x------"));
        dirs.release(locked);

        Path replaced = dirs.create("r.c.1");
        Path elsewhere = Files.createDirectory(root.resolve("elsewhere"));
        Files.delete(replaced);
        Files.createSymbolicLink(replaced, elsewhere);
        dirs.release(replaced);

        assertFalse(Files.exists(filled));
        assertFalse(Files.exists(locked));
        assertFalse(Files.exists(replaced, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isDirectory(elsewhere), "a link is removed, not what it points to");
        assertEquals(0, dirs.spares());
    }

    @Test
    void sparesAreBoundedAndThoseOfAnEarlierWorkerAreRemoved() throws Exception {
        WorkDirs dirs = new WorkDirs(root, 2, false);
        Path[] used = {dirs.create("a"), dirs.create("b"), dirs.create("c")};
        for (Path dir : used) {
            dirs.release(dir);
        }
        assertEquals(2, dirs.spares());
        assertEquals(2, entries(), "two spares; the third directory was removed");

        new WorkDirs(root, 2, false);
        assertEquals(0, entries(), "a new worker on the same root starts without the old spares");
    }

    @Test
    void keptDirectoriesStayAsTheAttemptLeftThem() throws Exception {
        WorkDirs dirs = new WorkDirs(root, 2, true);
        Path dir = dirs.create("r.a.1");
        dirs.release(dir);
        assertTrue(Files.isDirectory(dir));
        assertEquals(0, dirs.spares());
    }

    private long entries() throws Exception {
        try (Stream<Path> all = Files.list(root)) {
            return all.count();
        }
    }
}
