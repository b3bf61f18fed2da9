using Telemetry.Catalog.Lock;
using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Tests.Loading;

/// <summary>The one loader (CatalogFolder), the one lock check (CatalogLockCheck) and the one owner of names across files (CatalogSet).</summary>
public sealed class CatalogFolderTests : IDisposable
{
    private const string Watchlist = "feature: watchlist\nevents:\n  add:\n    description: Added.\n    properties:\n      symbol: { type: string }\n";
    private const string Order = "feature: order\nevents:\n  placed:\n    description: Placed.\n    properties:\n      side: { type: enum, values: [buy, sell] }\n";
    private const string Broken = "feature: broken\nevents:\n  add:\n    properties:\n      kind: { type: enum }\n";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "telemetry-catalog-folder-" + Guid.NewGuid().ToString("N")[..8]);

    public CatalogFolderTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void FindFiles_takes_every_yaml_and_yml_below_the_folder_in_ordinal_order()
    {
        Write("b.yaml", Watchlist);
        Write("A.YML", Order);
        Write("nested/deeper/c.yml", Order.Replace("order", "order_two", StringComparison.Ordinal));
        Write("notes.txt", "not a catalog");
        Write("d.yaml.bak", Watchlist);
        Write("catalog.lock.json", "{}");

        var found = CatalogFolder.FindFiles(_root).Select(f => Path.GetRelativePath(_root, f).Replace('\\', '/')).ToList();

        Assert.Equal(new[] { "A.YML", "b.yaml", "nested/deeper/c.yml" }, found);
    }

    [Fact]
    public void Load_parses_the_files_together_with_the_paths_the_caller_shows()
    {
        Write("watchlist.yaml", Watchlist);
        Write("sub/order.yaml", Order);

        var set = CatalogFolder.Load(_root, f => "shown/" + Path.GetRelativePath(_root, f).Replace('\\', '/'));

        Assert.Equal(new[] { "shown/sub/order.yaml", "shown/watchlist.yaml" }, set.Files.Select(f => f.FilePath));
        Assert.Equal(new[] { "order.placed", "watchlist.add" }, set.Events.Select(e => e.Name));
        Assert.Empty(set.AllDiagnostics);
    }

    [Fact]
    public void Lock_check_compares_the_events_in_scope()
    {
        var set = CatalogSet.Parse(new[] { Pair("a/watchlist.yaml", Watchlist), Pair("b/order.yaml", Order) });
        var locked = CatalogLock.Read("a/catalog.lock.json", CatalogLock.Write(set.Events));

        var all = CatalogLockCheck.Run(set, locked);
        var onlyA = CatalogLockCheck.Run(set, locked, p => p.StartsWith("a/", StringComparison.Ordinal));

        Assert.Equal(CatalogLockCheckOutcome.Compared, all.Outcome);
        Assert.Empty(all.Breaking);
        Assert.Equal(new[] { "watchlist.add" }, onlyA.Events.Select(e => e.Name));
        // The lock holds order.placed, which is out of scope: it counts as removed.
        Assert.Contains(onlyA.Breaking, d => d.Id == DiagnosticIds.BreakingChange && d.Message.Contains("order.placed", StringComparison.Ordinal));
    }

    [Fact]
    public void Lock_check_stops_at_errors_in_scope_before_it_reads_the_lock()
    {
        var set = CatalogSet.Parse(new[] { Pair("a/watchlist.yaml", Watchlist), Pair("b/broken.yaml", Broken) });
        var unreadable = CatalogLock.Read("a/catalog.lock.json", "[ not a lock");
        var locked = CatalogLock.Read("a/catalog.lock.json", CatalogLock.Write(set.Events));

        Assert.Equal(CatalogLockCheckOutcome.CatalogHasErrors, CatalogLockCheck.Run(set, unreadable).Outcome);
        Assert.Equal(CatalogLockCheckOutcome.LockUnreadable, CatalogLockCheck.Run(set, unreadable, p => p.StartsWith("a/", StringComparison.Ordinal)).Outcome);
        Assert.Equal(CatalogLockCheckOutcome.Compared, CatalogLockCheck.Run(set, locked, p => p.StartsWith("a/", StringComparison.Ordinal)).Outcome);
    }

    [Fact]
    public void Ownership_goes_to_the_first_file_by_path_that_is_generated()
    {
        var files = new[]
        {
            new CatalogSet.NamedFile("/c/z.yaml", "watchlist", false, new[] { "watchlist.add", "watchlist.remove" }, false),
            new CatalogSet.NamedFile("/c/b.yaml", "watchlist", true, new[] { "watchlist.add" }, true),
            new CatalogSet.NamedFile("/c/m.yaml", "watchlist", false, new[] { "watchlist.add" }, true),
        };

        var ownership = CatalogSet.DecideOwnership(files);

        // b.yaml has errors: it owns nothing. m.yaml comes before z.yaml.
        Assert.Equal(new[] { "/c/m.yaml|watchlist.add", "/c/z.yaml|watchlist.remove" }, ownership.Owned.Select(o => o.Path + "|" + o.Event));
        Assert.Equal(new[] { "/c/z.yaml|watchlist.add" }, ownership.Skipped.Select(o => o.Path + "|" + o.Event));
        Assert.Equal(new[] { 0 }, ownership.Skipped.Select(o => o.File));
        Assert.Equal(new[] { "Metrics|/c/m.yaml", "Telemetry|/c/m.yaml" }, ownership.ClassOwners.Select(o => o.Key + "|" + o.Value));
    }

    [Fact]
    public void Every_diagnostic_the_library_reports_has_its_default_severity_from_the_table()
    {
        var texts = new[] { Broken, "feature: x\nevents:\n  a:\n    sensitivity: financial\n    sampling: 0.5\n    properties:\n      email: { type: string }\n", "::: not yaml", "" };
        foreach (var text in texts)
        {
            foreach (var d in CatalogText.Parse(text).Diagnostics) Assert.Equal(DiagnosticTable.Get(d.Id).DefaultSeverity, d.Severity);
        }
    }

    private static KeyValuePair<string, string> Pair(string path, string text) => new(path, text);

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
