using System.Collections.Generic;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Derivation;
using Telemetry.Catalog.Rules;
using static Telemetry.Catalog.Parsing.NamePatterns;
using static Telemetry.Catalog.Parsing.NumberText;

namespace Telemetry.Catalog.Parsing;

/// <summary>
/// Reads one catalog file's YAML tree into the model: feature, definitions, defaults, events (properties through
/// <see cref="PropertyReader"/>, aggregates through <see cref="AggregateReader"/> and <see cref="AggregateDerivation"/>)
/// and metrics, applying the rules of <c>Rules/</c> as it goes. One instance per file and pass.
/// </summary>
internal sealed class CatalogReader
{
    private readonly FileDiagnostics _file;
    private readonly DefinitionResolver _refs;
    private readonly PropertyReader _properties;
    private readonly AggregateReader _aggregates;
    private readonly GeneratedNameRules _names;
    private readonly PrivacyRules _privacy;
    private readonly CostRules _cost;

    public CatalogReader(FileDiagnostics file, DefinitionTable definitions)
    {
        _file = file;
        _refs = new DefinitionResolver(file, definitions);
        _privacy = new PrivacyRules(file);
        _properties = new PropertyReader(file, _refs, new ConstraintRules(file), _privacy);
        _aggregates = new AggregateReader(file);
        _names = new GeneratedNameRules(file);
        _cost = new CostRules(file);
    }

    public EquatableArray<PropertySpec> ReadDefinitionsOnly(YamlNode root)
    {
        var file = new MappingReader(root, "catalog", _file.List);
        return ReadDefinitions(file);
    }

    private EquatableArray<PropertySpec> ReadDefinitions(MappingReader file)
    {
        var node = file.Mapping("definitions");
        if (node is null) return EquatableArray<PropertySpec>.Empty;
        var result = new List<PropertySpec>();
        foreach (var entry in new MappingReader(node, "definitions", _file.List).Entries)
        {
            var def = _properties.Read("definitions", entry.Key, entry.Value, isTag: false, isDefinition: true);
            if (def is null) continue;
            result.Add(def);
            _refs.AddOwn(def);
        }

        return result.ToEquatableArray();
    }

    public CatalogFile Read(YamlNode root, string hash)
    {
        if (root.Kind != YamlNodeKind.Mapping)
        {
            Report(DiagnosticIds.InvalidStructure, root.Span,
                $"A catalog file is a mapping with 'feature:' and 'events:' or 'metrics:', not {root.Describe()}");
            return CatalogParser.Empty(_file.FilePath, _file.List, hash);
        }

        var file = new MappingReader(root, "catalog", _file.List);
        var definitions = ReadDefinitions(file);

        // A file may hold only definitions: then it needs no feature.
        var feature = file.String("feature", required: file.Has("events") || file.Has("metrics") || !file.Has("definitions"));
        if (feature is not null && !IdentifierPattern.IsMatch(feature))
        {
            Report(DiagnosticIds.InvalidName, file.Node("feature")!.Span,
                $"Feature '{feature}' breaks the naming rule: lowercase snake case, matching ^[a-z][a-z0-9_]*$");
            feature = null;
        }

        var description = file.String("description");
        var owner = file.String("owner");
        var defaultsNode = file.Mapping("defaults");
        if (defaultsNode is not null)
        {
            // Validate defaults once; the valid values are merged into each event below, so a wrong
            // default is reported once, at the defaults block, and not again for every event.
            var before = _file.List.Count;
            var defaults = new MappingReader(defaultsNode, "defaults", _file.List);
            ReadEventFacts(defaults, "defaults");
            defaults.ReportUnknownKeys();
            defaultsNode = Defaults.WithoutReported(defaultsNode, _file.List, before);
        }

        var events = new List<EventSpec>();
        var eventsNode = file.Mapping("events");
        if (eventsNode is not null)
        {
            var eventKeys = new MappingReader(eventsNode, "events", _file.List, DiagnosticIds.DuplicateEvent,
                key => $"Event '{(key.IndexOf('.') >= 0 || feature is null ? key : feature + "." + key)}'");
            foreach (var entry in eventKeys.Entries)
            {
                ParseEvent(feature, owner, entry.Key, entry.Value, defaultsNode, events);
            }
        }

        var metrics = new List<MetricSpec>();
        var metricsNode = file.Mapping("metrics");
        if (metricsNode is not null)
        {
            foreach (var entry in new MappingReader(metricsNode, "metrics", _file.List, DiagnosticIds.DuplicateEvent, key => $"Metric '{key}'").Entries)
            {
                var metric = ParseMetric(entry.Key, entry.Value);
                if (metric is not null) metrics.Add(metric);
            }
        }

        if (!file.Has("events") && !file.Has("metrics") && !file.Has("definitions"))
        {
            Report(DiagnosticIds.InvalidStructure, root.Span, "catalog: missing 'events:', 'metrics:' or 'definitions:'");
        }

        file.ReportUnknownKeys();
        _names.CheckDuplicateNames(events, metrics);
        _names.CheckGeneratedTypeNames(feature, events, metrics, definitions);
        return new CatalogFile(_file.FilePath, feature, description, owner, events.ToEquatableArray(), metrics.ToEquatableArray(),
            _file.Distinct().ToEquatableArray(), hash) { Definitions = definitions };
    }

