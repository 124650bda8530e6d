package dev.jobqueue;

/**
 * The example in PlainJson's Javadoc, compiled here: PlainJson is package-private, so this class
 * sits in its package (tests only, on the class path).
 */
@SuppressWarnings("unused")
final class PlainJsonSnippets {

    private PlainJsonSnippets() {
    }

    static void plainJson() {
        // snippet: plain-json
        byte[] json = PlainJson.quoteAscii("order-42");   // "order-42" with quotes, or null when escapes are needed
        String s = PlainJson.unquoteAscii(json);          // order-42, or null when Jackson must decide
        // end-snippet
    }
}
