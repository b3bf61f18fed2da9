using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace ChartPwa;

/// <summary>Where the PWA sends and how often.</summary>
public sealed record PwaSettings(Uri IngestUrl, string? WriteKey, TimeSpan FlushInterval, bool RecordEverything, TimeSpan? RetryDelay = null)
{
    public static PwaSettings Read(IConfiguration configuration, Uri pageAddress)
    {
        var query = ParseQuery(pageAddress.Query);
        var url = query.GetValueOrDefault("ingest") ?? configuration["Ingest:BaseUrl"] ?? "http://127.0.0.1:5080";
        var key = query.GetValueOrDefault("key") ?? configuration["Ingest:WriteKey"];
        var flush = int.TryParse(query.GetValueOrDefault("flush"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0 ? ms : 2000;
        var everything = string.Equals(query.GetValueOrDefault("sampling"), "all", StringComparison.Ordinal);
        TimeSpan? retry = int.TryParse(query.GetValueOrDefault("retry"), NumberStyles.None, CultureInfo.InvariantCulture, out var retryMs) && retryMs > 0 ? TimeSpan.FromMilliseconds(retryMs) : null;
        return new PwaSettings(new Uri(url), string.IsNullOrWhiteSpace(key) ? null : key, TimeSpan.FromMilliseconds(flush), everything, retry);
    }

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split('=', 2);
            values[Uri.UnescapeDataString(pair[0])] = pair.Length > 1 ? Uri.UnescapeDataString(pair[1].Replace('+', ' ')) : "";
        }

        return values;
    }
}

/// <summary>What the user did on this page (the live panel's "raw interactions").</summary>
public sealed class LiveCounts
{
    public long PointerMoves { get; set; }

    public Dictionary<string, long> Clicks { get; } = new(StringComparer.Ordinal);

    public long ClickTotal => Clicks.Values.Sum();

    public void Click(string eventName) => Clicks[eventName] = Clicks.GetValueOrDefault(eventName) + 1;
}
