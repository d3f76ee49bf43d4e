package io.dagctl.worker.exec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the last {@code capacity} bytes of a stream, whatever its length: a ring buffer, so 20 GB of output costs
 * {@code capacity} bytes of memory.
 */
public final class TailBuffer {

    private final byte[] ring;
    private long total;

    public TailBuffer(int capacity) {
        this.ring = new byte[capacity];
    }

    public synchronized void write(byte[] data, int offset, int length) {
        if (ring.length == 0) {
            total += length;
            return;
        }
        if (length >= ring.length) {
            offset += length - ring.length;
            total += length - ring.length;
            length = ring.length;
        }
        int start = (int) (total % ring.length);
        int first = Math.min(length, ring.length - start);
        System.arraycopy(data, offset, ring, start, first);
        System.arraycopy(data, offset + first, ring, 0, length - first);
        total += length;
    }

    /** Reads {@code in} to its end into this buffer, passing what it reads on to {@code also} in whole characters. */
    public void drain(InputStream in, String stream, OutputSink also) throws IOException {
        byte[] chunk = new byte[8192 + 3];
        int carried = 0;
        int n;
        while ((n = in.read(chunk, carried, 8192)) != -1) {
            write(chunk, carried, n);
            int filled = carried + n;
            int complete = Utf8.completeLength(chunk, filled);
            also.write(stream, chunk, complete);
            carried = filled - complete;
            System.arraycopy(chunk, complete, chunk, 0, carried);
        }
        if (carried > 0) {
            also.write(stream, chunk, carried);
        }
    }

    public synchronized long totalBytes() {
        return total;
    }

    /** The kept tail as UTF-8 text (a character cut in half at the start is replaced). */
    public synchronized String text() {
        int kept = (int) Math.min(total, ring.length);
        byte[] out = new byte[kept];
        int start = (int) ((total - kept) % Math.max(1, ring.length));
        int first = Math.min(kept, ring.length - start);
        System.arraycopy(ring, start, out, 0, first);
        System.arraycopy(ring, 0, out, first, kept - first);
        return new String(out, StandardCharsets.UTF_8);
    }
}
