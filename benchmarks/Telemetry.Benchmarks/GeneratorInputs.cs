using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Telemetry.Catalog;
using Telemetry.Generators;
using Telemetry.Runtime;

namespace Telemetry.Benchmarks;

/// <summary>A catalog as the compiler hands it to the generator: AdditionalFiles marked TelemetryCatalog=true.</summary>
internal sealed class CatalogWorkload
{
    /// <summary>What MSBuild's generated .editorconfig says for a file with TelemetryCatalog="true".</summary>
    private const string CatalogMetadataKey = "build_metadata.AdditionalFiles.TelemetryCatalog";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12, DocumentationMode.None);

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences);

    private CatalogWorkload(string name, IReadOnlyList<(string Path, string Text)> files)
    {
        Name = name;
        EventCount = files.Sum(f => Telemetry.Catalog.Parsing.CatalogParser.Parse(f.Path, f.Text).Events.Count);
        Texts = files.Select(f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.Text)).ToImmutableArray();
        Options = new CatalogOptionsProvider(files.Select(f => f.Path));
        Compilation = CSharpCompilation.Create(
            "Consumer",
            new[] { CSharpSyntaxTree.ParseText("namespace Consumer { internal static class Anchor { } }", ParseOptions, path: "/project/Anchor.cs") },
            LazyReferences.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    public string Name { get; }

    public int EventCount { get; }

    public ImmutableArray<AdditionalText> Texts { get; }

    public AnalyzerConfigOptionsProvider Options { get; }

    public CSharpCompilation Compilation { get; }

    /// <summary>The repository's shipped catalog (catalog/*.yaml).</summary>
    public static CatalogWorkload Shipped()
    {
        var folder = Path.Combine(BenchmarkPaths.Repository, "catalog");
        // The catalog library's loader, with the paths a project's AdditionalFiles would carry.
        var files = CatalogFolder.FindFiles(folder)
            .Select(p => CatalogFolder.Read(p, f => "/project/catalog/" + Path.GetRelativePath(folder, f).Replace('\\', '/')))
            .Select(f => (f.Path, f.Text))
            .ToList();
        return new CatalogWorkload("shipped", files);
    }

    /// <summary>1,000 events: 100 files × 10 events, 4–6 properties each, one of them an enum.</summary>
    public static CatalogWorkload Synthetic(int files = 100, int eventsPerFile = 10)
    {
        var list = new List<(string, string)>();
        for (var f = 0; f < files; f++)
        {
            var feature = "feature_" + Letters(f);
            var yaml = new StringBuilder();
            yaml.Append("feature: ").Append(feature).Append('\n');
            yaml.Append("description: Synthetic feature ").Append(f.ToString(CultureInfo.InvariantCulture)).Append(" for the generator benchmark.\n");
            yaml.Append("owner: bench-team\n");
            yaml.Append("events:\n");
            for (var e = 0; e < eventsPerFile; e++)
            {
                yaml.Append("  action_").Append(Letters(e)).Append(":\n");
                yaml.Append("    description: Synthetic event ").Append(e.ToString(CultureInfo.InvariantCulture)).Append(".\n");
                yaml.Append("    tier: ").Append("ABC"[e % 3]).Append('\n');
                yaml.Append("    sampling: ").Append(e % 2 == 0 ? "1.0" : "0.5").Append('\n');
                yaml.Append("    properties:\n");
                yaml.Append("      symbol: { type: string, max_length: 32, description: Token pair. }\n");
                yaml.Append("      mode: { type: enum, values: [alpha, beta, gamma, delta], description: Mode. }\n");
                yaml.Append("      item_count: { type: int32, min: 0, max: 10000 }\n");
                yaml.Append("      ratio: { type: double, min: 0, max: 1 }\n");
                var extra = e % 3; // 4, 5 or 6 properties
                if (extra >= 1) yaml.Append("      enabled: { type: boolean }\n");
                if (extra >= 2) yaml.Append("      level: { type: decimal, required: false, min: 0 }\n");
            }

            list.Add(($"/project/catalog/{feature}.yaml", yaml.ToString()));
        }

        return new CatalogWorkload("synthetic-1000", list);
    }

    /// <summary>A driver over this catalog (no run yet).</summary>
    public GeneratorDriver CreateDriver(bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            new[] { new CatalogGenerator().AsSourceGenerator() },
            Texts,
            ParseOptions,
            Options,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    private static string Letters(int n)
    {
        var a = (char)('a' + (n / 26 % 26));
        var b = (char)('a' + (n % 26));
        return n < 26 ? b.ToString() : new string(new[] { a, b });
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var files = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => string.Equals(Path.GetDirectoryName(p), runtimeDir, StringComparison.Ordinal) && Path.GetFileName(p).StartsWith("System", StringComparison.Ordinal) || Path.GetFileName(p) == "netstandard.dll" || Path.GetFileName(p) == "mscorlib.dll")
            .Append(typeof(ITelemetryClient).Assembly.Location)
            .Append(typeof(Microsoft.Extensions.Compliance.Classification.DataClassificationAttribute).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(f => f, StringComparer.Ordinal);
        return files.Select(f => (MetadataReference)MetadataReference.CreateFromFile(f)).ToImmutableArray();
    }

    private sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text, Encoding.UTF8);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    private sealed class CatalogOptionsProvider(IEnumerable<string> catalogPaths) : AnalyzerConfigOptionsProvider
    {
        private readonly HashSet<string> _catalogPaths = new(catalogPaths, StringComparer.Ordinal);

        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(ImmutableDictionary<string, string>.Empty);

        private static readonly Options CatalogFile = new(ImmutableDictionary<string, string>.Empty.Add(CatalogMetadataKey, "true"));

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _catalogPaths.Contains(textFile.Path) ? CatalogFile : GlobalOptions;

        private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }
}
