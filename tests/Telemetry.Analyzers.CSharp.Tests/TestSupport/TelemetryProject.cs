using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.Extensions.Compliance.Classification;

namespace Telemetry.Analyzers.CSharp.Tests.TestSupport;

/// <summary>
/// A consuming project as the package sets it up: catalog files as AdditionalFiles marked
/// <c>TelemetryCatalog = true</c>, optionally <c>catalog.lock.json</c> marked <c>TelemetryCatalogLock = true</c>
/// (both through a <c>/.globalconfig</c>, which is what the package's CompilerVisibleItemMetadata produces), the
/// .NET 8 reference assemblies, and Telemetry.Runtime with Microsoft.Extensions.Compliance.Abstractions.
/// </summary>
internal sealed class TelemetryProject
{
    /// <summary>The folder of catalog files inside the test project.</summary>
    public const string CatalogFolder = "/0/catalog/";

    /// <summary>Path of the lock file inside the test project.</summary>
    public const string LockPath = CatalogFolder + "catalog.lock.json";

    private readonly List<(string Path, string Text)> _catalogs = new();
    private readonly StringBuilder _options = new();
    private string? _lock;

    /// <summary>Path of a catalog file called <paramref name="name"/>.</summary>
    public static string PathOf(string name) => CatalogFolder + name;

    public TelemetryProject Catalog(string name, string yaml)
    {
        _catalogs.Add((PathOf(name), yaml));
        return this;
    }

    public TelemetryProject Lock(string json)
    {
        _lock = json;
        return this;
    }

    /// <summary>Adds a global .editorconfig line such as <c>dotnet_diagnostic.TEL4004.severity = warning</c>.</summary>
    public TelemetryProject Option(string line)
    {
        _options.AppendLine(line);
        return this;
    }

    /// <summary>The generator's output for this project's catalogs, as <c>/0/Generated/*.g.cs</c> sources.</summary>
    public IReadOnlyList<(string Path, string Text)> GeneratedSources() => TestSupport.GeneratedSources.For(_catalogs);

    /// <summary>Puts the catalog files, the lock, the configuration and the references into <paramref name="state"/>.</summary>
    public void ApplyTo(ProjectState state)
    {
        foreach (var (path, text) in _catalogs) state.AdditionalFiles.Add((path, text));
        if (_lock is not null) state.AdditionalFiles.Add((LockPath, _lock));

        var config = new StringBuilder().AppendLine("is_global = true").Append(_options);
        foreach (var (path, _) in _catalogs)
        {
            config.AppendLine().AppendLine($"[{path}]").AppendLine("build_metadata.AdditionalFiles.TelemetryCatalog = true");
        }

        if (_lock is not null)
        {
            config.AppendLine().AppendLine($"[{LockPath}]").AppendLine("build_metadata.AdditionalFiles.TelemetryCatalogLock = true");
        }

        state.AnalyzerConfigFiles.Add(("/.globalconfig", config.ToString()));
        state.AdditionalReferences.AddRange(References);
    }

    /// <summary>Telemetry.Runtime (net8.0 build, copied next to the tests) and the compliance abstractions it builds on.</summary>
    public static IReadOnlyList<MetadataReference> References { get; } = new[]
    {
        MetadataReference.CreateFromFile(Path.Combine(AppContext.BaseDirectory, "runtime-net8.0", "Telemetry.Runtime.dll")),
        MetadataReference.CreateFromFile(typeof(DataClassificationAttribute).Assembly.Location),
    };

    /// <summary>The reference assemblies every test compiles against.</summary>
    public static ReferenceAssemblies ReferenceAssemblies => Microsoft.CodeAnalysis.Testing.ReferenceAssemblies.Net.Net80;
}