    private void ParseEvent(string? feature, string? fileOwner, YamlNode keyNode, YamlNode valueNode, YamlNode? defaultsNode, List<EventSpec> events)
    {
        var key = keyNode.Value!;
        string name;
        if (key.IndexOf('.') >= 0)
        {
            name = key;
        }
        else if (feature is null)
        {
            // Without a valid feature the full name is unknown; the feature diagnostic says why.
            return;
        }
        else
        {
            name = feature + "." + key;
        }

        if (!EventNamePattern.IsMatch(name))
        {
            Report(DiagnosticIds.InvalidName, keyNode.Span,
                $"Event name '{name}' breaks the naming rule: '<feature>.<action>' in lowercase snake case, matching ^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$");
            return;
        }

        if (valueNode.IsNull)
        {
            Report(DiagnosticIds.InvalidStructure, keyNode.Span,
                $"Event '{name}' has no definition: give it at least a description and properties");
            return;
        }

        if (valueNode.Kind != YamlNodeKind.Mapping)
        {
            Report(DiagnosticIds.InvalidStructure, valueNode.Span,
                $"Event '{name}' must be a mapping, not {valueNode.Describe()}");
            return;
        }

        var merged = Defaults.Merge(valueNode, defaultsNode);
        var reader = new MappingReader(merged, $"event '{name}'", _file.List);
        var facts = ReadEventFacts(reader, $"event '{name}'");
        var description = reader.String("description");
        var trigger = reader.String("trigger");
        var properties = new List<PropertySpec>();
        var propsNode = reader.Mapping("properties");
        if (propsNode is not null)
        {
            foreach (var entry in new MappingReader(propsNode, $"event '{name}' properties", _file.List).Entries)
            {
                var property = _properties.Read(name, entry.Key, entry.Value, isTag: false);
                if (property is not null) properties.Add(property);
            }
        }

        _names.CheckPropertyNames(name, properties);
        AggregateSpec? aggregate = null;
        var aggNode = reader.Mapping("aggregate");
        if (aggNode is not null)
        {
            aggregate = _aggregates.Read(name, feature, aggNode, properties);
        }

        reader.ReportUnknownKeys();
        var spec = new EventSpec(name, description, trigger, facts.Tier ?? EventTier.B, facts.Status ?? EventStatus.Active,
            facts.Sampling ?? 1.0, facts.Idempotent ?? false, facts.Sensitivity ?? Sensitivity.None, facts.Version ?? 1,
            facts.Frequency ?? Frequency.Normal, facts.LocalOnly ?? false, facts.Owner ?? fileOwner,
            properties.ToEquatableArray(), aggregate, null, keyNode.Span);
        _privacy.CheckSensitiveSampling(spec, reader);
        _cost.CheckHighFrequency(spec);
        events.Add(spec);
        if (aggregate is not null)
        {
            events.Add(AggregateDerivation.Derive(spec, aggregate));
        }
    }

