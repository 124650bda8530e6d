package dev.jobqueue.cli;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the passwords of target URIs out of everything the tool prints. It learns the secrets from
 * the command line and the environment before parsing, so even a usage error that quotes a
 * misplaced URI shows {@code ***}; the URI shown in messages has its password replaced too.
 */
final class Redactor {
    static final Redactor NONE = new Redactor(Set.of());

    /** scheme://user:password@ or scheme://password@ (Redis accepts a bare password as user info). */
    private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^@/?#\\s]*)@");

    private final Set<String> secrets;

    private Redactor(Set<String> secrets) {
        this.secrets = secrets;
    }

    /** A redactor for every password found in the user info of a URI inside {@code texts}. */
    static Redactor forTexts(Iterable<String> texts) {
        Set<String> secrets = new LinkedHashSet<>();
        for (String text : texts) {
            if (text == null) {
                continue;
            }
            Matcher m = USER_INFO.matcher(text);
            while (m.find()) {
                String userInfo = m.group(2);
                int colon = userInfo.indexOf(':');
                String secret = colon < 0 ? userInfo : userInfo.substring(colon + 1);
                if (!secret.isEmpty()) {
                    secrets.add(secret);
                    secrets.add(decode(secret));
                }
            }
        }
        return new Redactor(Set.copyOf(secrets));
    }

    /** A percent-encoded password ({@code p%40ss}) reaches the server, and maybe messages, decoded. */
    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /** {@code uri} as it may be shown: {@code redis://user:***@host:6379}. */
    static String redactUri(String uri) {
        Matcher m = USER_INFO.matcher(uri);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String userInfo = m.group(2);
            int colon = userInfo.indexOf(':');
            String shown = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
            m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + shown + "@"));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** {@code text} with every URI password redacted and every occurrence of a known secret replaced by {@code ***}. */
    String scrub(String text) {
        if (text == null) {
            return null;
        }
        String scrubbed = redactUri(text);
        for (String secret : secrets) {
            scrubbed = scrubbed.replace(secret, "***");
        }
        return scrubbed;
    }
}
