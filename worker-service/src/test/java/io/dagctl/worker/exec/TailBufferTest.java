package io.dagctl.worker.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TailBufferTest {

    private static void write(TailBuffer tail, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        tail.write(b, 0, b.length);
    }

    @Test
    void keepsEverythingWhileItFits() {
        TailBuffer tail = new TailBuffer(10);
        write(tail, "abc");
        write(tail, "def");
        assertEquals("abcdef", tail.text());
    }

    @Test
    void keepsOnlyTheLastBytesAcrossTheWrap() {
        TailBuffer tail = new TailBuffer(5);
        write(tail, "abc");
        write(tail, "defg");
        assertEquals("cdefg", tail.text());
        write(tail, "hi");
        assertEquals("efghi", tail.text());
        assertEquals(9, tail.totalBytes());
    }

    @Test
    void aWriteLargerThanTheBufferKeepsItsEnd() {
        TailBuffer tail = new TailBuffer(4);
        write(tail, "x");
        write(tail, "0123456789");
        assertEquals("6789", tail.text());
        assertEquals(11, tail.totalBytes());
    }
}
