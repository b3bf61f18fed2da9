using Telemetry.Catalog.Parsing;
using Telemetry.Generators.Tests.TestSupport;

namespace Telemetry.Generators.Tests;

/// <summary>
/// Broken catalogs never crash the generator: a file with catalog errors is skipped (the analyzer reports
/// why), the valid files of the same compilation still generate, and the result compiles.
/// </summary>
public sealed class CatalogGeneratorBrokenCatalogTests
{
    /// <summary>A valid catalog whose output must survive next to every broken one.</summary>
    private static readonly CatalogInput Healthy = CatalogInput.File("healthy.yaml", """
        feature: healthy
        events:
          ping:
            description: A valid event next to a broken catalog.
            properties:
              count: { type: int32 }
        """);

    private static readonly Dictionary<string, string> Broken = new(StringComparer.Ordinal)
    {
        // Not YAML, or not one document.
        ["unclosed quote"] = "feature: broken\nevents:\n  add:\n    description: \"never closed\n",
        ["bad indentation"] = "feature: broken\nevents:\n  add:\n    description: x\n   trigger: y\n",
        ["tabs"] = "feature: broken\nevents:\n\tadd:\n\t\tdescription: x\n",
        ["unclosed flow mapping"] = "feature: broken\nevents:\n  add:\n    properties:\n      symbol: { type: string\n",
        ["unclosed flow sequence"] = "feature: broken\nevents:\n  add:\n    properties:\n      source: { type: enum, values: [a, b }\n",
        ["stray bracket"] = "feature: broken\nevents:\n]\n",
        ["unknown alias"] = "feature: broken\nevents:\n  add:\n    properties:\n      symbol: *missing\n",
        ["two documents"] = "feature: broken\nevents: {}\n---\nfeature: other\n",
        ["deep nesting"] = "feature: broken\nevents: " + new string('[', 300) + new string(']', 300) + "\n",
        ["binary garbage"] = "\u0000\u0001\u0002\u00ff\ufffe garbage \u0007",
        ["lone surrogate"] = "feature: broken\nevents:\n  add:\n    description: \ud800\n    properties: 5\n",
        ["larger than the size limit"] = "feature: broken\n# " + new string('x', CatalogParser.MaxFileLength) + "\nevents: {}\n",
        // Empty or the wrong shape.
        ["empty file"] = "",
        ["whitespace only"] = "   \n\n  \t\n",
        ["comment only"] = "# nothing here\n",
        ["scalar document"] = "just a string\n",
        ["list document"] = "- feature: broken\n- events: {}\n",
        ["no feature"] = "events:\n  add:\n    properties:\n      count: int32\n",
        ["no events or metrics"] = "feature: broken\ndescription: nothing else\n",
        ["events is a list"] = "feature: broken\nevents:\n  - add\n  - remove\n",
        ["events is a scalar"] = "feature: broken\nevents: add\n",
        ["event is a list"] = "feature: broken\nevents:\n  add: [1, 2]\n",
        ["event without definition"] = "feature: broken\nevents:\n  add:\n",
        ["feature is a mapping"] = "feature: { name: broken }\nevents:\n  add:\n    properties:\n      count: int32\n",
        // Wrong types and values.
        ["unknown property type"] = "feature: broken\nevents:\n  add:\n    properties:\n      count: { type: integer }\n",
        ["property without type"] = "feature: broken\nevents:\n  add:\n    properties:\n      count: { description: no type }\n",
        ["enum without values"] = "feature: broken\nevents:\n  add:\n    properties:\n      source: { type: enum }\n",
        ["array without items"] = "feature: broken\nevents:\n  add:\n    properties:\n      list: { type: array }\n",
        ["sampling out of range"] = "feature: broken\nevents:\n  add:\n    sampling: 1.5\n    properties:\n      count: int32\n",
        ["sampling not a number"] = "feature: broken\nevents:\n  add:\n    sampling: often\n    properties:\n      count: int32\n",
        ["unknown status"] = "feature: broken\nevents:\n  add:\n    status: retired\n    properties:\n      count: int32\n",
        ["version zero"] = "feature: broken\nevents:\n  add:\n    version: 0\n    properties:\n      count: int32\n",
        ["min above max"] = "feature: broken\nevents:\n  add:\n    properties:\n      count: { type: int32, min: 10, max: 1 }\n",
        ["invalid regex pattern"] = "feature: broken\nevents:\n  add:\n    properties:\n      symbol: { type: string, pattern: \"([a-z\" }\n",
        ["unknown key"] = "feature: broken\nevents:\n  add:\n    colour: blue\n    properties:\n      count: int32\n",
        ["duplicate keys"] = "feature: broken\nevents:\n  add:\n    properties:\n      count: int32\n  add:\n    properties:\n      count: int32\n",
        // Naming, privacy and cost rules.
        ["uppercase event name"] = "feature: broken\nevents:\n  Add:\n    properties:\n      count: int32\n",
        ["property named like the envelope"] = "feature: broken\nevents:\n  add:\n    properties:\n      event_id: string\n",
        ["reserved parameter name"] = "feature: broken\nevents:\n  add:\n    properties:\n      telemetry: string\n",
        ["raw PII without justification"] = "feature: broken\nevents:\n  add:\n    properties:\n      email: { type: string, pii: email, treatment: none }\n",
        ["financial event sampled"] = "feature: broken\nevents:\n  add:\n    sensitivity: financial\n    sampling: 0.5\n    properties:\n      count: int32\n",
        ["unsampled high-frequency event"] = "feature: broken\nevents:\n  move:\n    frequency: high\n    properties:\n      x: int32\n",
        ["aggregate window out of range"] = "feature: broken\nevents:\n  move:\n    frequency: high\n    properties:\n      x: int32\n    aggregate:\n      into: move_agg\n      window_ms: 10\n",
        ["aggregate stat on a missing property"] = "feature: broken\nevents:\n  move:\n    frequency: high\n    properties:\n      x: int32\n    aggregate:\n      into: move_agg\n      stats:\n        y: [min]\n",
        ["metric with sampling"] = "feature: broken\nmetrics:\n  job.done:\n    kind: counter\n    sampling: 0.5\n",
        ["metric with unknown kind"] = "feature: broken\nmetrics:\n  job.done:\n    kind: gauge\n",
        ["billion laughs"] = "feature: broken\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\nevents:\n  add:\n    properties:\n      count: { type: int32, examples: [*d, *d, *d, *d] }\n",
    };

