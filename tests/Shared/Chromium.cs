using Microsoft.Playwright;

namespace Telemetry.Tests.Shared;

/// <summary>
/// The distribution's Chromium (<c>apt-get install -y chromium</c>), driven by Playwright through <c>ExecutablePath</c>
/// (never a downloaded browser): CHROMIUM_PATH, else <c>chromium</c> or <c>chromium-browser</c> on PATH, else
/// <c>/usr/bin/chromium</c>. Shared by the browser test projects.
/// </summary>
internal static class Chromium
{
    public static readonly string[] Args = { "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage" };

    /// <summary>The executable, or null when none is installed.</summary>
    public static string? Path { get; } = Find();

    /// <summary>Under CI=true a missing browser fails the browser tests instead of skipping them.</summary>
    public static bool RequiredByCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var executable = Path ?? throw new InvalidOperationException(
            "Chromium is not installed but CI=true requires the browser tests: apt-get install -y chromium (or set CHROMIUM_PATH).");
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true, Args = Args });
        return (playwright, browser);
    }

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
}

/// <summary>A test that needs Chromium: skipped with a message when it is missing, unless CI=true (then it runs and fails).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Path is null && !Chromium.RequiredByCi)
        {
            Skip = "Browser tests need Chromium (apt-get install -y chromium, or set CHROMIUM_PATH); not found, so skipped. Under CI=true they fail instead.";
        }
    }
}