    private EventFacts ReadEventFacts(MappingReader reader, string context)
    {
        var facts = new EventFacts
        {
            Tier = reader.Choice("tier", Vocabulary.Tiers),
            Status = reader.Choice("status", Vocabulary.Statuses),
            Sampling = reader.Number("sampling"),
            Idempotent = reader.Bool("idempotent"),
            Sensitivity = reader.Choice("sensitivity", Vocabulary.Sensitivities),
            Version = reader.Integer("version"),
            Frequency = reader.Choice("frequency", Vocabulary.Frequencies),
            LocalOnly = reader.Bool("local_only"),
            Owner = reader.String("owner"),
        };
        if (facts.Sampling is { } s && (s < 0 || s > 1))
        {
            Report(DiagnosticIds.InvalidType, reader.Node("sampling")!.Span,
                $"{context}: sampling {Format(s)} cannot hold: it is a fraction of users from 0 to 1");
            facts.Sampling = null;
        }

        if (facts.Version is { } v && v < 1)
        {
            Report(DiagnosticIds.InvalidType, reader.Node("version")!.Span,
                $"{context}: version {v} cannot hold: versions start at 1");
            facts.Version = null;
        }

        return facts;
    }

    private MetricSpec? ParseMetric(YamlNode keyNode, YamlNode valueNode)
    {
        var name = keyNode.Value!;
        if (!EventNamePattern.IsMatch(name))
        {
            Report(DiagnosticIds.InvalidName, keyNode.Span,
                $"Metric name '{name}' breaks the naming rule: dotted lowercase snake case, matching ^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$");
            return null;
        }

        if (valueNode.Kind != YamlNodeKind.Mapping)
        {
            Report(DiagnosticIds.InvalidStructure, valueNode.IsNull ? keyNode.Span : valueNode.Span,
                $"Metric '{name}' must be a mapping with 'kind:'");
            return null;
        }

        var reader = new MappingReader(valueNode, $"metric '{name}'", _file.List);
        var kindNode = reader.Node("kind");
        MetricKind? kind = null;
        if (kindNode is null) reader.Error(DiagnosticIds.InvalidStructure, keyNode.Span, $"metric '{name}': missing required key 'kind'");
        else kind = reader.Choice("kind", Vocabulary.MetricKinds);
        var unit = reader.String("unit");
        var description = reader.String("description");
        _cost.CheckMetricSampling(name, reader);

        var tags = new List<PropertySpec>();
        var tagsNode = reader.Mapping("tags");
        if (tagsNode is not null)
        {
            foreach (var entry in new MappingReader(tagsNode, $"tags of '{name}'", _file.List).Entries)
            {
                var tag = _properties.Read(name, entry.Key, entry.Value, isTag: true);
                if (tag is not null) tags.Add(tag);
            }
        }

        reader.ReportUnknownKeys();
        return kind is null ? null : new MetricSpec(name, kind.Value, unit, description, tags.ToEquatableArray(), keyNode.Span);
    }

    private void Report(string id, SourceSpan span, string message) => _file.Report(id, span, message);

private struct EventFacts
{
    public EventTier? Tier;
    public EventStatus? Status;
    public double? Sampling;
    public bool? Idempotent;
    public Sensitivity? Sensitivity;
    public int? Version;
    public Frequency? Frequency;
    public bool? LocalOnly;
    public string? Owner;
}
}
