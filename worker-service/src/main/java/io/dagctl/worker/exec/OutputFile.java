package io.dagctl.worker.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.dagctl.core.event.RecordLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads what a task wrote to the file named by {@code $DAGCTL_OUTPUT}: either one JSON object, or lines
 * {@code key=value} (value: the rest of the line, as text). Over the size limit or malformed, the outputs are refused
 * with a reason that names the limit and the size, or the line that is wrong; they are never cut.
 */
public final class OutputFile {

    /** The outputs could not be taken; the attempt fails with this message. */
    public static final class RefusedException extends Exception {
        RefusedException(String message) {
            super(message);
        }
    }

    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private OutputFile() {}

    /**
     * The outputs in the file (empty when the task wrote none, or no file). Only a regular file is read, never through
     * a link, and never more than {@code maxBytes + 1} bytes of it, whatever a process still writing to it does.
     */
    public static Map<String, Object> read(Path file, int maxBytes) throws RefusedException {
        if (!file.toFile().exists()) {
            // most tasks write no outputs: a stat, where Files' own check throws (and fills in) an exception per task
            // (a link to nothing is taken for no file: nothing is read through it)
            return Map.of();
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new RefusedException("could not read $DAGCTL_OUTPUT: " + e.getMessage());
        }
        if (!attributes.isRegularFile()) {
            throw new RefusedException("$DAGCTL_OUTPUT is not a regular file (a link, a pipe or a directory)");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw new RefusedException("could not read $DAGCTL_OUTPUT: " + e.getMessage());
        }
        if (bytes.length > maxBytes) {
            long size = Math.max(attributes.size(), bytes.length);
            throw new RefusedException("$DAGCTL_OUTPUT holds "
                    + (attributes.size() > maxBytes ? size + " bytes" : "more than " + maxBytes + " bytes")
                    + "; the limit is " + RecordLimits.describe(maxBytes)
                    + " (dagctl.worker.max-output-bytes); outputs are never cut");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new RefusedException("$DAGCTL_OUTPUT is not UTF-8 text");
        }
        return parse(text);
    }

    /** Outputs from the file's text: a JSON object when it starts with '{', else lines of {@code key=value}. */
    public static Map<String, Object> parse(String text) throws RefusedException {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return Map.of();
        }
        return trimmed.startsWith("{") ? jsonObject(trimmed) : keyValueLines(text);
    }

    private static Map<String, Object> jsonObject(String text) throws RefusedException {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new RefusedException("$DAGCTL_OUTPUT is not a valid JSON object"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")") + ": "
                    + e.getOriginalMessage());
        }
        Map<String, Object> outputs = new LinkedHashMap<>();
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
            String key = field.getKey();
            if (!KEY.matcher(key).matches()) {
                throw new RefusedException("$DAGCTL_OUTPUT: key '" + key + "' is not a name ([A-Za-z_][A-Za-z0-9_]*)");
            }
            JsonNode value = field.getValue();
            if (value.isNull()) {
                throw new RefusedException("$DAGCTL_OUTPUT: key '" + key + "' is null; give a value or leave it out");
            }
            outputs.put(key, JSON.convertValue(value, Object.class));
        }
        return outputs;
    }

    private static Map<String, Object> keyValueLines(String text) throws RefusedException {
        Map<String, Object> outputs = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? line : line.substring(0, eq);
            if (eq < 0 || !KEY.matcher(key).matches()) {
                throw new RefusedException("$DAGCTL_OUTPUT line " + (i + 1) + " is not key=value with a key of"
                        + " [A-Za-z_][A-Za-z0-9_]*: " + RecordLimits.keepStart(line, 200));
            }
            // a key written twice keeps its last value, as a shell script that sets it twice expects
            outputs.put(key, line.substring(eq + 1));
        }
        return outputs;
    }
}
