using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Telemetry.Analyzers.Tests.TestSupport;

/// <summary>
/// Runs analyzers and the generator the way csc does, without a workspace: a real <see cref="AnalyzerConfigSet"/>
/// built from a <c>/.globalconfig</c> supplies both the per-file metadata and the diagnostic severities.
/// </summary>
/// <remarks>
/// Microsoft.CodeAnalysis.Testing pins every supported ID to <c>ReportDiagnostic.Default</c> in the compilation's
/// specific options, which outrank global configuration; raising a warning to an error through a globalconfig
/// is therefore only observable outside that framework.
/// </remarks>
internal static class CompilerHarness
{
    /// <summary>The metadata marking a file as a catalog, for one path, as the package's props produce it.</summary>
    public static string GlobalConfig(IEnumerable<string> catalogPaths, params string[] globalOptions)
    {
        var lines = new List<string> { "is_global = true" };
        lines.AddRange(globalOptions);
        foreach (var path in catalogPaths)
        {
            lines.Add(string.Empty);
            lines.Add($"[{path}]");
            lines.Add($"{CatalogFileFilter.MetadataKey} = true");
        }

        return string.Join("\n", lines) + "\n";
    }

    private static readonly string[] PlatformAssemblies = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);

    /// <summary>Just enough to compile a class: cheap, for runs that only need a compilation to hang AdditionalFiles on.</summary>
    public static IReadOnlyList<MetadataReference> CoreReferences { get; } = PlatformAssemblies
        .Where(p => Path.GetFileName(p) is "System.Private.CoreLib.dll" or "System.Runtime.dll" or "netstandard.dll" or "System.Collections.dll")
        .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
        .ToArray();

    /// <summary>The whole platform plus Telemetry.Runtime: generated code binds, so usage analyzers see real Track calls.</summary>
    public static IReadOnlyList<MetadataReference> FullReferences { get; } = PlatformAssemblies
        .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll" || Path.GetFileName(p).StartsWith("Microsoft.Extensions.", StringComparison.Ordinal))
        .Append(System.Reflection.Assembly.Load("Telemetry.Runtime").Location)
        .Distinct(StringComparer.Ordinal)
        .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
        .ToArray();

    public static CSharpCompilation Compilation(params string[] sources) => Compilation(CoreReferences, sources);

    public static CSharpCompilation Compilation(IEnumerable<MetadataReference> references, params string[] sources) =>
        CSharpCompilation.Create(
            "Consumer",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest), path: $"/0/Source{i}.cs")),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>Every analyzer the Telemetry.Analyzers assembly ships, found by reflection so new ones join these tests.</summary>
    public static DiagnosticAnalyzer[] AllAnalyzers() => typeof(CatalogDiagnosticsAnalyzer).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), false).Length > 0)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToArray();

    /// <summary>Analyzer diagnostics (analyzer exceptions included as AD0001) plus every exception the driver caught.</summary>
    public static async Task<AnalyzerRun> AnalyzeAsync(Compilation compilation, IEnumerable<AdditionalText> files, string globalConfig, params DiagnosticAnalyzer[] analyzers)
    {
        var set = AnalyzerConfigSet.Create(new[] { AnalyzerConfig.Parse(SourceText.From(globalConfig), "/.globalconfig") });
        var configured = compilation.WithOptions(compilation.Options.WithSyntaxTreeOptionsProvider(new ConfigSetTreeOptions(set)));
        var exceptions = new List<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(files.ToImmutableArray(), new ConfigSetOptionsProvider(set)),
            onAnalyzerException: (ex, _, _) =>
            {
                lock (exceptions) exceptions.Add(ex);
            },
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var withAnalyzers = configured.WithAnalyzers((analyzers.Length == 0 ? new DiagnosticAnalyzer[] { new CatalogDiagnosticsAnalyzer() } : analyzers).ToImmutableArray(), options);
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        return new AnalyzerRun(diagnostics, exceptions);
    }

    /// <summary>One analyzer run.</summary>
    public sealed record AnalyzerRun(ImmutableArray<Diagnostic> Diagnostics, IReadOnlyList<Exception> Exceptions);

    /// <summary>Severities from the config set: per-tree sections and the global section, as csc applies them.</summary>
    private sealed class ConfigSetTreeOptions : SyntaxTreeOptionsProvider
    {
        private readonly AnalyzerConfigSet _set;

        public ConfigSetTreeOptions(AnalyzerConfigSet set) => _set = set;

        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            _set.GetOptionsForSourcePath(tree.FilePath).TreeOptions.TryGetValue(diagnosticId, out severity);

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            _set.GlobalConfigOptions.TreeOptions.TryGetValue(diagnosticId, out severity);
    }

    /// <summary>Analyzer options from the config set (the <c>build_metadata.*</c> keys of each file's section).</summary>
    private sealed class ConfigSetOptionsProvider : AnalyzerConfigOptionsProvider
    {
        private readonly AnalyzerConfigSet _set;

        public ConfigSetOptionsProvider(AnalyzerConfigSet set)
        {
            _set = set;
            GlobalOptions = new DictionaryOptions(set.GlobalConfigOptions.AnalyzerOptions);
        }

        public override AnalyzerConfigOptions GlobalOptions { get; }

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new DictionaryOptions(_set.GetOptionsForSourcePath(tree.FilePath).AnalyzerOptions);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new DictionaryOptions(_set.GetOptionsForSourcePath(textFile.Path).AnalyzerOptions);
    }

    private sealed class DictionaryOptions : AnalyzerConfigOptions
    {
        private readonly ImmutableDictionary<string, string> _values;

        public DictionaryOptions(ImmutableDictionary<string, string> values) => _values = values;

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => _values.TryGetValue(key, out value);
    }
}
