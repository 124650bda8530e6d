package dev.jobqueue.dashboard;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless chromium (Debian's chromium and chromium-driver packages) for the end-to-end
 * tests, with a fresh profile and no background traffic. Without the binaries the tests are
 * skipped, unless {@code JQ_REQUIRE_BROWSER} (environment) or {@code jq.requireBrowser} (system
 * property) is set, as .ci/run does: then a missing browser fails them.
 */
final class Browsers {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final int WIDTH = 1400;
    static final int HEIGHT = 900;

    private Browsers() {
    }

    static void assumeInstalled() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (present) {
            return;
        }
        String message = "chromium or chromedriver missing (" + CHROMIUM + ", " + CHROMEDRIVER
                + "): apt-get install chromium chromium-driver";
        if (System.getenv("JQ_REQUIRE_BROWSER") != null || Boolean.getBoolean("jq.requireBrowser")) {
            throw new IllegalStateException(message + " (required here: JQ_REQUIRE_BROWSER / jq.requireBrowser)");
        }
        Assumptions.abort(message);
    }

    static ChromeDriver start(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath(),
                "--window-size=" + WIDTH + "," + HEIGHT, "--force-device-scale-factor=1");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return driver;
    }

    static Path newProfile() {
        try {
            return Files.createTempDirectory("jq-dashboard-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
