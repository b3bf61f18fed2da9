using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Telemetry.Generators;

namespace Telemetry.Analyzers.CSharp.Tests.TestSupport;

/// <summary>
/// The real generator's output for a set of catalog files, as plain sources. Code fix tests add these as
/// documents (named <c>*.g.cs</c>, so analyzers treat them as generated): the testing library runs source
/// generators for the analyzer pass but not into the workspace the code fix reads, where the IDE would.
/// </summary>
internal static class GeneratedSources
{
    private static readonly ConcurrentDictionary<string, IReadOnlyList<(string Path, string Text)>> Cache = new();

    public static IReadOnlyList<(string Path, string Text)> For(IReadOnlyList<(string Path, string Text)> catalogs)
    {
        var key = string.Join("\n---\n", catalogs.Select(c => c.Path + "\n" + c.Text));
        return Cache.GetOrAdd(key, _ => Generate(catalogs));
    }

    private static IReadOnlyList<(string Path, string Text)> Generate(IReadOnlyList<(string Path, string Text)> catalogs)
    {
        var compilation = CSharpCompilation.Create("Generated", references: TelemetryProject.References);
        var driver = CSharpGeneratorDriver.Create(
            new[] { new CatalogGenerator().AsSourceGenerator() },
            catalogs.Select(c => (AdditionalText)new InMemoryText(c.Path, c.Text)),
            new CSharpParseOptions(LanguageVersion.Latest),
            new CatalogOptionsProvider());
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();
        return result.GeneratedSources.Select(s => ("/0/Generated/" + s.HintName, s.SourceText.ToString())).ToList();
    }
}
