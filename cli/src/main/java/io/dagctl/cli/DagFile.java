package io.dagctl.cli;

import io.dagctl.core.model.DagSpec;
import io.dagctl.core.parse.CommandFiles;
import io.dagctl.core.parse.DagDocument;
import io.dagctl.core.parse.DagParser;
import io.dagctl.core.parse.DagValidationException;
import io.dagctl.core.parse.InvalidParamsException;
import io.dagctl.core.parse.ParamProblem;
import io.dagctl.core.parse.Problem;
import io.dagctl.core.parse.RunParams;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A DAG file read and validated for a command, with every problem printed the way compilers print them. Scripts it
 * names with {@code command_file} are read from next to it.
 */
record DagFile(Path path, String text, DagSpec dag, boolean namesCommandFiles) {

    /** What to send to the API: the file as it is, or, when it names script files, the DAG with the scripts in it. */
    String submissionText() {
        return namesCommandFiles ? DagDocument.toJson(dag) : text;
    }

    /** Whether {@link #submissionText} is JSON. */
    boolean submitsJson() {
        return namesCommandFiles || path.toString().endsWith(".json");
    }

    /**
     * The parameters a run of this DAG starts with, checked here before anything is sent or started; empty after
     * printing each problem.
     */
    Optional<Map<String, String>> params(Map<String, String> given, PrintWriter err) {
        try {
            return Optional.of(RunParams.resolve(dag, given));
        } catch (InvalidParamsException e) {
            for (ParamProblem problem : e.problems()) {
                err.println(path + ": " + problem.format());
            }
            err.println(
                    e.problems().size() == 1
                            ? "1 problem; nothing was run"
                            : e.problems().size() + " problems; nothing was run");
            return Optional.empty();
        }
    }

    /** The file's DAG, or empty after printing why it cannot be used. */
    static Optional<DagFile> load(Path path, PrintWriter err) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            err.println("dagctl: " + path + ": no such file");
            return Optional.empty();
        } catch (MalformedInputException e) {
            err.println("dagctl: " + path + ": not UTF-8 text");
            return Optional.empty();
        } catch (IOException e) {
            err.println("dagctl: " + path + ": cannot read: " + e.getMessage());
            return Optional.empty();
        }
        try {
            CommandFiles commandFiles = DagParser.commandFilesNextTo(path);
            DagSpec dag = new DagParser().parse(text, path.toString(), commandFiles);
            return Optional.of(new DagFile(path, text, dag, commandFiles.wereNamed()));
        } catch (DagValidationException e) {
            for (Problem problem : e.problems()) {
                err.println(problem.format());
            }
            err.println(
                    e.problems().size() == 1
                            ? "1 problem; nothing was run"
                            : e.problems().size() + " problems; nothing was run");
            return Optional.empty();
        }
    }
}