    public static TheoryData<string> BrokenCases => new(Broken.Keys.OrderBy(k => k, StringComparer.Ordinal));

    [Fact]
    public void Every_case_is_a_catalog_with_errors()
    {
        Assert.True(Broken.Count >= 40, $"{Broken.Count} cases");
        foreach (var (name, yaml) in Broken)
        {
            Assert.True(CatalogParser.Parse(CatalogInput.Folder + "broken.yaml", yaml).HasErrors, name + " parses without errors");
        }
    }

    [Theory]
    [MemberData(nameof(BrokenCases))]
    public void Broken_catalog_is_skipped_without_exception_and_the_valid_file_still_generates(string name)
    {
        var broken = CatalogInput.File("broken.yaml", Broken[name]);

        var run = GeneratorHarness.Run(new[] { broken, Healthy });

        Assert.Null(run.Result.Exception);
        Assert.True(run.Diagnostics.IsEmpty, GeneratorRun.Describe(run.Diagnostics));
        Assert.Equal(new[] { "Healthy.g.cs", "TelemetryCatalog.g.cs" }, run.Sources.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.True(run.CompilationErrors.Count == 0, GeneratorRun.Describe(run.CompilationErrors));
    }

    [Fact]
    public void Broken_catalog_alone_generates_nothing()
    {
        var run = GeneratorHarness.Run(new[] { CatalogInput.File("broken.yaml", Broken["unclosed quote"]) });

        Assert.Null(run.Result.Exception);
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void Event_defined_in_two_files_is_generated_once()
    {
        var first = CatalogInput.File("a-watchlist.yaml", """
            feature: watchlist
            events:
              add:
                description: First definition.
                properties:
                  symbol: string
              remove:
                properties:
                  symbol: string
            """);
        var second = CatalogInput.File("b-watchlist.yaml", """
            feature: watchlist
            events:
              add:
                description: Second definition.
                properties:
                  symbol: string
                  count: int32
              sort:
                properties:
                  ascending: boolean
            """);

        var run = GeneratorHarness.Run(new[] { second, first });

        Assert.Null(run.Result.Exception);
        Assert.True(run.Diagnostics.IsEmpty, GeneratorRun.Describe(run.Diagnostics));
        var all = string.Concat(run.Sources.Values);
        Assert.Equal(1, Count(all, "public readonly partial struct WatchlistAdd("));
        Assert.Equal(1, Count(all, "public readonly partial struct WatchlistRemove("));
        Assert.Equal(1, Count(all, "public readonly partial struct WatchlistSort("));
        Assert.Equal(1, Count(run.Sources["TelemetryCatalog.g.cs"], "WatchlistAdd.Descriptor"));
        Assert.DoesNotContain(run.Output.GetDiagnostics(), d => d.Id == "CS0101");
        Assert.True(run.CompilationErrors.Count == 0, GeneratorRun.Describe(run.CompilationErrors));
    }

    [Fact]
    public void Fixing_a_broken_catalog_generates_it_on_the_next_run()
    {
        var broken = CatalogInput.File("broken.yaml", Broken["unclosed quote"]);
        var run = GeneratorHarness.Run(new[] { broken, Healthy });
        var fixedText = "feature: repaired\nevents:\n  add:\n    description: \"closed now\"\n    properties:\n      count: int32\n";

        var driver = run.Driver.ReplaceAdditionalText(run.Text(broken.Path), new TestAdditionalText(broken.Path, fixedText));
        var result = driver.RunGenerators(run.Input).GetRunResult().Results.Single();

        Assert.Null(result.Exception);
        Assert.Equal(new[] { "Healthy.g.cs", "Repaired.g.cs", "TelemetryCatalog.g.cs" }, result.GeneratedSources.Select(s => s.HintName).OrderBy(h => h, StringComparer.Ordinal));
    }

    private static int Count(string text, string needle)
    {
        var count = 0;
        for (var i = text.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = text.IndexOf(needle, i + needle.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
