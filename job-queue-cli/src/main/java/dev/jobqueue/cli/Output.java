package dev.jobqueue.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Where a command writes: human-readable text, or with {@code --json} exactly one JSON document
 * on stdout (plain Jackson tree, no type information). Notes for people go to stderr in both modes.
 */
final class Output {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;

    Output(PrintWriter out, PrintWriter err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Prints a line of text (text mode only). */
    void line(String text) {
        if (!json) {
            out.println(text);
        }
    }

    /** Prints the command's JSON document (JSON mode only). */
    void document(JsonNode node) {
        if (json) {
            try {
                out.println(MAPPER.writeValueAsString(node));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A note for the person at the terminal, on stderr in both modes. */
    void note(String text) {
        err.println(text);
    }

    void flush() {
        out.flush();
        err.flush();
    }
}
