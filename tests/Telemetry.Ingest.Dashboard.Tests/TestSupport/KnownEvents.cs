using System.Text.Json.Nodes;
using Telemetry.Ingest.Tests.TestSupport;

namespace Telemetry.Ingest.Dashboard.Tests.TestSupport;

/// <summary>A known mix of events: valid ones of three catalog events, duplicates, invalid ones and events the catalog does not define.</summary>
internal static class KnownEvents
{
    /// <summary>A personal-data value stored in valid events (it must never reach a dashboard page).</summary>
    public const string PiiStored = "canary.stored.9f3e@example.com";

    /// <summary>A personal-data value in a rejected event (longer than the property's max_length).</summary>
    public const string PiiRejected = "canary.rejected.4e1c.too.long.for.the.limit@example.com";

    public const string UnknownEvent = "chart.mystery_event";

    /// <summary>A personal-data value inside an error message that a client sent unscrubbed (the server scrubs it again).</summary>
    public const string PiiInError = "canary.error.5b2d@example.com";

    /// <summary>Two error issues: A (three stored errors of two users in three sessions, two more counted by a client's rate limit) and B (one).</summary>
    public const string FingerprintA = "3f9a1c0b7d2e4a61";

    public const string FingerprintB = "c81d0e5f2a9b7364";

    /// <summary>The breadcrumbs of issue A's latest error, oldest first.</summary>
    public static readonly string[] LatestCrumbsA = { "track chart.zoom", "track watchlist.add", "warning Quote feed slow (2,000 ms)" };

    public const int HeatmapCells = 16 * 9;

    /// <summary>What was sent, as the dashboard should count it.</summary>
    public sealed record Sent(int Accepted, int Duplicates, int Rejected, long[] Heatmap);

    /// <summary>A valid <c>error.captured</c> wire object.</summary>
    public static JsonObject Error(string fingerprint, string type, string message, string userId, string sessionId, string version, DateTimeOffset at, int suppressed, params string[] breadcrumbs)
    {
        var e = Events.Envelope("error.captured", userId, timestamp: at, sessionId: sessionId);
        e["client_version"] = version;
        e["level"] = "error";
        e["mechanism"] = "manual";
        e["handled"] = true;
        e["error_type"] = type;
        e["error_message"] = message;
        e["fingerprint"] = fingerprint;
        e["exception_types"] = new JsonArray(type);
        e["stack_trace"] = type + ": " + message + "\n   at ChartApp.QuoteFeed.Connect() in /home/alice/src/ChartApp/QuoteFeed.cs:line 12";
        e["breadcrumbs"] = new JsonArray(breadcrumbs.Select(b => (JsonNode)JsonValue.Create(b)!).ToArray());
        e["tags"] = new JsonArray("feature=chart");
        e["suppressed"] = suppressed;
        return e;
    }

    public static async Task<Sent> LoadAsync(DashboardHost host)
    {
        var zooms = new List<JsonObject>();
        for (var i = 0; i < 5; i++)
        {
            var z = Events.Zoom(userId: "user-" + i);
            z["client_version"] = i < 3 ? "1.0.0" : "2.0.0";
            z["direction"] = i < 3 ? "in" : "out";
            z["visible_bars"] = 100 + i * 10; // 100..140
            zooms.Add(z);
        }

        var heatmap = new long[HeatmapCells];
        var aggs = new List<JsonObject>();
        for (var i = 0; i < 3; i++)
        {
            var a = Events.CrosshairAgg(userId: "user-" + i);
            var cells = new JsonArray();
            for (var c = 0; c < HeatmapCells; c++)
            {
                var v = (c * 7 + i * 3) % 11 == 0 ? c % 5 + i : 0;
                heatmap[c] += v;
                cells.Add(v);
            }

            a["heatmap"] = cells;
            aggs.Add(a);
        }

        var contacts = new List<JsonObject>();
        for (var i = 0; i < 2; i++)
        {
            var c = Events.Envelope("account.contact", "user-" + i);
            c["email"] = PiiStored;
            c["channel"] = "mail";
            contacts.Add(c);
        }

        var first = await host.PostAsync(zooms.Concat(aggs).Concat(contacts).ToArray());
        Assert.Equal(10, (int)first["accepted"]!);

        // Client retries: the first two zoom events again.
        var retry = await host.PostAsync(zooms[0].DeepClone().AsObject(), zooms[1].DeepClone().AsObject());
        Assert.Equal(2, (int)retry["duplicates"]!);

        var bad = new List<JsonObject>();
        for (var i = 0; i < 2; i++)
        {
            var z = Events.Zoom();
            z["direction"] = "sideways";
            z["client_version"] = "3.1.4";
            bad.Add(z);
        }

        for (var i = 0; i < 3; i++)
        {
            var u = Events.Envelope(UnknownEvent);
            u["client_version"] = "0.9.0";
            bad.Add(u);
        }

        var leaky = Events.Envelope("account.contact");
        leaky["email"] = PiiRejected;
        leaky["channel"] = "mail";
        bad.Add(leaky);
        var rejected = await host.PostAsync(bad.ToArray());
        Assert.Equal(0, (int)rejected["accepted"]!);

        var now = DateTimeOffset.UtcNow;
        var errors = await host.PostAsync(
            Error(FingerprintA, "System.InvalidOperationException", "Quote feed for BTC/USDT could not reconnect", "user-0", "s-err-1", "1.0.0", now.AddMinutes(-20), 0, "track chart.zoom"),
            Error(FingerprintA, "System.InvalidOperationException", "Quote feed for BTC/USDT could not reconnect", "user-0", "s-err-2", "1.0.0", now.AddMinutes(-10), 2, "track chart.zoom"),
            Error(FingerprintA, "System.InvalidOperationException", "Quote feed failed for " + PiiInError + " at /home/alice/quotes", "user-1", "s-err-3", "2.0.0", now.AddMinutes(-5), 0, LatestCrumbsA),
            Error(FingerprintB, "System.IO.IOException", "Disk full", "user-1", "s-err-3", "2.0.0", now.AddMinutes(-15), 0));
        Assert.Equal(4, (int)errors["accepted"]!);
        return new Sent(14, 2, 6, heatmap);
    }
}
