using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Telemetry.Generators.Tests.TestSupport;

namespace Telemetry.Generators.Tests;

/// <summary>
/// The pipeline caches what did not change (after dotnet/runtime's LoggerMessageGeneratorIncrementalTests): typing
/// in C# files regenerates nothing, editing one catalog regenerates that file only, and no cached value holds
/// compiler or YAML objects.
/// </summary>
public sealed class CatalogGeneratorIncrementalTests
{
    private static readonly IncrementalStepRunReason[] CachedOrUnchanged = { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged };

    [Fact]
    public void Editing_an_unrelated_csharp_file_leaves_every_step_and_output_cached()
    {
        var run = GeneratorHarness.Run(CatalogInput.Shipped());
        var tree = run.Input.SyntaxTrees.First();
        var edited = run.Input.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(
            "namespace Consumer { internal static class Anchor { public static int Typed => 42; } }", GeneratorHarness.ParseOptions, tree.FilePath));

        var result = run.Driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var name in IncrementalSteps.All)
        {
            var outputs = IncrementalSteps.Outputs(result, name);
            Assert.All(outputs, o => Assert.Contains(o.Reason, CachedOrUnchanged));
        }

        Assert.NotEmpty(result.TrackedOutputSteps);
        Assert.All(result.TrackedOutputSteps.SelectMany(p => p.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Adding_a_csharp_file_leaves_every_output_cached()
    {
        var run = GeneratorHarness.Run(CatalogInput.Shipped());
        var edited = run.Input.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Consumer { internal sealed class Added { } }", GeneratorHarness.ParseOptions, "/project/Added.cs"));

        var result = run.Driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.All(result.TrackedOutputSteps.SelectMany(p => p.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Editing_one_catalog_regenerates_only_that_files_model_and_output()
    {
        var files = CatalogInput.Shipped();
        var run = GeneratorHarness.Run(files);
        var watchlist = files.Single(f => f.Path.EndsWith("/watchlist.yaml", StringComparison.Ordinal));
        var original = run.Driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == "Watchlist.g.cs").SourceText.ToString();
        var edited = watchlist.Text.Replace("A token pair was added to the watchlist.", "A token pair was put on the watchlist.", StringComparison.Ordinal);
        Assert.NotEqual(watchlist.Text, edited);

        var driver = run.Driver.ReplaceAdditionalText(run.Text(watchlist.Path), new TestAdditionalText(watchlist.Path, edited));
        var result = driver.RunGenerators(run.Input).GetRunResult().Results.Single();
        var message = IncrementalSteps.Describe(result);

        var models = IncrementalSteps.Outputs(result, TrackingNames.FileModels);
        Assert.Equal(files.Count, models.Count);
        foreach (var (value, reason) in models)
        {
            var spec = Assert.IsType<FileSpec>(value);
            if (spec.SourceFile == Path.GetFileName(watchlist.Path)) Assert.True(reason == IncrementalStepRunReason.Modified, message);
            else Assert.True(CachedOrUnchanged.Contains(reason), $"{spec.SourceFile}: {reason}\n{message}");
        }

        // Names did not change, so the cross-file index (and with it the registry) is unchanged.
        Assert.All(IncrementalSteps.Outputs(result, TrackingNames.CatalogIndex), o => Assert.Contains(o.Reason, CachedOrUnchanged));
        var regenerated = result.GeneratedSources.Single(s => s.HintName == "Watchlist.g.cs").SourceText.ToString();
        Assert.Contains("A token pair was put on the watchlist.", regenerated);
        Assert.NotEqual(original, regenerated);
        var outputs = result.TrackedOutputSteps.SelectMany(p => p.Value).SelectMany(s => s.Outputs).ToList();
        Assert.Single(outputs, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.All(outputs.Where(o => o.Reason != IncrementalStepRunReason.Modified), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    public static TheoryData<string> TriviaEdits => new() { "comment", "whitespace" };

    /// <summary>
    /// A comment or whitespace edit changes the parsed file (its content hash and every source position below the edit) but
    /// no generated fact: the generation spec compares equal, so every output stays cached.
    /// </summary>
    [Theory]
    [MemberData(nameof(TriviaEdits))]
    public void Comment_or_whitespace_edits_leave_every_output_cached(string edit)
    {
        var files = CatalogInput.Shipped();
        var run = GeneratorHarness.Run(files);
        var before = run.Driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        var driver = run.Driver;
        foreach (var file in files)
        {
            // At the top (shifting every line below) and at the end of the first line.
            var lines = file.Text.Split('\n');
            lines[0] = edit == "comment" ? lines[0] + "   # reviewed" : lines[0] + "   ";
            var text = (edit == "comment" ? "# An added comment line.\n" : "\n\n") + string.Join("\n", lines);
            Assert.NotEqual(file.Text, text);
            driver = driver.ReplaceAdditionalText(run.Text(file.Path), new TestAdditionalText(file.Path, text));
        }

        var result = driver.RunGenerators(run.Input).GetRunResult().Results.Single();
        var message = IncrementalSteps.Describe(result);

        // The parsed files did change (positions, hash): the test would pass trivially if they had not.
        Assert.Contains(IncrementalSteps.Outputs(result, TrackingNames.CatalogFiles), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.All(IncrementalSteps.Outputs(result, TrackingNames.FileModels), o => Assert.True(CachedOrUnchanged.Contains(o.Reason), message));
        var outputs = result.TrackedOutputSteps.SelectMany(p => p.Value).SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.True(o.Reason == IncrementalStepRunReason.Cached, message));
        Assert.Equal(before, result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString()));
    }

    [Fact]
    public void Adding_an_event_regenerates_its_file_and_the_registry_but_not_the_other_files()
    {
        var files = CatalogInput.Shipped();
        var run = GeneratorHarness.Run(files);
        var replay = files.Single(f => f.Path.EndsWith("/replay.yaml", StringComparison.Ordinal));
        var edited = replay.Text.TrimEnd() + "\n\n  clip_share:\n    description: A replay clip was shared.\n    properties:\n      format: { type: enum, values: [mp4, gif] }\n";

        var driver = run.Driver.ReplaceAdditionalText(run.Text(replay.Path), new TestAdditionalText(replay.Path, edited));
        var result = driver.RunGenerators(run.Input).GetRunResult().Results.Single();
        var message = IncrementalSteps.Describe(result);

        Assert.Contains(IncrementalSteps.Outputs(result, TrackingNames.CatalogIndex), o => o.Reason == IncrementalStepRunReason.Modified);
        foreach (var (value, reason) in IncrementalSteps.Outputs(result, TrackingNames.FileModels))
        {
            var spec = (FileSpec)value;
            if (spec.SourceFile == Path.GetFileName(replay.Path)) Assert.True(reason == IncrementalStepRunReason.Modified, message);
            else Assert.True(CachedOrUnchanged.Contains(reason), $"{spec.SourceFile}: {reason}\n{message}");
        }

        Assert.Contains("ReplayClipShare.Descriptor", result.GeneratedSources.Single(s => s.HintName == "TelemetryCatalog.g.cs").SourceText.ToString());
    }

    [Fact]
    public void Cached_pipeline_values_hold_no_compilation_symbol_syntax_text_location_or_yaml_objects()
    {
        var files = CatalogInput.Shipped().Concat(TestCatalogs.SnapshotCases.Values).ToList();
        var run = GeneratorHarness.Run(files);
        var result = run.Driver.GetRunResult().Results.Single();

        foreach (var name in IncrementalSteps.All) Assert.NotEmpty(IncrementalSteps.Outputs(result, name));
        var forbidden = IncrementalSteps.ForbiddenObjects(result);
        Assert.True(forbidden.Count == 0, "Cached values reference:\n" + string.Join("\n", forbidden));
    }

    [Fact]
    public void Every_tracking_name_appears_among_the_tracked_steps()
    {
        var run = GeneratorHarness.Run(CatalogInput.Shipped());

        Assert.All(IncrementalSteps.All, name => Assert.Contains(name, run.Result.TrackedSteps.Keys));
    }
}
