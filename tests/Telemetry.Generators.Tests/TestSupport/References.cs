using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Telemetry.Runtime;

namespace Telemetry.Generators.Tests.TestSupport;

/// <summary>
/// Metadata references for compiling generated code in memory, without any download: the .NET reference
/// assemblies of the running framework (the SDK's <c>packs/Microsoft.NETCore.App.Ref</c>, or the runtime's
/// own assemblies when no pack is installed), plus Telemetry.Runtime and what its public types derive from.
/// </summary>
internal static class References
{
    /// <summary>The framework's reference assemblies.</summary>
    public static ImmutableArray<MetadataReference> Framework { get; } = LoadFramework();

    /// <summary>Telemetry.Runtime and Microsoft.Extensions.Compliance.Abstractions (PersonalDataAttribute's base type).</summary>
    public static ImmutableArray<MetadataReference> Runtime { get; } = ImmutableArray.Create<MetadataReference>(
        MetadataReference.CreateFromFile(typeof(ITelemetryClient).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Compliance.Classification.DataClassificationAttribute).Assembly.Location));

    /// <summary>Framework plus runtime: what a project consuming the package compiles against.</summary>
    public static ImmutableArray<MetadataReference> All { get; } = Framework.AddRange(Runtime);

    private static ImmutableArray<MetadataReference> LoadFramework()
    {
        // typeof(object) lives in <dotnet>/shared/Microsoft.NETCore.App/<version>/.
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var version = Path.GetFileName(runtimeDir);
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
        var tfm = "net" + Environment.Version.ToString(2);
        var packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        var refDir = new[] { Path.Combine(packs, version, "ref", tfm) }
            .Concat(Directory.Exists(packs)
                ? Directory.GetDirectories(packs).OrderByDescending(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, "ref", tfm))
                : Enumerable.Empty<string>())
            .FirstOrDefault(Directory.Exists);

        var files = refDir is not null
            ? Directory.GetFiles(refDir, "*.dll")
            : ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => string.Equals(Path.GetDirectoryName(p), runtimeDir, StringComparison.Ordinal))
                .ToArray();
        return files.OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f))
            .ToImmutableArray();
    }
}
