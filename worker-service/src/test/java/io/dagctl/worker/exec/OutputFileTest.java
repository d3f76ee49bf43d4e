package io.dagctl.worker.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFileTest {

    @TempDir
    Path dir;

    @Test
    void readsKeyValueLinesWithTheRestOfTheLineAsValue() throws Exception {
        assertEquals(
                Map.of("a", "1", "url", "http://x/?q=1&r=2", "empty", "", "_x9", " spaced "),
                OutputFile.parse("a=1\nurl=http://x/?q=1&r=2\r\n\nempty=\n_x9= spaced \n"));
        assertEquals(Map.of("a", "2"), OutputFile.parse("a=1\na=2\n"), "the last value of a key wins");
    }

    @Test
    void readsOneJsonObjectWithNestedValues() throws Exception {
        assertEquals(
                Map.of("files", List.of("a", "b"), "meta", Map.of("n", 2), "pi", 3.14, "ok", false),
                OutputFile.parse("  {\"files\": [\"a\", \"b\"], \"meta\": {\"n\": 2}, \"pi\": 3.14, \"ok\": false}\n"));
    }

    @Test
    void namesTheWrongLineOrKey() {
        var wrongLine = assertThrows(OutputFile.RefusedException.class, () -> OutputFile.parse("a=1\n\n9lives=x\n"));
        assertTrue(wrongLine.getMessage().contains("line 3")
                && wrongLine.getMessage().contains("9lives=x"));
        var noEquals = assertThrows(OutputFile.RefusedException.class, () -> OutputFile.parse("just text"));
        assertTrue(noEquals.getMessage().contains("line 1"), noEquals.getMessage());
        var badKey = assertThrows(OutputFile.RefusedException.class, () -> OutputFile.parse("{\"a-b\": 1}"));
        assertTrue(badKey.getMessage().contains("'a-b'"), badKey.getMessage());
        var badJson = assertThrows(OutputFile.RefusedException.class, () -> OutputFile.parse("{\"a\": 1,\n}"));
        assertTrue(badJson.getMessage().contains("line 2"), badJson.getMessage());
        var trailing = assertThrows(OutputFile.RefusedException.class, () -> OutputFile.parse("{\"a\": 1} {}"));
        assertTrue(trailing.getMessage().contains("not a valid JSON object"), trailing.getMessage());
        assertThrows(OutputFile.RefusedException.class, () -> OutputFile.parse("{\"a\": null}"));
    }

    @Test
    void takesAFileAtTheLimitAndRefusesOneByteMore() throws Exception {
        Path file = dir.resolve("out");
        String atLimit = "k=" + "x".repeat(1024 - 3) + "\n";
        Files.writeString(file, atLimit, StandardCharsets.UTF_8);
        assertEquals(1024, Files.size(file));
        assertEquals(1, OutputFile.read(file, 1024).size());
        Files.writeString(file, "k=" + "x".repeat(1024 - 2) + "\n", StandardCharsets.UTF_8);
        var over = assertThrows(OutputFile.RefusedException.class, () -> OutputFile.read(file, 1024));
        assertTrue(over.getMessage().contains("1025 bytes") && over.getMessage().contains("the limit is 1 KiB"));
        assertEquals(Map.of(), OutputFile.read(dir.resolve("none"), 1024), "no file: no outputs");
    }

    @Test
    void aLinkToNothingIsNoOutputs() throws Exception {
        // the missing file most tasks leave is told by a stat that follows links: nothing is read through this one
        Path link = dir.resolve("dangling");
        Files.createSymbolicLink(link, dir.resolve("nowhere"));
        assertEquals(Map.of(), OutputFile.read(link, 1024));
    }

    @Test
    void refusesALinkOrAPipeInsteadOfReadingThem() throws Exception {
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, Path.of("/dev/zero"));
        var refused = assertThrows(OutputFile.RefusedException.class, () -> OutputFile.read(link, 1024));
        assertTrue(refused.getMessage().contains("not a regular file"), refused.getMessage());
    }

    @Test
    void refusesTextThatIsNotUtf8() throws Exception {
        Path file = dir.resolve("bin");
        Files.write(file, new byte[] {'k', '=', (byte) 0xff, (byte) 0xfe});
        var refused = assertThrows(OutputFile.RefusedException.class, () -> OutputFile.read(file, 1024));
        assertTrue(refused.getMessage().contains("UTF-8"));
    }
}
