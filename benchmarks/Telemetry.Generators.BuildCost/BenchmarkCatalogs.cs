using System.Globalization;
using System.Text;

namespace Telemetry.Generators.BuildCost;

/// <summary>
/// The two catalogs of the Typewriter comparison, written as catalog YAML: the same events, properties and required
/// sets as the peer's tracking plans (35 events with 4 properties; 1,000 events in 20 files with 6 properties), so
/// the figures compare like with like. Deterministic: the same bytes on every run.
/// </summary>
internal static class BenchmarkCatalogs
{
    private static readonly string[] Seed35Events = """
        screenshot.upload_start screenshot.crop_complete analysis.ocr_extraction
        analysis.heuristic_complete analysis.range_calculated analysis.bias_detected watchlist.add
        watchlist.remove watchlist.bulk_remove watchlist.open_chart watchlist.row_select
        watchlist.sort_change watchlist.correlation_hot_tokens replay.session_load replay.play_toggle
        replay.export_start replay.bookmark_create replay.speed_change replay.seek replay.step
        order.panel_open order.place_preview order.place_sim trade.quick_open order.sl_tp_set
        order.cancel_attempt order.place_live chart.crosshair_agg chart.crosshair_move
        chart.annotation_create chart.indicator_add chart.zoom chart.tool_activate
        chart.indicator_toggle chart.pan
        """.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static readonly Dictionary<string, Prop[]> Seed35Props = new()
    {
        ["screenshot"] = [new("source_app", "string", 64), new("input_method", "enum", Values: ["paste", "drop", "file_picker"]), new("size_kb", "number"), new("is_retry", "boolean")],
        ["analysis"] = [new("model_version", "string", 32), new("outcome", "enum", Values: ["ok", "partial", "failed"]), new("duration_ms", "number"), new("from_cache", "boolean")],
        ["watchlist"] = [new("symbol", "string", 32), new("source", "enum", Values: ["search", "chart", "trending", "import"]), new("position", "number"), new("is_pinned", "boolean")],
        ["replay"] = [new("replay_id", "string", 64), new("speed", "enum", Values: ["quarter", "half", "normal", "double", "quad"]), new("offset_sec", "number"), new("is_playing", "boolean")],
        ["order"] = [new("symbol", "string", 32), new("side", "enum", Values: ["buy", "sell"]), new("quantity", "number"), new("is_simulated", "boolean")],
        ["trade"] = [new("symbol", "string", 32), new("side", "enum", Values: ["buy", "sell"]), new("quantity", "number"), new("is_simulated", "boolean")],
        ["chart"] = [new("symbol", "string", 32), new("timeframe", "enum", Values: ["m1", "m5", "m15", "h1", "h4", "d1"]), new("zoom_level", "number"), new("is_fullscreen", "boolean")],
    };

    private static readonly string[] Domains = "account alert analysis backtest billing chart export feed heatmap import indicator journal news notification onboarding order portfolio replay screener settings".Split(' ');
    private static readonly string[] Verbs = "open close add remove update select toggle apply reset submit cancel confirm load refresh expand collapse share copy pin unpin".Split(' ');
    private static readonly string[] Nouns = "asset panel row column filter layout theme range window bucket signal source target level ratio scope stage phase group tag".Split(' ');
    private static readonly string[] Words = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu".Split(' ');

    /// <summary>The 35-event catalog.</summary>
    public static Catalog Seed35()
    {
        var events = new List<Event>();
        for (var i = 0; i < Seed35Events.Length; i++)
        {
            var key = Seed35Events[i];
            var prefix = key[..key.IndexOf('.')];
            var action = key[(key.IndexOf('.') + 1)..];
            var props = Seed35Props[prefix].Select(p => p with { Description = $"{p.Name.Replace('_', ' ')} of {key}" }).ToArray();
            var required = new HashSet<string> { props[0].Name, props[1].Name };
            if (i % 2 == 0) required.Add(props[2].Name);
            events.Add(new Event(key, $"Fired on {prefix} {action.Replace('_', ' ')}.", props, required));
        }

        return new Catalog(ToFiles(events), events.Count, Probe(events[^1]));
    }

