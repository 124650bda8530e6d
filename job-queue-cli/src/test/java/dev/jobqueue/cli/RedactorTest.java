package dev.jobqueue.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
    @Test
    void uriPasswordsAreShownAsStars() {
        assertEquals("redis://ops:***@db:6379/0", Redactor.redactUri("redis://ops:s3cret@db:6379/0"));
        assertEquals("rediss://***@db:6380", Redactor.redactUri("rediss://s3cret@db:6380"));
        assertEquals("redis://db:6379", Redactor.redactUri("redis://db:6379"));
        assertEquals("--redis=redis://:***@db and redis://u:***@other",
                Redactor.redactUri("--redis=redis://:pw1@db and redis://u:pw2@other"));
    }

    @Test
    void knownSecretsAreScrubbedFromAnyMessageAlsoDecoded() {
        Redactor redactor = Redactor.forTexts(Arrays.asList("stats", "--redis", "redis://ops:p%40ss-word@db:6379", null));
        assertEquals("AUTH failed for *** at db", redactor.scrub("AUTH failed for p@ss-word at db"));
        assertEquals("echo *** back", redactor.scrub("echo p%40ss-word back"));
        assertEquals(null, redactor.scrub(null));
        assertEquals("no secret here", Redactor.forTexts(List.of("--dir", "/tmp")).scrub("no secret here"));
    }
}
