using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Parsing;
using Telemetry.Analyzers;

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
            .Where(static pair => CatalogFileFilter.IsCatalog(pair.Left.Path, pair.Right.GetOptions(pair.Left)))
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

        var index = files
            .Select(static (f, _) => new FileNames(f.FilePath, f.Feature, f.HasErrors, f.Events.Select(e => e.Name + "|" + e.Status).ToEquatableArray(), !f.Metrics.IsEmpty))
            .Collect()
            .Select(static (all, _) => BuildIndex(all))
            .WithTrackingName(TrackingNames.CatalogIndex);

        // The generation spec: names and types resolved, no source positions, hashes or diagnostics, so an edit that changes
        // no generated fact (a comment, whitespace) gives an equal spec and leaves the output cached.
        var specs = files
            .Where(static f => !f.HasErrors)
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
        var firstOwner = new Dictionary<string, string>(StringComparer.Ordinal);
        var duplicates = new List<string>();
        var registry = new List<string>();
        var owners = new List<string>();
        var ownedClasses = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in ordered.Where(f => !f.HasErrors))
        {
            // Files of one feature share its partial Track and Metrics classes: the first file that generates one owns
            // its class-level members (attributes, meter), so they are declared once.
            var prefix = GeneratedNames.FeaturePrefix(f.Feature, f.Path);
            if (f.HasMetrics && ownedClasses.Add(GeneratedNames.MetricsClass(prefix))) owners.Add("Metrics|" + f.Path);
            var keptEvent = false;
            foreach (var entry in f.Events)
            {
                var name = entry.Substring(0, entry.IndexOf('|'));
                var type = GeneratedNames.EventType(name);
                if (firstOwner.ContainsKey(type))
                {
                    duplicates.Add(f.Path + "|" + name);
                    continue;
                }

                firstOwner[type] = f.Path;
                registry.Add(type + "|" + entry.Substring(entry.IndexOf('|') + 1));
                keptEvent = true;
            }

            if (keptEvent && ownedClasses.Add(GeneratedNames.TelemetryClass(prefix))) owners.Add("Telemetry|" + f.Path);
        }

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