    /// <summary>The 1,000-event catalog (20 files).</summary>
    public static Catalog Synthetic(int count = 1000)
    {
        var events = new List<Event>();
        (string Suffix, string Kind)[] slots = [("id", "string"), ("kind", "enum"), ("value", "number"), ("count", "integer"), ("flag", "boolean"), ("label", "string")];
        for (var i = 0; i < count; i++)
        {
            var domain = Domains[i % Domains.Length];
            var verb = Verbs[i * 7 % Verbs.Length];
            var key = string.Create(CultureInfo.InvariantCulture, $"{domain}.{verb}_{i:0000}");
            var props = new Prop[slots.Length];
            for (var j = 0; j < slots.Length; j++)
            {
                var (suffix, kind) = slots[j];
                var noun = Nouns[(i * 3 + j * 5) % Nouns.Length];
                var name = noun + "_" + suffix;
                int? maxLength = kind == "string" ? (suffix == "id" ? 32 : 16 + i % 5 * 16) : null;
                string[]? values = kind == "enum" ? Enumerable.Range(0, 3 + i % 3).Select(k => Words[(i + k * 3) % Words.Length]).ToArray() : null;
                props[j] = new Prop(name, kind, maxLength, values, $"{noun} {suffix} of {key}");
            }

            var required = new HashSet<string> { props[0].Name, props[1].Name };
            if (i % 2 == 0) required.Add(props[2].Name);
            if (i % 3 == 0) required.Add(props[3].Name);
            events.Add(new Event(key, $"Synthetic event {i} ({domain} {verb}).", props, required));
        }

        return new Catalog(ToFiles(events), events.Count, Probe(events[^1]));
    }

    /// <summary>A call of the event's generated Track method with every argument named.</summary>
    private static string Probe(Event e)
    {
        var args = e.Props.Select(p => Camel(p.Name) + ": " + p.Kind switch
        {
            "string" => "\"x\"",
            "enum" => "default",
            "number" => "1.5",
            "integer" => "2",
            _ => "true",
        });
        return "Track" + Pascal(e.Key) + "(" + string.Join(", ", args) + ")";
    }

    private static string Pascal(string name) => string.Concat(name.Split('.', '_').Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    private static string Camel(string name)
    {
        var pascal = Pascal(name);
        return char.ToLowerInvariant(pascal[0]) + pascal[1..];
    }

    private static SortedDictionary<string, string> ToFiles(List<Event> events)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in events.GroupBy(e => e.Key[..e.Key.IndexOf('.')]))
        {
            var sb = new StringBuilder();
            sb.Append("# Equivalent of the Typewriter benchmark plan.\n");
            sb.Append("feature: ").Append(group.Key).Append('\n');
            sb.Append("description: ").Append(Quote("Benchmark events for " + group.Key)).Append('\n');
            sb.Append("events:\n");
            foreach (var e in group)
            {
                sb.Append("  ").Append(e.Key[(e.Key.IndexOf('.') + 1)..]).Append(":\n");
                sb.Append("    description: ").Append(Quote(e.Description)).Append('\n');
                sb.Append("    properties:\n");
                foreach (var p in e.Props)
                {
                    var parts = new List<string> { "type: " + TypeOf(p.Kind) };
                    if (p.Kind == "string") parts.Add("max_length: " + p.MaxLength!.Value.ToString(CultureInfo.InvariantCulture));
                    if (p.Kind == "enum") parts.Add("values: [" + string.Join(", ", p.Values!) + "]");
                    if (!e.Required.Contains(p.Name)) parts.Add("required: false");
                    parts.Add("description: " + Quote(p.Description!));
                    sb.Append("      ").Append(p.Name).Append(": { ").Append(string.Join(", ", parts)).Append(" }\n");
                }
            }

            files[group.Key + ".yaml"] = sb.ToString();
        }

        return files;
    }

    private static string TypeOf(string kind) => kind switch
    {
        "number" => "double",
        "integer" => "int32",
        _ => kind,
    };

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    /// <summary>A catalog: file name → YAML, its event count, and a Track call of its last event.</summary>
    public sealed record Catalog(IReadOnlyDictionary<string, string> Files, int Events, string ProbeCall);

    private sealed record Prop(string Name, string Kind, int? MaxLength = null, string[]? Values = null, string? Description = null);

    private sealed record Event(string Key, string Description, Prop[] Props, HashSet<string> Required);
}
