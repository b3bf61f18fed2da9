using Microsoft.AspNetCore.Http;
using Telemetry.Ingest.Enrichment;

namespace Telemetry.Ingest.Tests.Enrichment;

/// <summary>
/// The User-Agent enrichment over a table of real User-Agent strings (<c>user-agents.tsv</c>: desktop and mobile browsers,
/// tablets, crawlers and link previewers, in-app browsers, Dalvik, CFNetwork, okhttp and other HTTP libraries), and the
/// client hints that win over a reduced User-Agent string.
/// </summary>
public sealed class UserAgentParserTests
{
    public static TheoryData<string, string, string, string> Table()
    {
        var data = new TheoryData<string, string, string, string>();
        var path = Path.Combine(AppContext.BaseDirectory, "Enrichment", "user-agents.tsv");
        foreach (var line in File.ReadLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var parts = line.Split('\t');
            Assert.True(parts.Length == 4, "malformed line: " + line);
            data.Add(parts[3], parts[0], parts[1], parts[2]);
        }

        return data;
    }

    [Fact]
    public void The_table_covers_at_least_100_strings_of_every_kind()
    {
        var rows = ((IEnumerable<object[]>)Table()).Select(r => ((string)r[0], (string)r[1], (string)r[3])).ToList();
        Assert.True(rows.Count >= 100, $"only {rows.Count} user agents");
        Assert.Equal(rows.Count, rows.Select(r => r.Item1).Distinct(StringComparer.Ordinal).Count());
        foreach (var device in new[] { "desktop", "mobile", "tablet", "bot", "other" }) Assert.True(rows.Count(r => r.Item2 == device) >= 5, device);
        foreach (var marker in new[] { "Dalvik/", "CFNetwork/", "okhttp/", "Instagram", "FBAV/", "MicroMessenger/", "CUBOT", "Cubot" })
        {
            Assert.Contains(rows, r => r.Item1.Contains(marker, StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Real_user_agent_is_classified(string userAgent, string device, string os, string browser)
    {
        var info = UserAgentParser.Parse(userAgent);

        Assert.True(
            info.Device == device && info.Os == os && (info.Browser == browser || info.Browser.StartsWith(browser + " ", StringComparison.Ordinal)),
            $"expected {device} / {os} / {browser}, got {info.Device} / {info.Os} / {info.Browser} for: {userAgent}");
    }

    [Theory]
    [InlineData("Cubot")]
    [InlineData("CUBOT_X30")]
    [InlineData("cubot note 20")]
    public void A_Cubot_phone_is_not_a_bot(string model)
    {
        var info = UserAgentParser.Parse($"Mozilla/5.0 (Linux; Android 11; {model}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36");

        Assert.Equal("mobile", info.Device);
    }

    public static TheoryData<string, string?, string?, string?, string?, string, string, string> Hints() => new()
    {
        // Chrome's reduced UA freezes Android at 10 and the model at K; the hints carry the truth.
        { "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
            "\"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\"", "?1", "\"Android\"", "\"14.0.0\"", "mobile", "Android 14", "Chrome 124" },
        // An Android tablet: the same reduced UA without "Mobile", and Sec-CH-UA-Mobile ?0.
        { "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
            "\"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\"", "?0", "\"Android\"", "\"13.0.0\"", "tablet", "Android 13", "Chrome 124" },
        // Windows 11 reports "Windows NT 10.0" in the UA; platform version 13 and above is Windows 11.
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
            "\"Chromium\";v=\"124\", \"Microsoft Edge\";v=\"124\", \"Not-A.Brand\";v=\"99\"", "?0", "\"Windows\"", "\"15.0.0\"", "desktop", "Windows 11", "Edge 124" },
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36",
            "\"Google Chrome\";v=\"123\", \"Not:A-Brand\";v=\"8\", \"Chromium\";v=\"123\"", "?0", "\"Windows\"", "\"10.0.0\"", "desktop", "Windows 10", "Chrome 123" },
        { "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
            "\"Chromium\";v=\"124\", \"Opera\";v=\"110\", \"Not-A.Brand\";v=\"99\"", "?0", "\"macOS\"", null, "desktop", "macOS", "Opera 110" },
        // Low-entropy hints only (no platform version): the platform still names the OS.
        { "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36",
            "\"Chromium\";v=\"123\", \"Not:A-Brand\";v=\"8\"", "?0", "\"Chrome OS\"", null, "desktop", "ChromeOS", "Chrome 123" },
    };

    [Theory]
    [MemberData(nameof(Hints))]
    public void Client_hints_win_over_the_reduced_user_agent(string userAgent, string? brands, string? mobile, string? platform, string? platformVersion, string device, string os, string browser)
    {
        var headers = new HeaderDictionary { ["User-Agent"] = userAgent };
        if (brands is not null) headers["Sec-CH-UA"] = brands;
        if (mobile is not null) headers["Sec-CH-UA-Mobile"] = mobile;
        if (platform is not null) headers["Sec-CH-UA-Platform"] = platform;
        if (platformVersion is not null) headers["Sec-CH-UA-Platform-Version"] = platformVersion;

        var info = UserAgentParser.Parse(userAgent, UserAgentClientHints.From(headers));

        Assert.Equal(new UserAgentInfo(device, os, browser), info);
    }

    [Fact]
    public void Without_hints_the_same_string_gives_what_the_string_says()
    {
        var info = UserAgentParser.Parse("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36", default);

        Assert.Equal(new UserAgentInfo("mobile", "Android 10", "Chrome 124"), info);
    }
}
