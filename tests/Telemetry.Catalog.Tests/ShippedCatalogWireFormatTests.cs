using System.Text;
using Telemetry.Catalog.Schema;

namespace Telemetry.Catalog.Tests;

/// <summary>
/// The shipped catalog uses shared definitions for its repeated properties; the wire format must not change with
/// that. <c>Baselines/shipped-event-schemas.txt</c> holds every event's JSON Schema as written from the catalog
/// before it moved to definitions; each event's schema today must be byte-identical.
/// </summary>
public sealed class ShippedCatalogWireFormatTests
{
    private static string BaselinePath => Path.Combine(RepoPaths.Root, "tests", "Telemetry.Catalog.Tests", "Baselines", "shipped-event-schemas.txt");

    private static string Current()
    {
        var files = Directory.GetFiles(RepoPaths.Catalog, "*.yaml").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new KeyValuePair<string, string>("catalog/" + Path.GetFileName(f), File.ReadAllText(f)));
        var set = CatalogSet.Parse(files);
        Assert.DoesNotContain(set.AllDiagnostics, d => d.Severity == Telemetry.Catalog.Model.CatalogSeverity.Error);
        var sb = new StringBuilder();
        foreach (var e in set.Events.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            sb.Append(e.Name).Append('\n').Append(EventJsonSchema.Write(e, indented: true)).Append("\n\n");
        }

        return sb.ToString();
    }

    [Fact]
    public void Every_events_JSON_Schema_is_identical_to_the_one_before_shared_definitions()
    {
        var current = Current();
        if (Environment.GetEnvironmentVariable("TELEMETRY_UPDATE_SNAPSHOTS") == "1") File.WriteAllText(BaselinePath, current);
        var expected = File.ReadAllText(BaselinePath).Replace("\r\n", "\n");
        Assert.Equal(expected, current);
        Assert.Equal(35, expected.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void The_shipped_catalog_defines_symbol_and_timeframe_once()
    {
        var files = Directory.GetFiles(RepoPaths.Catalog, "*.yaml").Select(f => new KeyValuePair<string, string>(f, File.ReadAllText(f)));
        var set = CatalogSet.Parse(files);
        var names = set.Definitions().Select(d => d.Name).ToList();
        Assert.Contains("symbol", names);
        Assert.Contains("timeframe", names);
        Assert.True(set.UsersOf("symbol").Count >= 5, "symbol is used by " + string.Join(", ", set.UsersOf("symbol")));
        Assert.True(set.UsersOf("timeframe").Count >= 2);
        // The six timeframe values are spelled once for events (the definition) and once for the metric tag (tags take no ref).
        var joined = string.Concat(files.Select(f => f.Value));
        Assert.Equal(2, joined.Split("[1m, 5m, 15m, 1h, 4h, 1d]").Length - 1);
        Assert.Equal(1, joined.Split("pattern: \"^[A-Z0-9]{1,15}/[A-Z0-9]{1,15}$\"").Length - 1);
    }
}
