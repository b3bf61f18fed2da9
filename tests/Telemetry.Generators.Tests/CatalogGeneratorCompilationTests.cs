using Telemetry.Catalog.Model;
using Telemetry.Catalog.Parsing;
using Telemetry.Generators.Tests.TestSupport;

namespace Telemetry.Generators.Tests;

/// <summary>
/// Valid catalogs in awkward shapes (optional aggregated values, names that are C# keywords or match the
/// generated code's own parameter names): the generator must still produce code that compiles with nullable
/// enabled and every warning an error, for the shipped catalog too.
/// </summary>
public sealed class CatalogGeneratorCompilationTests
{
    public static TheoryData<string, string> AwkwardCatalogs => new()
    {
        {
            "optional values in aggregate statistics and group keys", """
            feature: canvas
            events:
              pointer_move:
                frequency: high
                local_only: true
                properties:
                  price: { type: double, required: false }
                  symbol: { type: string, required: false }
                  kind: { type: enum, values: [a, b], required: false }
                  size: { type: int32 }
                aggregate:
                  into: pointer_agg
                  group_by: [symbol, kind]
                  stats:
                    price: [count, min, max, avg, sum, first, last]
                    kind: [first, last]
                    size: [min, max, avg]
            """
        },
        {
            "string first/last statistics, optional timestamps and an optional heatmap axis", """
            feature: canvas
            events:
              pointer_move:
                frequency: high
                local_only: true
                properties:
                  symbol: { type: string }
                  label: { type: string, required: false }
                  screen_x: { type: int32, required: false }
                  screen_y: { type: int32 }
                  at: { type: timestamp, required: false }
                aggregate:
                  into: pointer_agg
                  stats:
                    symbol: [first, last]
                    label: [last]
                    at: [min, max, first, last]
                  heatmap: { x: screen_x, y: screen_y }
            """
        },
        {
            "metric tags named like the measurement parameter or the tag list", """
            feature: engine
            metrics:
              rule.execution:
                kind: histogram
                tags:
                  value: string
                  tags: string
              job.completed:
                kind: counter
                tags:
                  increment: string
              queue.depth:
                kind: up_down_counter
                tags:
                  delta: int32
            """
        },
        {
            "C# keywords as property names and enum values", """
            feature: misc
            events:
              thing:
                properties:
                  class: { type: string }
                  string: { type: int32 }
                  writer: { type: string }
                  value: { type: string, required: false }
                  mode: { type: enum, values: [default, class, new, 2x, x2] }
                  list: { type: array, items: { type: enum, values: [a, b] }, required: false }
            """
        },
    };

    [Theory]
    [MemberData(nameof(AwkwardCatalogs))]
    public void Valid_catalog_in_an_awkward_shape_generates_code_that_compiles(string description, string yaml)
    {
        var file = CatalogInput.File("awkward.yaml", yaml);
        Assert.DoesNotContain(CatalogParser.Parse(file.Path, yaml).Diagnostics, d => d.Severity == CatalogSeverity.Error);

        var run = GeneratorHarness.Run(new[] { file });

        Assert.True(run.Diagnostics.IsEmpty, description + ": generator diagnostics\n" + GeneratorRun.Describe(run.Diagnostics));
        Assert.Contains(run.Sources.Keys, h => h != "TelemetryCatalog.g.cs");
        Assert.True(run.CompilationErrors.Count == 0, description + ": compile errors\n" + GeneratorRun.Describe(run.CompilationErrors));
    }

    [Fact]
    public void Shipped_catalog_generates_code_that_compiles_without_warnings()
    {
        var run = GeneratorHarness.Run(CatalogInput.Shipped());

        Assert.True(run.Diagnostics.IsEmpty, GeneratorRun.Describe(run.Diagnostics));
        Assert.True(run.CompilationErrors.Count == 0, GeneratorRun.Describe(run.CompilationErrors));
    }

    [Fact]
    public void Namespace_comes_from_the_TelemetryNamespace_build_property()
    {
        var run = GeneratorHarness.Run(
            new[] { CatalogInput.File("settings.yaml", TestCatalogs.PlainEvent) },
            new Dictionary<string, string> { ["build_property.TelemetryNamespace"] = "Contoso.App.Analytics" });

        Assert.All(run.Sources.Values, s => Assert.Contains("namespace Contoso.App.Analytics", s));
        Assert.Empty(run.CompilationErrors);
    }

    [Fact]
    public void Invalid_namespace_property_falls_back_to_the_default_namespace()
    {
        var run = GeneratorHarness.Run(
            new[] { CatalogInput.File("settings.yaml", TestCatalogs.PlainEvent) },
            new Dictionary<string, string> { ["build_property.TelemetryNamespace"] = "1Bad..Name" });

        Assert.All(run.Sources.Values, s => Assert.Contains("namespace Telemetry.Events", s));
        Assert.Empty(run.CompilationErrors);
    }
}
