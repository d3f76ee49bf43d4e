package io.dagctl.core.parse;

import io.dagctl.core.event.RecordLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the files named by {@code command_file}, relative to the directory of the DAG file. Only the dagctl CLI reads
 * them, on the machine where the DAG file is; what it submits holds the command itself.
 */
public final class CommandFiles {

    private final Path directory;
    private boolean read;

    public CommandFiles(Path directory) {
        this.directory = directory;
    }

    /** Whether the DAG named a command file (then the DAG sent to the API must carry the command itself). */
    public boolean wereNamed() {
        return read;
    }

    /** The file's text, or a message that says why it cannot be the command. */
    Result read(String name) {
        read = true;
        Path file = directory.resolve(name).normalize();
        try {
            if (Files.isDirectory(file)) {
                return Result.problem(file + " is a directory, not a script");
            }
            long size = Files.size(file);
            if (size > RecordLimits.MAX_TASK_COMMAND_BYTES) {
                return Result.problem(file + " has " + size + " bytes; a command may have at most "
                        + RecordLimits.describe(RecordLimits.MAX_TASK_COMMAND_BYTES));
            }
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return text.isBlank() ? Result.problem(file + " is empty") : Result.text(text);
        } catch (NoSuchFileException e) {
            return Result.problem("no such file: " + file);
        } catch (CharacterCodingException e) {
            return Result.problem(file + " is not UTF-8 text");
        } catch (IOException e) {
            return Result.problem("cannot read " + file + ": " + e.getMessage());
        }
    }

    record Result(String text, String problem) {
        static Result text(String text) {
            return new Result(text, null);
        }

        static Result problem(String problem) {
            return new Result(null, problem);
        }
    }
}
