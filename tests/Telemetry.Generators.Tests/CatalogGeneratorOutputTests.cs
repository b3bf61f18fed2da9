using System.Globalization;
using Telemetry.Generators.Tests.TestSupport;

namespace Telemetry.Generators.Tests;

/// <summary>What the generator emits for a set of catalog files: which sources, under which hint names, and byte-identical every time.</summary>
public sealed class CatalogGeneratorOutputTests
{
    [Fact]
    public void Shipped_catalog_generates_one_source_per_file_named_after_its_feature_plus_the_registry()
    {
        var run = GeneratorHarness.Run(CatalogInput.Shipped());

        Assert.Equal(
            new[] { "Chart.g.cs", "Definitions.g.cs", "Heuristics.g.cs", "Order.g.cs", "Replay.g.cs", "Screenshot.g.cs", "TelemetryCatalog.g.cs", "Watchlist.g.cs" },
            run.Sources.Keys.OrderBy(k => k, StringComparer.Ordinal));
    }

    [Fact]
    public void Generating_twice_from_the_same_catalog_gives_byte_identical_sources()
    {
        var first = GeneratorHarness.Run(CatalogInput.Shipped()).Sources;
        var second = GeneratorHarness.Run(CatalogInput.Shipped()).Sources;

        Assert.Equal(first.Keys, second.Keys);
        foreach (var hint in first.Keys) Assert.Equal(first[hint], second[hint]);
    }

    [Fact]
    public void Output_does_not_depend_on_the_order_of_the_additional_files()
    {
        var forward = GeneratorHarness.Run(CatalogInput.Shipped()).Sources;
        var backward = GeneratorHarness.Run(CatalogInput.Shipped().Reverse()).Sources;

        Assert.Equal(forward.OrderBy(p => p.Key, StringComparer.Ordinal), backward.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Output_does_not_depend_on_the_current_culture()
    {
        var invariant = GeneratorHarness.Run(CatalogInput.Shipped()).Sources;
        var saved = CultureInfo.CurrentCulture;
        IReadOnlyDictionary<string, string> localized;
        try
        {
            // Decimal comma, different digits grouping and casing rules.
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("tr-TR");
            localized = GeneratorHarness.Run(CatalogInput.Shipped()).Sources;
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }

        foreach (var hint in invariant.Keys) Assert.Equal(invariant[hint], localized[hint]);
    }

    [Fact]
    public void Additional_files_not_marked_as_catalogs_are_ignored()
    {
        var run = GeneratorHarness.Run(new[]
        {
            CatalogInput.File("settings.yaml", TestCatalogs.PlainEvent),
            new CatalogInput(CatalogInput.Folder + "layout.yaml", TestCatalogs.EnumEvent, IsCatalog: false),
            CatalogInput.File("filter.json", TestCatalogs.ArrayEvent),
        });

        Assert.Equal(new[] { "Settings.g.cs", "TelemetryCatalog.g.cs" }, run.Sources.Keys.OrderBy(k => k, StringComparer.Ordinal));
    }

    [Fact]
    public void Yml_extension_is_a_catalog_file_too()
    {
        var run = GeneratorHarness.Run(new[] { CatalogInput.File("settings.yml", TestCatalogs.PlainEvent) });

        Assert.Contains("Settings.g.cs", run.Sources.Keys);
    }

    [Fact]
    public void Two_files_of_the_same_feature_get_distinct_hint_names_and_compile_together()
    {
        var run = GeneratorHarness.Run(new[]
        {
            CatalogInput.File("settings.yaml", TestCatalogs.PlainEvent),
            CatalogInput.File("settings-more.yaml", """
                feature: settings
                events:
                  language_change:
                    description: The UI language changed.
                    properties:
                      language: { type: enum, values: [en, de, fr] }
                """),
        });

        // Paths sort ordinally ("settings-more" before "settings."), so the first file keeps the plain feature name.
        Assert.Equal(new[] { "Settings.Settings.g.cs", "Settings.g.cs", "TelemetryCatalog.g.cs" }, run.Sources.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.True(run.CompilationErrors.Count == 0, GeneratorRun.Describe(run.CompilationErrors));
    }

    [Fact]
    public void Files_of_one_feature_share_its_Track_and_Metrics_classes_and_declare_the_meter_once()
    {
        var run = GeneratorHarness.Run(new[]
        {
            CatalogInput.File("engine.yaml", TestCatalogs.Metrics + "\nevents:\n  start:\n    properties:\n      cold: boolean\n"),
            CatalogInput.File("engine-more.yaml", """
                feature: engine
                events:
                  stop:
                    properties:
                      graceful: boolean
                metrics:
                  cache.miss:
                    kind: counter
                """),
        });

        Assert.True(run.CompilationErrors.Count == 0, GeneratorRun.Describe(run.CompilationErrors));
        var all = string.Concat(run.Sources.Values);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(all, "public const string MeterName"));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(all, "public static partial class EngineTelemetry").Count);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(all, "public static partial class EngineMetrics").Count);
    }

    [Fact]
    public void A_catalog_with_only_metrics_generates_no_registry()
    {
        var run = GeneratorHarness.Run(new[] { CatalogInput.File("engine.yaml", TestCatalogs.Metrics) });

        Assert.Equal(new[] { "Engine.g.cs" }, run.Sources.Keys);
    }

    [Fact]
    public void No_catalog_files_generate_nothing()
    {
        var run = GeneratorHarness.Run(Array.Empty<CatalogInput>());

        Assert.Empty(run.Sources);
        Assert.Null(run.Result.Exception);
    }

    [Fact]
    public void Every_generated_source_is_marked_auto_generated_and_nullable_enabled()
    {
        var run = GeneratorHarness.Run(CatalogInput.Shipped());

        Assert.All(run.Sources.Values, s =>
        {
            Assert.StartsWith("// <auto-generated/>\n", s);
            Assert.Contains("\n#nullable enable\n", s);
        });
    }
}
