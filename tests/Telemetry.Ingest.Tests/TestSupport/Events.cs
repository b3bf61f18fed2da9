using System.Globalization;
using System.Text.Json.Nodes;

namespace Telemetry.Ingest.Tests.TestSupport;

/// <summary>Valid wire objects of catalog events, to be changed per test.</summary>
internal static class Events
{
    public static JsonObject Envelope(string name, string? userId = "user-1", Guid? id = null, DateTimeOffset? timestamp = null, string? sessionId = null)
    {
        var o = new JsonObject
        {
            ["event"] = name,
            ["event_id"] = (id ?? Guid.NewGuid()).ToString(),
            ["timestamp"] = (timestamp ?? DateTimeOffset.UtcNow).ToString("O", CultureInfo.InvariantCulture),
            ["session_id"] = sessionId ?? "session-1",
            ["user_bucket"] = 1234,
            ["sampling_rate"] = 1,
            ["client_version"] = "1.0.0",
            ["schema_version"] = 1,
        };
        if (userId is not null) o["user_id"] = userId;
        return o;
    }

    /// <summary>chart.zoom: enums and a bounded int32.</summary>
    public static JsonObject Zoom(string? userId = "user-1", Guid? id = null, DateTimeOffset? timestamp = null, string? sessionId = null)
    {
        var o = Envelope("chart.zoom", userId, id, timestamp, sessionId);
        o["direction"] = "in";
        o["method"] = "wheel";
        o["visible_bars"] = 180;
        o["timeframe"] = "15m";
        return o;
    }

    /// <summary>chart.annotation_create: a free string (max 32, no pattern) for verbatim-storage tests.</summary>
    public static JsonObject Annotation(string symbol = "ETH/USDT", string? userId = "user-1", Guid? id = null, DateTimeOffset? timestamp = null)
    {
        var o = Envelope("chart.annotation_create", userId, id, timestamp);
        o["symbol"] = symbol;
        o["timeframe"] = "4h";
        o["annotation_type"] = "trendline";
        o["anchor_count"] = 2;
        return o;
    }

    /// <summary>order.panel_open: a string with a pattern.</summary>
    public static JsonObject PanelOpen(string symbol = "BTC/USDT", string? userId = "user-1")
    {
        var o = Envelope("order.panel_open", userId);
        o["symbol"] = symbol;
        o["source"] = "chart";
        o["mode"] = "simulated";
        return o;
    }

    /// <summary>order.place_sim: uuid, decimal and boolean properties.</summary>
    public static JsonObject PlaceSim(string? userId = "user-1")
    {
        var o = Envelope("order.place_sim", userId);
        o["order_id"] = Guid.NewGuid().ToString();
        o["symbol"] = "ETH/USDT";
        o["side"] = "buy";
        o["order_type"] = "limit";
        o["quantity"] = 0.5;
        o["price"] = 3150.75;
        o["simulated"] = true;
        return o;
    }

    /// <summary>chart.crosshair_agg, the aggregate a client posts to /api/analytics/agg.</summary>
    public static JsonObject CrosshairAgg(bool withId = true, string? userId = "user-1", DateTimeOffset? timestamp = null)
    {
        var o = Envelope("chart.crosshair_agg", userId, null, timestamp);
        if (!withId) o.Remove("event_id");
        o["symbol"] = "BTC/USDT";
        o["window_ms"] = 5000;
        o["count"] = 100;
        o["price_min"] = 48900.5;
        o["price_max"] = 49100;
        o["price_avg"] = 49000.25;
        o["last_price"] = 49000;
        o["last_time"] = "2025-11-10T12:00:00Z";
        return o;
    }

    public static string Batch(params JsonObject[] events)
    {
        var array = new JsonArray();
        foreach (var e in events) array.Add(e.DeepClone());
        return new JsonObject { ["events"] = array }.ToJsonString();
    }
}
