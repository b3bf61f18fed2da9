using Telemetry.Catalog.Lock;
using Telemetry.Catalog.Tool.Tests.TestSupport;

namespace Telemetry.Catalog.Tool.Tests.Commands;

public sealed class LockCommandTests
{
    private const string VisibleBars = "      visible_bars: { type: int32, min: 1, max: 10000, description: Candles visible after the zoom. }\n";

    [Fact]
    public void Lock_writes_the_library_lock_and_check_accepts_it()
    {
        using var temp = new TempFolder();
        var catalog = temp.CopyFixture("valid");

        var write = ToolRunner.RunIn(temp.Path, "lock");
        var check = ToolRunner.RunIn(temp.Path, "lock", "--check");
        var again = ToolRunner.RunIn(temp.Path, "lock");

        Assert.Equal(0, write.ExitCode);
        Assert.Equal("catalog/catalog.lock.json: written (7 events)\n", write.Out);
        Assert.Equal(CatalogLock.Write(Catalogs.Load(catalog).Events), File.ReadAllText(Path.Combine(catalog, CatalogLock.FileName)));
        Assert.Equal(0, check.ExitCode);
        Assert.Equal("catalog/catalog.lock.json: up to date (7 events)\n", check.Out);
        Assert.Equal("catalog/catalog.lock.json: up to date (7 events)\n", again.Out);
    }

    [Fact]
    public void Removing_a_property_without_a_version_bump_is_TEL3001_for_check_lint_and_lock()
    {
        using var temp = new TempFolder();
        var catalog = temp.CopyFixture("valid");
        Assert.Equal(0, ToolRunner.RunIn(temp.Path, "lock").ExitCode);
        Edit(Path.Combine(catalog, "chart.yaml"), VisibleBars, string.Empty);

        var check = ToolRunner.RunIn(temp.Path, "lock", "--check");
        var lint = ToolRunner.RunIn(temp.Path, "lint");
        var write = ToolRunner.RunIn(temp.Path, "lock");

        const string expected = "catalog/chart.yaml(27,3): error TEL3001: Breaking change to 'chart.zoom' v1 against catalog.lock.json: " +
            "property 'visible_bars' was removed; bump 'version:' to 2 (or revert) and update the lock";
        Assert.Equal(1, check.ExitCode);
        Assert.Equal(expected + "\ncatalog/catalog.lock.json: 1 breaking change(s) without a version bump.\n", check.Out);
        Assert.Equal(1, lint.ExitCode);
        Assert.Contains(expected + "\n", lint.Out);
        Assert.Equal(1, write.ExitCode);
        Assert.Contains("catalog/catalog.lock.json not written: 1 breaking change(s) without a version bump.", write.Out);
    }

    [Fact]
    public void Force_accepts_a_breaking_change_and_the_new_lock_checks_clean()
    {
        using var temp = new TempFolder();
        var catalog = temp.CopyFixture("valid");
        ToolRunner.RunIn(temp.Path, "lock");
        Edit(Path.Combine(catalog, "chart.yaml"), VisibleBars, string.Empty);

        var forced = ToolRunner.RunIn(temp.Path, "lock", "--force");
        var check = ToolRunner.RunIn(temp.Path, "lock", "--check");

        Assert.Equal(0, forced.ExitCode);
        Assert.Equal(0, check.ExitCode);
    }

    [Fact]
    public void A_version_bump_makes_the_change_legal_but_the_lock_out_of_date()
    {
        using var temp = new TempFolder();
        var catalog = temp.CopyFixture("valid");
        ToolRunner.RunIn(temp.Path, "lock");
        Edit(Path.Combine(catalog, "chart.yaml"), VisibleBars, string.Empty);
        Edit(Path.Combine(catalog, "chart.yaml"), "    sampling: 0.5\n", "    sampling: 0.5\n    version: 2\n");

        var check = ToolRunner.RunIn(temp.Path, "lock", "--check");
        var lint = ToolRunner.RunIn(temp.Path, "lint");

        Assert.Equal(1, check.ExitCode);
        Assert.Equal("catalog/catalog.lock.json: lock is out of date; run 'telemetry-catalog lock' and commit it.\n", check.Out);
        Assert.Equal(0, lint.ExitCode);
    }

    [Fact]
    public void Check_without_a_lock_fails()
    {
        using var temp = new TempFolder();
        temp.CopyFixture("valid");

        var check = ToolRunner.RunIn(temp.Path, "lock", "--check");

        Assert.Equal(1, check.ExitCode);
        Assert.Equal("catalog/catalog.lock.json is missing; run 'telemetry-catalog lock' and commit it.\n", check.Out);
    }

    [Fact]
    public void Lock_refuses_a_catalog_with_errors()
    {
        using var temp = new TempFolder();
        var catalog = temp.CopyFixture("errors");

        var write = ToolRunner.RunIn(temp.Path, "lock");

        Assert.Equal(1, write.ExitCode);
        Assert.EndsWith("catalog/catalog.lock.json not written: the catalog has errors.\n", write.Out);
        Assert.False(File.Exists(Path.Combine(catalog, CatalogLock.FileName)));
    }

    [Fact]
    public void Lock_takes_a_folder_not_a_file()
    {
        var run = ToolRunner.Run("lock", "Fixtures/valid/chart.yaml");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("telemetry-catalog: 'Fixtures/valid/chart.yaml' is a file; lock takes the catalog folder (the lock is written next to its files)\n", run.Error);
    }

    [Fact]
    public void Committed_catalog_lock_is_up_to_date()
    {
        var check = ToolRunner.RunIn(RepoPaths.Root, "lock", "--check");

        Assert.True(check.ExitCode == 0, check + "\nRun 'dotnet run --project src/tools/Telemetry.Catalog.Tool -- lock' and commit catalog/catalog.lock.json.");
    }

    private static void Edit(string path, string find, string replace)
    {
        var text = File.ReadAllText(path);
        Assert.Contains(find, text);
        File.WriteAllText(path, text.Replace(find, replace));
    }
}
