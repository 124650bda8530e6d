package dev.jobqueue.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobqueue.JobState;
import dev.jobqueue.Queue;
import dev.jobqueue.redis.RedisStorage;
import dev.jobqueue.spi.CheckedStorage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * End to end in a real headless chromium against a real Redis: sign in with the token, see a
 * queue with a job in every state, open a failed job, retry it by clicking (accepting the
 * confirmation), and see it complete; and a screenshot of the overview.
 */
class DashboardBrowserTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private String prefix;
    private RedisStorage storage;
    private DashboardServer server;
    private ChromeDriver browser;
    private Path profile;
    private final List<Queue<JsonNode, JsonNode>> workers = new java.util.ArrayList<>();

    @BeforeEach
    void setUp() {
        Browsers.assumeInstalled();
        RedisServers.assumeReachable();
        prefix = RedisServers.newPrefix();
        storage = RedisServers.storage(prefix);
        profile = Browsers.newProfile();
        browser = Browsers.start(profile);
    }

    @AfterEach
    void tearDown() throws IOException {
        workers.forEach(Queue::close);
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (storage != null) {
            storage.close();
            RedisServers.deleteKeys(prefix);
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void signIn() {
        browser.get(server.uri().toString());
        WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(DashboardApiContract.TOKEN);
        browser.findElement(By.cssSelector("#login button[type=submit]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("queues")));
    }

    private Queue<JsonNode, JsonNode> worker(String queue, dev.jobqueue.JobHandler<JsonNode, JsonNode> handler) {
        Queue<JsonNode, JsonNode> q = Queue.builder(storage, JsonNode.class, JsonNode.class).name(queue)
                .handler(handler).build();
        workers.add(q);
        q.start();
        return q;
    }

    @Test
    void retryAFailedJobByClickingAndSeeItComplete() throws Exception {
        String queue = "orders-" + UUID.randomUUID().toString().substring(0, 8);
        TestQueues.populate(storage, queue);
        server = Dashboard.builder(storage).token(DashboardApiContract.TOKEN).port(0).start();
        signIn();
        WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
        By row = By.cssSelector("tr[data-queue='" + queue + "']");
        WebElement queueRow = wait.until(ExpectedConditions.presenceOfElementLocated(row));
        for (JobState s : JobState.values()) {
            assertEquals("1", queueRow.findElement(By.cssSelector("a[data-count='" + s + "']")).getText(), s.name());
        }

        queueRow.findElement(By.cssSelector("a[data-count='FAILED']")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("a.job-link[data-id='job-failed']"))).click();
        wait.until(ExpectedConditions.textToBe(By.id("job-state"), "FAILED"));
        assertTrue(browser.findElement(By.id("stack-trace")).getText().contains("shop.Payments.charge"));
        assertTrue(browser.findElement(By.id("payload")).getText().contains("\"order\": \"job-failed\""));
        assertEquals("acme", browser.findElement(By.cssSelector("#metadata dd")).getText());
        Path jobPage = Path.of("target", "screenshots", "dashboard-failed-job.png");
        Files.createDirectories(jobPage.getParent());
        Files.write(jobPage, browser.getScreenshotAs(OutputType.BYTES));

        AtomicInteger handled = new AtomicInteger();
        worker(queue, job -> {
            handled.incrementAndGet();
            return job.payload();
        });
        browser.findElement(By.id("action-retry")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBe(By.id("job-state"), "COMPLETED"));
        assertEquals(JobState.COMPLETED, CheckedStorage.of(storage).status(queue, "job-failed").orElseThrow().state());
        assertEquals(null, CheckedStorage.of(storage).status(queue, "job-failed").orElseThrow().error(),
                "the retried run cleared the error");
        assertTrue(handled.get() >= 1);
    }

    @Test
    void screenshotOfTheOverview() throws Exception {
        server = Dashboard.builder(storage).token(DashboardApiContract.TOKEN).port(0)
                .sampleInterval(Duration.ofMillis(300)).start();
        TestQueues.populate(storage, "payments");
        AtomicInteger n = new AtomicInteger();
        worker("emails", job -> {
            Thread.sleep(5);
            if (n.incrementAndGet() % 7 == 0) {
                throw new IllegalStateException("mailbox full");
            }
            return job.payload();
        });
        worker("reports", job -> job.payload());
        Queue<JsonNode, JsonNode> emails = workers.get(0);
        Queue<JsonNode, JsonNode> reports = workers.get(1);
        for (int round = 0; round < 12; round++) {
            for (int i = 0; i < 20 + round * 5; i++) {
                emails.enqueue("mail-" + round + "-" + i, Http.JSON.readTree("{\"to\":\"user" + i + "@example.com\"}"));
            }
            for (int i = 0; i < 10 + (round % 4) * 6; i++) {
                reports.enqueue("report-" + round + "-" + i, Http.JSON.readTree("{\"month\":" + (i % 12 + 1) + "}"));
            }
            Thread.sleep(350);
        }
        reports.pause();
        for (int i = 0; i < 25; i++) {
            reports.enqueue("report-later-" + i, Http.JSON.readTree("{\"month\":1}"));
        }
        signIn();
        new WebDriverWait(browser, PATIENCE).until(d -> d.findElements(By.cssSelector("svg.chart polyline")).size() >= 4);
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        Path out = Path.of("target", "screenshots", "dashboard-overview.png");
        Files.createDirectories(out.getParent());
        Files.write(out, png);

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        Number width = (Number) browser.executeScript("return window.innerWidth * window.devicePixelRatio");
        Number height = (Number) browser.executeScript("return window.innerHeight * window.devicePixelRatio");
        assertEquals(width.intValue(), image.getWidth());
        assertEquals(height.intValue(), image.getHeight());
        assertTrue(image.getWidth() >= 1000 && image.getHeight() >= 500, image.getWidth() + "x" + image.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 20, "a real page, not a blank image: " + colours.size() + " colours");
        if (Boolean.getBoolean("dashboard.updateScreenshot")) {
            Path docs = Path.of("..", "docs", "dashboard.png");
            Files.createDirectories(docs.getParent());
            Files.copy(out, docs, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
