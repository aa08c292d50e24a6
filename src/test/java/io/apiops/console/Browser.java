package io.apiops.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium, driven through the system's chromedriver, that finds controls the way a person or an
 * accessibility-minded script does: by their accessible names.
 */
final class Browser implements AutoCloseable {

    private static final Path CHROMIUM = onPath("chromium");
    private static final Path CHROMEDRIVER = onPath("chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(30);

    final ChromeDriver driver;
    private final WebDriverWait wait;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, WAIT);
        wait.ignoring(StaleElementReferenceException.class);
    }

    /**
     * A new browser with a fresh profile. Without Chromium the test is skipped on a developer's machine, but fails
     * under continuous integration, which installs it.
     */
    static Browser open(int width, int height) {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && System.getenv("CI") == null) {
            Assumptions.abort("Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
        }
        assertThat(present).as("chromium and chromium-driver are installed").isTrue();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--window-size=" + width + "," + height,
                "--lang=en-GB", "--force-prefers-reduced-motion");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
        return new Browser(driver);
    }

    /** The first executable of this name on the PATH, or a path that does not exist. */
    private static Path onPath(String name) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return Path.of(name);
    }

    void get(URI uri) {
        driver.get(uri.toString());
    }

    /** The displayed control whose role is one of tags and whose accessible name is exactly name. */
    WebElement byName(String tags, String name) {
        return wait.withMessage(() -> "no displayed " + tags + " named '" + name + "'")
                .until(d -> find(tags, name));
    }

    private WebElement find(String tags, String name) {
        for (WebElement element : driver.findElements(By.cssSelector(tags))) {
            if (element.isDisplayed() && name.equals(element.getAccessibleName())) {
                return element;
            }
        }
        return null;
    }

    boolean has(String tags, String name) {
        return find(tags, name) != null;
    }

    WebElement button(String name) {
        return byName("button", name);
    }

    WebElement link(String name) {
        return byName("a[href]", name);
    }

    /** A form control by its label. */
    WebElement field(String label) {
        return byName("input, select, textarea", label);
    }

    void type(String label, String text) {
        WebElement field = field(label);
        field.clear();
        field.sendKeys(text);
    }

    void choose(String label, String option) {
        new Select(field(label)).selectByVisibleText(option);
    }

    /** The table row whose row header is exactly name. */
    WebElement row(String name) {
        return wait.withMessage(() -> "no row named '" + name + "'").until(d -> findRow(d, name));
    }

    /**
     * The text of the row named {@code name} once it shows every one of {@code expected}. The list may render again
     * while it is read; each try finds the row anew.
     */
    String rowShowing(String name, String... expected) {
        return wait.withMessage(() -> "no row named '" + name + "' showing " + List.of(expected)).until(d -> {
            WebElement row = findRow(d, name);
            String text = row == null ? "" : row.getText();
            return List.of(expected).stream().allMatch(text::contains) ? text : null;
        });
    }

    /** Clicks the button labelled {@code label} in the row named {@code name}, finding both anew on each try. */
    void clickInRow(String name, String label) {
        wait.withMessage(() -> "no button '" + label + "' in the row named '" + name + "'").until(d -> {
            WebElement row = findRow(d, name);
            if (row == null) {
                return false;
            }
            row.findElement(By.xpath(".//button[normalize-space()='" + label + "']")).click();
            return true;
        });
    }

    private static WebElement findRow(WebDriver driver, String name) {
        for (WebElement row : driver.findElements(By.cssSelector("table tbody tr"))) {
            List<WebElement> header = row.findElements(By.cssSelector("th[scope=row]"));
            if (!header.isEmpty() && header.get(0).getText().startsWith(name) && row.isDisplayed()) {
                return row;
            }
        }
        return null;
    }

    void waitForText(String text) {
        wait.withMessage(() -> "the page never showed '" + text + "'")
                .until(d -> d.findElement(By.tagName("body")).getText().contains(text));
    }

    void waitUntil(String what, Supplier<Boolean> condition) {
        wait.withMessage(() -> what).until(d -> condition.get());
    }

    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    Object asyncScript(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, arguments);
    }

    /** Lets the page use the asynchronous clipboard, as a person's browser asks them to. */
    void allowClipboard(URI origin) {
        driver.executeCdpCommand("Browser.grantPermissions", Map.of(
                "origin", origin.getScheme() + "://" + origin.getAuthority(),
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
    }

    String clipboard() {
        return (String) asyncScript("const done = arguments[arguments.length - 1];"
                + "navigator.clipboard.readText().then(done, e => done('failed: ' + e))");
    }

    /** Everything the browser keeps for this origin: cookies, web storage, IndexedDB and Cache Storage. */
    Map<String, Object> storedState() {
        @SuppressWarnings("unchecked")
        Map<String, Object> state = (Map<String, Object>) asyncScript("const done = arguments[arguments.length - 1];"
                + "(async () => ({"
                + "  cookie: document.cookie,"
                + "  localStorage: localStorage.length,"
                + "  sessionStorage: sessionStorage.length,"
                + "  indexedDB: (await indexedDB.databases()).length,"
                + "  caches: (await caches.keys()).length"
                + "}))().then(done, e => done({ failed: String(e) }))");
        state.put("cookies", driver.manage().getCookies().size());
        return state;
    }

    /** axe-core's violations on the current page, as JSON; "[]" when there are none. */
    String accessibilityViolations() {
        if (!Boolean.TRUE.equals(script("return typeof window.axe === 'object'"))) {
            script(axeSource());
        }
        return (String) asyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, { resultTypes: ['violations'] })"
                + ".then(r => done(JSON.stringify(r.violations.map(v => ({ id: v.id, impact: v.impact,"
                + " help: v.help, nodes: v.nodes.map(n => n.target.join(' ')) })))), e => done('failed: ' + e))");
    }

    private static String axeSource() {
        try (InputStream in = Objects.requireNonNull(Browser.class.getResourceAsStream("/axe.min.js"),
                "axe.min.js on the test class path")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Saves a screenshot as name.png in target/screenshots, or in the directory named by the system property
     * console.screenshots (the README's pictures come from {@code -Dconsole.screenshots=docs/screenshots}).
     */
    void screenshot(String name) {
        Path directory = Path.of(System.getProperty("console.screenshots", "target/screenshots"));
        try {
            Files.createDirectories(directory);
            Files.write(directory.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A full-page screenshot: the window grows to the page's height first. */
    void fullScreenshot(String name) {
        Dimension size = driver.manage().window().getSize();
        long height = (Long) script("return Math.ceil(document.documentElement.scrollHeight)");
        driver.manage().window().setSize(new Dimension(size.width, (int) Math.max(size.height, height + 140)));
        screenshot(name);
        driver.manage().window().setSize(size);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
