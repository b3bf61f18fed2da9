using Telemetry.Catalog.Model;
using Telemetry.Catalog.Parsing;

namespace Telemetry.Catalog.Tests;

/// <summary>Checks that need every catalog file of a project at once.</summary>
public sealed class CatalogSetTests
{
    private const string Watchlist = """
        feature: watchlist
        events:
          add:
            description: Added.
          remove:
            description: Removed.
        """;

    private const string Chart = """
        feature: chart
        events:
          zoom:
            description: Zoomed.
          watchlist.add:
            description: Added from the chart.
        """;

    private static CatalogSet Parse(params (string Path, string Yaml)[] files) =>
        CatalogSet.Parse(files.Select(f => new KeyValuePair<string, string>(f.Path, f.Yaml)));

    [Fact]
    public void SameEventInTwoFilesIsReportedAtTheLaterFile()
    {
        var set = Parse(("catalog/watchlist.yaml", Watchlist), ("catalog/chart.yaml", Chart));

        // Files are ordered by path, so chart.yaml comes first and watchlist.yaml holds the duplicate.
        var diagnostic = Assert.Single(set.CrossFileDiagnostics);
        Assert.Equal(DiagnosticIds.DuplicateEvent, diagnostic.Id);
        Assert.Equal(CatalogSeverity.Error, diagnostic.Severity);
        Assert.Equal("catalog/watchlist.yaml", diagnostic.Location.FilePath);
        Assert.Equal((3, 3), (diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains("watchlist.add", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("catalog/chart.yaml(5,3)", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EachFileAloneIsValid()
    {
        var set = Parse(("catalog/watchlist.yaml", Watchlist), ("catalog/chart.yaml", Chart));

        Assert.All(set.Files, f => Assert.True(f.Diagnostics.IsEmpty, CatalogText.Describe(f.Diagnostics)));
        Assert.Single(set.AllDiagnostics);
    }

    [Fact]
    public void FilesAreOrderedByPathWhateverTheInputOrder()
    {
        var forward = Parse(("catalog/a.yaml", Watchlist.Replace("watchlist", "alpha", StringComparison.Ordinal)), ("catalog/b.yaml", Chart));
        var backward = Parse(("catalog/b.yaml", Chart), ("catalog/a.yaml", Watchlist.Replace("watchlist", "alpha", StringComparison.Ordinal)));

        Assert.Equal(new[] { "catalog/a.yaml", "catalog/b.yaml" }, forward.Files.Select(f => f.FilePath));
        Assert.Equal(forward.Files.Select(f => f.FilePath), backward.Files.Select(f => f.FilePath));
        Assert.Equal(forward.Events.Select(e => e.Name), backward.Events.Select(e => e.Name));
        Assert.Equal(forward.CrossFileDiagnostics, backward.CrossFileDiagnostics);
    }

    [Fact]
    public void AggregateIntoAnEventOfAnotherFileIsADuplicate()
    {
        const string crosshair = """
            feature: chart
            events:
              crosshair_move:
                frequency: high
                local_only: true
                properties:
                  price: double
                aggregate:
                  into: watchlist.add
                  stats:
                    price: [avg]
            """;

        var set = Parse(("catalog/watchlist.yaml", Watchlist), ("catalog/crosshair.yaml", crosshair));

        var diagnostic = Assert.Single(set.CrossFileDiagnostics);
        Assert.Equal(DiagnosticIds.DuplicateEvent, diagnostic.Id);
        Assert.Equal("catalog/watchlist.yaml", diagnostic.Location.FilePath);
    }

    [Fact]
    public void MetricDefinedInTwoFilesIsADuplicate()
    {
        const string metrics = "feature: heuristics\nmetrics:\n  backtest.result: { kind: counter }\n";

        var set = Parse(("catalog/a.yaml", metrics), ("catalog/b.yaml", metrics.Replace("heuristics", "backtests", StringComparison.Ordinal)));

        var diagnostic = Assert.Single(set.CrossFileDiagnostics);
        Assert.Equal(DiagnosticIds.DuplicateEvent, diagnostic.Id);
        Assert.Equal(("catalog/b.yaml", 3), (diagnostic.Location.FilePath, diagnostic.Location.Line));
    }

    [Fact]
    public void EventsInTwoFilesThatGiveTheSameCSharpNameAreReported()
    {
        const string a = "feature: bulk\nevents:\n  remove_all: {}\n";
        const string b = "feature: bulk_remove\nevents:\n  all: {}\n";

        var set = Parse(("catalog/a.yaml", a), ("catalog/b.yaml", b));

        var diagnostic = Assert.Single(set.CrossFileDiagnostics);
        Assert.Equal(DiagnosticIds.InvalidName, diagnostic.Id);
        Assert.Contains("BulkRemoveAll", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DistinctFilesGiveNoCrossFileDiagnostic()
    {
        var set = Parse(("catalog/watchlist.yaml", Watchlist), ("catalog/chart.yaml", Chart.Replace("watchlist.add", "chart.add", StringComparison.Ordinal)));

        Assert.Empty(set.CrossFileDiagnostics);
        Assert.Equal(4, set.Events.Count());
    }

    [Fact]
    public void FromAcceptsAlreadyParsedFiles()
    {
        var files = new[] { CatalogParser.Parse("catalog/watchlist.yaml", Watchlist), CatalogParser.Parse("catalog/chart.yaml", Chart) };

        var set = CatalogSet.From(files);

        Assert.Single(set.CrossFileDiagnostics);
        Assert.Same(files[1], set.Files[0]);
    }
}
