using Microsoft.Playwright;

namespace Telemetry.Runtime.Browser.Tests.TestSupport;

/// <summary>The distribution's Chromium through Playwright (never a downloaded browser).</summary>
internal static class Chromium
{
    public static readonly string[] Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    /// <summary>CHROMIUM_PATH, else chromium or chromium-browser on PATH; null when none.</summary>
    public static string? Path { get; } = Find();

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Path, Headless = true, Args = Args });
        return (playwright, browser);
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } configured && File.Exists(configured)) return configured;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in new[] { "chromium", "chromium-browser" })
            {
                var candidate = System.IO.Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        }

        return null;
    }
}

/// <summary>A test that needs Chromium: skipped with a message when it is missing, unless CI=true (then it runs and fails).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Path is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "Browser tests need Chromium (apt-get install -y chromium, or set CHROMIUM_PATH); not found, so skipped. Under CI=true they fail instead.";
        }
    }
}
