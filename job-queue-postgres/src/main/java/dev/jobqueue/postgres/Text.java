package dev.jobqueue.postgres;

/**
 * Job ids, queue names, worker ids and lock names as stored in {@code text} columns. PostgreSQL
 * text cannot hold U+0000, which a job id may contain, so U+0000 and the escape character U+0001
 * are written as two characters each (U+0001 '0', U+0001 '1'): a one-to-one mapping that leaves
 * every other id unchanged (and costs one scan of the string).
 */
final class Text {
    private static final char ESCAPE = '\u0001';

    private Text() {
    }

    static String encode(String s) {
        if (s == null || (s.indexOf('\u0000') < 0 && s.indexOf(ESCAPE) < 0)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u0000') {
                b.append(ESCAPE).append('0');
            } else if (c == ESCAPE) {
                b.append(ESCAPE).append('1');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static String decode(String s) {
        if (s == null || s.indexOf(ESCAPE) < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ESCAPE && i + 1 < s.length()) {
                b.append(s.charAt(++i) == '0' ? '\u0000' : ESCAPE);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
