package net.trustbl.ui;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import net.trustbl.support.Api;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole story in a real headless Chromium: register, confirm by mail, log in, create a key,
 * report, a second trusted member reports, the lookup page shows the listing, a delisting request
 * is confirmed by mail and upheld by an admin. Saves screenshots of the main pages (see
 * {@link #screenshotDir()}). Skipped when chromedriver is not installed.
 */
@QuarkusTest
class BrowserFlowTest {

    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final String PASSWORD = "browser test password";

    @TestHTTPResource("/")
    URL base;

    WebDriver driver;
    Path profile;

    @BeforeEach
    void startBrowser() throws IOException {
        boolean installed = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
        if (!installed) {
            String msg = "BrowserFlowTest SKIPPED: no headless browser (" + CHROMIUM + " and " + CHROMEDRIVER
                    + " must be executable; install the Debian packages chromium and chromium-driver). "
                    + "The end-to-end browser flow was NOT tested.";
            System.err.println("\n" + "*".repeat(100) + "\n*** " + msg + "\n" + "*".repeat(100) + "\n");
            org.jboss.logging.Logger.getLogger(BrowserFlowTest.class).warn(msg);
        }
        assumeTrue(installed, "chromium + chromedriver not installed: BrowserFlowTest skipped");
        profile = Files.createTempDirectory("trustbl-chrome");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--hide-scrollbars", "--user-data-dir=" + profile, "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, o);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    String url(String path) {
        String b = base.toString();
        return (b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path;
    }

    void open(String path) {
        driver.get(url(path));
    }

    void fill(String name, String value) {
        WebElement e = driver.findElement(By.name(name));
        e.clear();
        e.sendKeys(value);
    }

    /**
     * Clicks a submit button and waits for the next page. The old document is marked with a
     * window property; the next page has a fresh window object without it. (Polling the old
     * element for staleness is racy: while the navigation is under way Chromium may answer
     * "node does not belong to the document" instead of a stale-element error.)
     */
    void submit(By button) {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        js.executeScript("window.__trustblOldPage = true;");
        driver.findElement(button).click();
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> {
            try {
                Object fresh = js.executeScript(
                        "return window.__trustblOldPage !== true && document.readyState === 'complete';");
                return Boolean.TRUE.equals(fresh);
            } catch (org.openqa.selenium.WebDriverException navigating) {
                return false; // the page is being replaced right now; ask again
            }
        });
    }

    String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    void login(String email, String password) {
        driver.manage().deleteAllCookies();
        open("/login");
        fill("email", email);
        fill("password", password);
        submit(By.cssSelector("main form button[type=submit]"));
    }

    /** A full-page screenshot: the window grows to the page height first. */
    void screenshot(String name, int width) {
        Path dir = screenshotDir();
        driver.manage().window().setSize(new Dimension(width, 900));
        long height = (Long) ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollHeight");
        driver.manage().window().setSize(new Dimension(width, (int) Math.min(Math.max(height, 600), 4000)));
        File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        try {
            Files.createDirectories(dir);
            Files.copy(f.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        driver.manage().window().setSize(new Dimension(1280, 900));
    }

    /**
     * target/screenshots by default; the README's pictures in docs/screenshots are refreshed only
     * on request ({@code -Dscreenshots.update=true}), so a test run leaves the work tree clean.
     */
    static Path screenshotDir() {
        Path here = Path.of("").toAbsolutePath();
        if (!Boolean.getBoolean("screenshots.update")) {
            return here.resolve("target").resolve("screenshots");
        }
        Path root = Files.isDirectory(here.resolve("docs")) ? here : here.getParent();
        return root.resolve("docs").resolve("screenshots");
    }

    @Test
    void theApiDescriptionRendersUnderItsContentSecurityPolicy() {
        io.restassured.response.Response r = io.restassured.RestAssured.given().get(base.toString() + "q/swagger-ui/");
        assertEquals(200, r.statusCode());
        String csp = r.getHeader("Content-Security-Policy");
        assertTrue(csp != null && csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"), csp);
        assertEquals("DENY", r.getHeader("X-Frame-Options"));
        // the policy must not break the page: the operations are drawn from /q/openapi by its scripts
        open("/q/swagger-ui/");
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> !d.findElements(By.cssSelector(".opblock")).isEmpty());
        assertTrue(text().contains("/api/v1/reports"), "the report route is listed");
    }

    @Test
    void registerReportListAndDelistInARealBrowser() {
        open("/");
        assertTrue(text().contains("reject_rbl_client bl.trustbl.test"));
        screenshot("home", 1280);

        // register and confirm by mail
        String email = "browser" + System.nanoTime() + "@example.org";
        open("/register");
        fill("email", email);
        fill("password", PASSWORD);
        fill("password2", PASSWORD);
        screenshot("register", 1280);
        submit(By.cssSelector("main form button[type=submit]"));
        assertTrue(text().contains("Check your mail"), text());
        open(Mailbox.link(Mailbox.await(email, "Confirm your TrustBL address"), "/confirm?token="));
        submit(By.cssSelector("main form[action='/confirm'] button"));
        assertTrue(text().contains("Address confirmed"));

        // log in, create a key (shown once)
        login(email, PASSWORD);
        assertTrue(driver.getCurrentUrl().endsWith("/dashboard"), driver.getCurrentUrl());
        open("/keys");
        fill("label", "mx1 report script");
        fill("password", PASSWORD); // a key outlives the session: the password is asked for again
        submit(By.cssSelector("main form[action='/keys'] button"));
        String key = driver.findElement(By.cssSelector("#new-key code")).getText();
        assertTrue(key.startsWith("tbl_"), key);
        screenshot("keys", 1280);
        given().header("Authorization", "Bearer " + key).get("/api/v1/me").then().statusCode(200).body("email", equalTo(email));

        // an admin trusts the new member (pin) so that two reports list
        long memberId = given().header("Authorization", "Bearer " + key).get("/api/v1/me").then().extract().jsonPath().getLong("id");
        Api.pinTrust(memberId, 0.6);

        // report in the web form: one good line, one bad line, each with its result
        String ip = Api.freshIp();
        login(email, PASSWORD);
        open("/reports");
        fill("ips", ip + "\n10.1.2.3");
        fill("category", "phishing");
        submit(By.cssSelector("main form[action='/reports'] button"));
        String results = driver.findElement(By.cssSelector("table.results")).getText();
        assertTrue(results.contains("filed as report #"), results);
        assertTrue(results.contains("private address space"), results);
        screenshot("reports", 1280);

        // a second trusted member reports over the API
        Api.Member second = Api.newMember();
        Api.pinTrust(second.id(), 0.6);
        Api.report(second.key(), ip, "spam").then().statusCode(202);

        // the sender's view: listed, with why and what to do
        driver.manage().deleteAllCookies();
        open("/lookup");
        fill("ip", ip);
        submit(By.cssSelector("main form button"));
        assertTrue(text().contains(ip + " is listed"), text());
        assertTrue(text().contains("127.0.0.2"));
        assertTrue(text().contains("Request delisting"));
        screenshot("lookup-listed", 1280);
        screenshot("lookup-listed-phone", 390);

        // a delisting request, confirmed by mail
        String requester = "postmaster" + System.nanoTime() + "@sender.example";
        fill("email", requester);
        fill("message", "The compromised account was closed and its password changed.");
        submit(By.cssSelector("form[action$='/delisting'] button"));
        assertTrue(text().contains("Check your mail"), text());
        open(Mailbox.link(Mailbox.await(requester, "Confirm your delisting request"), "/delisting/confirm?token="));
        submit(By.cssSelector("main form[action='/delisting/confirm'] button"));
        assertTrue(text().contains("Request confirmed"));

        // the admin upholds it with one click
        login(Api.ADMIN_EMAIL, Api.ADMIN_PASSWORD);
        open("/admin/moderation");
        WebElement item = driver.findElements(By.cssSelector(".queue-item")).stream()
                .filter(e -> e.getText().contains(ip)).findFirst().orElseThrow();
        String itemId = item.getAttribute("id");
        screenshot("admin-moderation", 1280);
        submit(By.cssSelector("#" + itemId + " button[name=uphold]"));
        assertTrue(text().contains("Decision recorded: upheld"), text());
        open("/admin/members?q=" + email);
        assertTrue(text().contains(email));
        screenshot("admin-members", 1280);
        open("/admin/audit");
        assertTrue(text().contains("moderation-uphold"));
        screenshot("admin-audit", 1280);

        given().get("/api/v1/lookup/" + ip).then().body("listed", equalTo(false));
        assertTrue(Mailbox.await(requester, "was granted").body().contains(ip));
        driver.manage().deleteAllCookies();
        open("/lookup/" + ip);
        assertTrue(text().contains(ip + " is not listed"));
        screenshot("lookup-not-listed", 1280);

        // the member's dashboard shows the struck report and the trust history
        login(email, PASSWORD);
        assertTrue(text().contains("strikes"));
        screenshot("dashboard", 1280);
        open("/query-key");
        screenshot("query-key", 1280);
        open("/stats");
        screenshot("stats", 1280);
        // at phone width the charts shrink to about half: their labels must still be readable
        driver.manage().window().setSize(new Dimension(390, 900));
        double labelPx = ((Number) ((JavascriptExecutor) driver).executeScript(
                "return document.querySelector('.chart svg .lbl:not(.alt)').getBoundingClientRect().height")).doubleValue();
        assertTrue(labelPx >= 9, "chart labels are " + labelPx + " px high at 390 px width");
        screenshot("stats-phone", 390);
        assertFalse(driver.getPageSource().contains("<script"));
        assertEquals(0, ((Long) ((JavascriptExecutor) driver).executeScript("return document.scripts.length")).intValue());
    }
}
