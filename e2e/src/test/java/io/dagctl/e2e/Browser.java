package io.dagctl.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's, with its chromedriver) driven by Selenium: no driver is downloaded. Screenshots
 * go to {@code target/screenshots}.
 */
public final class Browser implements AutoCloseable {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String DRIVER = "/usr/bin/chromedriver";

    public final ChromeDriver driver;
    private final String base;

    public Browser(String base) {
        this(base, 1400, 900);
    }

    public Browser(String base, int width, int height) {
        requireChromium();
        this.base = base;
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    /** Fails (on CI, where .ci/run installs them) or skips (elsewhere) when Chromium or its driver is missing. */
    static void requireChromium() {
        if (Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(DRIVER))) {
            return;
        }
        String hint = "Chromium is not installed (Debian: apt-get install chromium chromium-driver)";
        if ("1".equals(System.getenv("DAGCTL_REQUIRE_TOOLS"))) {
            throw new AssertionError(hint);
        }
        Assumptions.abort(hint);
    }

    public void open(String path) {
        driver.get(base + path);
    }

    /** Signs in on the sign-in page by typing the token and pressing Enter, as a person would. */
    public void signIn(String token) {
        open("/login");
        WebElement field = driver.findElement(By.id("token"));
        field.clear();
        field.sendKeys(token, Keys.ENTER);
    }

    public <T> T await(Duration timeout, Function<WebDriver, T> condition) {
        // pages refresh what they show: an element read just as it is replaced is read again
        return new WebDriverWait(driver, timeout, Duration.ofMillis(50))
                .ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    public String attribute(By by, String name) {
        return driver.findElement(by).getDomAttribute(name);
    }

    public Path screenshot(String name) throws IOException {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Path to = dir.resolve(name + ".png");
        Files.copy(
                ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(),
                to,
                StandardCopyOption.REPLACE_EXISTING);
        return to;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
