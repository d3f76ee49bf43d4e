package io.dagctl.worker.exec;

/** Where UTF-8 text may be cut without splitting a character. */
final class Utf8 {

    private Utf8() {}

    /** The length of the longest prefix of {@code data[0..length)} that does not end inside a multi-byte character. */
    static int completeLength(byte[] data, int length) {
        for (int back = 1; back <= Math.min(3, length); back++) {
            int b = data[length - back] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // a continuation byte: look further back for the lead byte
            }
            int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? length - back : length;
        }
        return length;
    }
}
