package io.dagctl.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dagctl.core.model.DagSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** What identifies a submission: its own random id, and a digest of what it asks for. */
public final class Submissions {

    /** Map entries sorted: the same DAG gives the same bytes on every instance, whatever the maps' iteration order. */
    private static final ObjectWriter CANONICAL =
            Events.mapper().writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Submissions() {}

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** SHA-256 (hex) of the DAG and the parameters in a canonical JSON form. */
    public static String digest(DagSpec dag, Map<String, String> params) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(CANONICAL.writeValueAsBytes(dag));
            sha.update((byte) 0);
            sha.update(CANONICAL.writeValueAsString(new TreeMap<>(params)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the DAG as JSON", e);
        }
    }
}
