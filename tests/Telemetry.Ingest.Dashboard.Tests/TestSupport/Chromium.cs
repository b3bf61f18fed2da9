using Microsoft.Playwright;
using Telemetry.Ingest.Tests.TestSupport;

namespace Telemetry.Ingest.Dashboard.Tests.TestSupport;

/// <summary>
/// The distribution's Chromium (<c>apt-get install -y chromium</c>), driven by Playwright through <c>ExecutablePath</c>
/// (no browser download). CHROMIUM_PATH overrides where it is looked for.
/// </summary>
internal static class Chromium
{
    public static string? Path { get; } = Find();

    public static readonly string[] Args = { "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage" };

    public static bool RequiredByCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Where screenshots go: TestResults/dashboard under this test project.</summary>
    public static string Screenshots { get; } = System.IO.Path.Combine(Repo.Root, "tests", "Telemetry.Ingest.Dashboard.Tests", "TestResults", "dashboard");

    private static string? Find()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } configured) candidates.Add(configured);
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            candidates.Add(System.IO.Path.Combine(dir, "chromium"));
            candidates.Add(System.IO.Path.Combine(dir, "chromium-browser"));
        }

        candidates.Add("/usr/bin/chromium");
        return candidates.FirstOrDefault(File.Exists);
    }

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var executable = Path ?? throw new InvalidOperationException(
            "Chromium is not installed but CI=true requires the browser tests: apt-get install -y chromium (or set CHROMIUM_PATH).");
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true, Args = Args });
        return (playwright, browser);
    }
}

/// <summary>A browser test: skipped with a message when Chromium is missing, except under CI=true, where it runs and fails.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.Path is null && !Chromium.RequiredByCi)
        {
            Skip = "Chromium is not installed (apt-get install -y chromium, or set CHROMIUM_PATH); under CI=true this test fails instead.";
        }
    }
}
