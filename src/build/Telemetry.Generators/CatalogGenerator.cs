using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Telemetry.Catalog.Model;
using Telemetry.Catalog;
using Telemetry.Catalog.Parsing;

namespace Telemetry.Generators;

/// <summary>
/// Generates typed event records, Track methods, aggregators and metrics from the YAML catalog files
/// passed as AdditionalFiles with metadata <c>TelemetryCatalog=true</c>. Catalog diagnostics are the
/// analyzer's job (Telemetry.Analyzers); a file with errors is skipped here, never half generated.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class CatalogGenerator : IIncrementalGenerator
{
    internal const string DefaultNamespace = "Telemetry.Events";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var options = context.AnalyzerConfigOptionsProvider
            .Select(static (provider, _) =>
            {
                provider.GlobalOptions.TryGetValue("build_property.TelemetryNamespace", out var ns);
                ns = string.IsNullOrWhiteSpace(ns) ? DefaultNamespace : ns!.Trim();
                provider.GlobalOptions.TryGetValue("build_property.TelemetryConstraintPolicy", out var policy);
                provider.GlobalOptions.TryGetValue("build_property.Configuration", out var configuration);
                return new GeneratorOptions(IsValidNamespace(ns) ? ns : DefaultNamespace, ConstraintPolicies.Resolve(policy, configuration));
            })
            .WithTrackingName(TrackingNames.Options);

        var texts = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Where(static pair => CatalogFiles.IsCatalog(pair.Left.Path, pair.Right.GetOptions(pair.Left).TryGetValue(CatalogFiles.CatalogMetadataKey, out var value) ? value : null))
            .Select(static (pair, ct) => new CatalogText(pair.Left.Path, pair.Left.GetText(ct)?.ToString() ?? string.Empty))
            .WithTrackingName(TrackingNames.CatalogTexts);

        // First pass: the shared definitions of every file, so a ref in one file resolves to a definition in another.
        // The table is value-equatable: files are re-parsed only when a definition changes.
        var definitions = texts
            .Select(static (t, _) => new FileDefinitions(t.Path, CatalogParser.ReadDefinitions(t.Path, t.Text)))
            .Collect()
            .Select(static (all, _) => DefinitionTable.From(all.Where(f => !f.Definitions.IsEmpty)
                .Select(f => new KeyValuePair<string, EquatableArray<PropertySpec>>(f.Path, f.Definitions))))
            .WithTrackingName(TrackingNames.Definitions);

        var files = texts
            .Combine(definitions)
            .Select(static (pair, _) => CatalogParser.Parse(pair.Left.Path, pair.Left.Text, pair.Right))
            .WithTrackingName(TrackingNames.CatalogFiles);

        // A file with an error at the severity the project configures is skipped (as the build reports it), not one with an
        // error at the parser's default severity.
        var severities = context.CompilationProvider
            .Select(static (c, ct) => ConfiguredSeverityReader.Read(c.Options, ct));

        var index = files
            .Combine(severities)
            .Select(static (pair, _) => new FileNames(pair.Left.FilePath, pair.Left.Feature, pair.Left.HasErrorsUnder(pair.Right),
                pair.Left.Events.Select(e => e.Name + "|" + e.Status).ToEquatableArray(), !pair.Left.Metrics.IsEmpty))
            .Collect()
            .Select(static (all, _) => BuildIndex(all))
            .WithTrackingName(TrackingNames.CatalogIndex);

        // The generation spec: names and types resolved, no source positions, hashes or diagnostics, so an edit that changes
        // no generated fact (a comment, whitespace) gives an equal spec and leaves the output cached. A file is skipped for
        // an error at the severity the project configures.
        var specs = files
            .Combine(severities)
            .Where(static pair => !pair.Left.HasErrorsUnder(pair.Right))
            .Select(static (pair, _) => pair.Left)
            .Combine(index)
            .Combine(options)
            .Select(static (pair, _) => SpecBuilder.Build(pair.Left.Left, pair.Left.Right, pair.Right))
            .WithTrackingName(TrackingNames.FileModels);

        context.RegisterSourceOutput(specs, static (spc, spec) =>
            spc.AddSource(spec.HintName, SourceText.From(FileEmitter.Emit(spec), Encoding.UTF8)));

        context.RegisterSourceOutput(index.Combine(options), static (spc, pair) =>
        {
            if (pair.Left.Registry.IsEmpty) return;
            spc.AddSource(RegistryEmitter.HintName, SourceText.From(RegistryEmitter.Emit(pair.Left, pair.Right.Namespace), Encoding.UTF8));
        });
    }

    private static CatalogIndex BuildIndex(ImmutableArray<FileNames> all)
    {
        var ordered = all.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        // Who owns each event's C# type and each feature's shared classes is decided by the catalog library (CatalogSet).
        var ownership = CatalogSet.DecideOwnership(ordered.Select(f => new CatalogSet.NamedFile(
            f.Path, f.Feature, f.HasErrors, f.Events.Select(e => e.Substring(0, e.IndexOf('|'))).ToList(), f.HasMetrics)));
        var duplicates = ownership.Skipped.Select(d => d.Path + "|" + d.Event).ToList();
        var registry = ownership.Owned.Select(o => o.TypeName + "|" + ordered[o.File].Events[o.Index].Substring(ordered[o.File].Events[o.Index].IndexOf('|') + 1)).ToList();
        var owners = ownership.ClassOwners.Select(o => o.Key + "|" + o.Value).ToList();

        // Hint names: <Feature>.g.cs, or the file name too when two files share a feature.
        var hints = new List<string>();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { RegistryEmitter.HintName };
        foreach (var f in ordered)
        {
            var stem = Naming.Pascal(Path.GetFileNameWithoutExtension(f.Path));
            var feature = f.Feature is null ? stem : Naming.Pascal(f.Feature);
            var hint = SafeHint(feature) + ".g.cs";
            if (used.Contains(hint)) hint = SafeHint(feature + "." + stem) + ".g.cs";
            for (var i = 2; used.Contains(hint); i++) hint = SafeHint(feature + "." + stem + i) + ".g.cs";
            used.Add(hint);
            hints.Add(f.Path + "|" + hint);
        }

        return new CatalogIndex(duplicates.ToEquatableArray(), hints.ToEquatableArray(), registry.ToEquatableArray(), owners.ToEquatableArray());
    }

    private static string SafeHint(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value) sb.Append(char.IsLetterOrDigit(c) || c == '.' || c == '_' ? c : '_');
        return sb.Length == 0 ? "Catalog" : sb.ToString();
    }

    private static bool IsValidNamespace(string ns) =>
        ns.Split('.').All(part => part.Length > 0 && (char.IsLetter(part[0]) || part[0] == '_') && part.All(c => char.IsLetterOrDigit(c) || c == '_'));

    private sealed record FileDefinitions(string Path, EquatableArray<PropertySpec> Definitions);

    private sealed record FileNames(string Path, string? Feature, bool HasErrors, EquatableArray<string> Events, bool HasMetrics);
}
