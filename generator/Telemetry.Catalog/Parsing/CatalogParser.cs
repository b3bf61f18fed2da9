using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Privacy;

namespace Telemetry.Catalog.Parsing;

/// <summary>
/// Parses one catalog file into a <see cref="CatalogFile"/>: the model with <c>defaults</c> applied,
/// the derived aggregate events, and every single-file diagnostic. Never throws on any input text.
/// </summary>
public static class CatalogParser
{
    internal static readonly Regex EventNamePattern = new(@"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$", RegexOptions.CultureInvariant);
    internal static readonly Regex IdentifierPattern = new(@"^[a-z][a-z0-9_]*$", RegexOptions.CultureInvariant);
    internal static readonly Regex EnumValuePattern = new(@"^[a-z0-9][a-z0-9_]*$", RegexOptions.CultureInvariant);

    /// <summary>Files larger than this are rejected before parsing (a catalog is a few kilobytes).</summary>
    public const int MaxFileLength = 4 * 1024 * 1024;

    /// <summary>Parses <paramref name="text"/>, read from <paramref name="filePath"/>; <c>ref:</c> resolves against the file's own definitions.</summary>
    public static CatalogFile Parse(string filePath, string text) => Parse(filePath, text, null);

    /// <summary>
    /// Parses <paramref name="text"/>, read from <paramref name="filePath"/>, resolving <c>ref:</c> against
    /// <paramref name="definitions"/> (the definitions of every catalog file, <see cref="ReadDefinitions"/>) and then the file's own.
    /// </summary>
    public static CatalogFile Parse(string filePath, string text, DefinitionTable? definitions)
    {
        var diagnostics = new List<CatalogDiagnostic>();
        var hash = ContentHash.Of(text ?? string.Empty);
        if (text is null || text.Length > MaxFileLength)
        {
            diagnostics.Add(new CatalogDiagnostic(DiagnosticIds.InvalidYaml, CatalogSeverity.Error,
                $"Catalog file is larger than {MaxFileLength / (1024 * 1024)} MB", SourceSpan.StartOf(filePath)));
            return Empty(filePath, diagnostics, hash);
        }

        // A UTF-8 BOM decoded as U+FEFF is legal; strip it so columns on line 1 stay right.
        if (text.Length > 0 && text[0] == '\uFEFF') text = text.Substring(1);

        var root = YamlTreeReader.Read(filePath, text, diagnostics);
        if (root is null)
        {
            if (diagnostics.Count == 0)
            {
                diagnostics.Add(new CatalogDiagnostic(DiagnosticIds.InvalidStructure, CatalogSeverity.Error,
                    "Catalog file is empty: it needs 'feature:' and 'events:' or 'metrics:'", SourceSpan.StartOf(filePath)));
            }

            return Empty(filePath, diagnostics, hash);
        }

        try
        {
            return new FileParser(filePath, diagnostics, definitions ?? DefinitionTable.Empty).Parse(root, hash);
        }
        catch (Exception ex) when (ex is RegexMatchTimeoutException or ArgumentException or OverflowException or FormatException or InvalidOperationException)
        {
            diagnostics.Add(new CatalogDiagnostic(DiagnosticIds.InvalidStructure, CatalogSeverity.Error,
                "Catalog could not be read: " + ex.Message, SourceSpan.StartOf(filePath)));
            return Empty(filePath, diagnostics, hash);
        }
    }

    /// <summary>
    /// The shared definitions of one file (top-level <c>definitions:</c>) without its diagnostics: the first pass
    /// over all files, so that a <c>ref:</c> in any file can name a definition in any other. Cheap for files
    /// without definitions (no YAML is read).
    /// </summary>
    public static EquatableArray<PropertySpec> ReadDefinitions(string filePath, string text)
    {
        if (text is null || text.Length > MaxFileLength || text.IndexOf("definitions", StringComparison.Ordinal) < 0) return EquatableArray<PropertySpec>.Empty;
        if (text.Length > 0 && text[0] == '\uFEFF') text = text.Substring(1);
        var scratch = new List<CatalogDiagnostic>();
        var root = YamlTreeReader.Read(filePath, text, scratch);
        if (root is null || root.Kind != YamlNodeKind.Mapping) return EquatableArray<PropertySpec>.Empty;
        try
        {
            return new FileParser(filePath, scratch, DefinitionTable.Empty).ParseDefinitionsOnly(root);
        }
        catch (Exception ex) when (ex is RegexMatchTimeoutException or ArgumentException or OverflowException or FormatException or InvalidOperationException)
        {
            return EquatableArray<PropertySpec>.Empty;
        }
    }

    private static CatalogFile Empty(string filePath, List<CatalogDiagnostic> diagnostics, string hash) =>
        new(filePath, null, null, null, EquatableArray<EventSpec>.Empty, EquatableArray<MetricSpec>.Empty, diagnostics.ToEquatableArray(), hash);

    private sealed class FileParser
    {
        private readonly string _filePath;
        private readonly List<CatalogDiagnostic> _diagnostics;

        private readonly DefinitionTable _definitions;
        private readonly Dictionary<string, PropertySpec> _ownDefinitions = new(StringComparer.Ordinal);

        public FileParser(string filePath, List<CatalogDiagnostic> diagnostics, DefinitionTable definitions)
        {
            _filePath = filePath;
            _diagnostics = diagnostics;
            _definitions = definitions;
        }

        public EquatableArray<PropertySpec> ParseDefinitionsOnly(YamlNode root)
        {
            var file = new MappingReader(root, "catalog", _diagnostics);
            return ParseDefinitions(file);
        }

        private EquatableArray<PropertySpec> ParseDefinitions(MappingReader file)
        {
            var node = file.Mapping("definitions");
            if (node is null) return EquatableArray<PropertySpec>.Empty;
            var result = new List<PropertySpec>();
            foreach (var entry in new MappingReader(node, "definitions", _diagnostics).Entries)
            {
                var def = ParseProperty("definitions", entry.Key, entry.Value, isTag: false, isDefinition: true);
                if (def is null) continue;
                result.Add(def);
                _ownDefinitions[def.Name] = def;
            }

            return result.ToEquatableArray();
        }

        public CatalogFile Parse(YamlNode root, string hash)
        {
            if (root.Kind != YamlNodeKind.Mapping)
            {
                Report(DiagnosticIds.InvalidStructure, CatalogSeverity.Error, root.Span,
                    $"A catalog file is a mapping with 'feature:' and 'events:' or 'metrics:', not {root.Describe()}");
                return Empty(_filePath, _diagnostics, hash);
            }

            var file = new MappingReader(root, "catalog", _diagnostics);
            var definitions = ParseDefinitions(file);

            // A file may hold only definitions: then it needs no feature.
            var feature = file.String("feature", required: file.Has("events") || file.Has("metrics") || !file.Has("definitions"));
            if (feature is not null && !IdentifierPattern.IsMatch(feature))
            {
                Report(DiagnosticIds.InvalidName, CatalogSeverity.Error, file.Node("feature")!.Span,
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
                var before = _diagnostics.Count;
                var defaults = new MappingReader(defaultsNode, "defaults", _diagnostics);
                ReadEventFacts(defaults, "defaults");
                defaults.ReportUnknownKeys();
                defaultsNode = WithoutReported(defaultsNode, _diagnostics, before);
            }

            var events = new List<EventSpec>();
            var eventsNode = file.Mapping("events");
            if (eventsNode is not null)
            {
                var eventKeys = new MappingReader(eventsNode, "events", _diagnostics, DiagnosticIds.DuplicateEvent,
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
                foreach (var entry in new MappingReader(metricsNode, "metrics", _diagnostics, DiagnosticIds.DuplicateEvent, key => $"Metric '{key}'").Entries)
                {
                    var metric = ParseMetric(entry.Key, entry.Value);
                    if (metric is not null) metrics.Add(metric);
                }
            }

            if (!file.Has("events") && !file.Has("metrics") && !file.Has("definitions"))
            {
                Report(DiagnosticIds.InvalidStructure, CatalogSeverity.Error, root.Span, "catalog: missing 'events:', 'metrics:' or 'definitions:'");
            }

            file.ReportUnknownKeys();
            CheckDuplicateNames(events, metrics);
            CheckGeneratedTypeNames(feature, events, metrics, definitions);
            return new CatalogFile(_filePath, feature, description, owner, events.ToEquatableArray(), metrics.ToEquatableArray(),
                Distinct(_diagnostics).ToEquatableArray(), hash) { Definitions = definitions };
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
                Report(DiagnosticIds.InvalidName, CatalogSeverity.Error, keyNode.Span,
                    $"Event name '{name}' breaks the naming rule: '<feature>.<action>' in lowercase snake case, matching ^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$");
                return;
            }

            if (valueNode.IsNull)
            {
                Report(DiagnosticIds.InvalidStructure, CatalogSeverity.Error, keyNode.Span,
                    $"Event '{name}' has no definition: give it at least a description and properties");
                return;
            }

            if (valueNode.Kind != YamlNodeKind.Mapping)
            {
                Report(DiagnosticIds.InvalidStructure, CatalogSeverity.Error, valueNode.Span,
                    $"Event '{name}' must be a mapping, not {valueNode.Describe()}");
                return;
            }

            var merged = MergeDefaults(valueNode, defaultsNode);
            var reader = new MappingReader(merged, $"event '{name}'", _diagnostics);
            var facts = ReadEventFacts(reader, $"event '{name}'");
            var description = reader.String("description");
            var trigger = reader.String("trigger");
            var properties = new List<PropertySpec>();
            var propsNode = reader.Mapping("properties");
            if (propsNode is not null)
            {
                foreach (var entry in new MappingReader(propsNode, $"event '{name}' properties", _diagnostics).Entries)
                {
                    var property = ParseProperty(name, entry.Key, entry.Value, isTag: false);
                    if (property is not null) properties.Add(property);
                }
            }

            CheckPropertyNames(name, properties);
            AggregateSpec? aggregate = null;
            var aggNode = reader.Mapping("aggregate");
            if (aggNode is not null)
            {
                aggregate = ParseAggregate(name, feature, aggNode, properties);
            }

            reader.ReportUnknownKeys();
            var spec = new EventSpec(name, description, trigger, facts.Tier ?? EventTier.B, facts.Status ?? EventStatus.Active,
                facts.Sampling ?? 1.0, facts.Idempotent ?? false, facts.Sensitivity ?? Sensitivity.None, facts.Version ?? 1,
                facts.Frequency ?? Frequency.Normal, facts.LocalOnly ?? false, facts.Owner ?? fileOwner,
                properties.ToEquatableArray(), aggregate, null, keyNode.Span);
            ValidateEventRules(spec, reader);
            events.Add(spec);
            if (aggregate is not null)
            {
                var derived = DeriveAggregateEvent(spec, aggregate);
                if (derived is not null) events.Add(derived);
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
                Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, reader.Node("sampling")!.Span,
                    $"{context}: sampling {Format(s)} cannot hold: it is a fraction of users from 0 to 1");
                facts.Sampling = null;
            }

            if (facts.Version is { } v && v < 1)
            {
                Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, reader.Node("version")!.Span,
                    $"{context}: version {v} cannot hold: versions start at 1");
                facts.Version = null;
            }

            return facts;
        }

        /// <summary>The entries of <paramref name="mapping"/> that no diagnostic since index <paramref name="from"/> points into.</summary>
        private static YamlNode WithoutReported(YamlNode mapping, List<CatalogDiagnostic> diagnostics, int from)
        {
            var result = new YamlNode(YamlNodeKind.Mapping, mapping.Span);
            foreach (var entry in mapping.Entries)
            {
                var reported = false;
                for (var i = from; i < diagnostics.Count && !reported; i++)
                {
                    var at = diagnostics[i].Location;
                    reported = at.Equals(entry.Key.Span) || at.Equals(entry.Value.Span);
                }

                if (!reported) result.Entries.Add(entry);
            }

            return result;
        }

        private static YamlNode MergeDefaults(YamlNode eventNode, YamlNode? defaultsNode)
        {
            if (defaultsNode is null) return eventNode;
            var merged = new YamlNode(YamlNodeKind.Mapping, eventNode.Span);
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in eventNode.Entries)
            {
                merged.Entries.Add(entry);
                if (entry.Key.Value is not null) present.Add(entry.Key.Value);
            }

            foreach (var entry in defaultsNode.Entries)
            {
                var key = entry.Key.Value;
                if (key is null || present.Contains(key) || Array.IndexOf(Vocabulary.DefaultableEventKeys, key) < 0) continue;
                merged.Entries.Add(entry);
            }

            return merged;
        }

        private PropertySpec? ParseProperty(string owner, YamlNode keyNode, YamlNode valueNode, bool isTag, bool isDefinition = false)
        {
            var name = keyNode.Value!;
            var what = isTag ? "tag" : isDefinition ? "definition" : "property";
            if (!IdentifierPattern.IsMatch(name))
            {
                Report(DiagnosticIds.InvalidName, CatalogSeverity.Error, keyNode.Span,
                    $"{Capitalize(what)} '{name}' of '{owner}' breaks the naming rule: lowercase snake case, matching ^[a-z][a-z0-9_]*$");
                return null;
            }

            // Short form: `symbol: string`.
            if (valueNode.Kind == YamlNodeKind.Scalar && !valueNode.IsNull)
            {
                var shortType = ResolveType(owner, name, valueNode, isTag);
                if (shortType is null) return null;
                if (shortType == PropertyType.Enum || shortType == PropertyType.Array)
                {
                    Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, valueNode.Span,
                        $"{Capitalize(what)} '{name}' of '{owner}' is {Vocabulary.Name(shortType.Value)} and needs the long form with {(shortType == PropertyType.Enum ? "'values:'" : "'items:'")}");
                    return null;
                }

                var shortSpec = new PropertySpec(name, shortType.Value, null, true, EquatableArray<string>.Empty, null, null, null, null,
                    null, EquatableArray<string>.Empty, null, PiiTreatment.None, null, keyNode.Span);
                if (!isTag) CheckPii(owner, shortSpec);
                return shortSpec;
            }

            if (valueNode.Kind != YamlNodeKind.Mapping)
            {
                Report(DiagnosticIds.InvalidStructure, CatalogSeverity.Error, valueNode.IsNull ? keyNode.Span : valueNode.Span,
                    $"{Capitalize(what)} '{name}' of '{owner}' needs a type: write '{name}: {{ type: string }}'");
                return null;
            }

            var reader = new MappingReader(valueNode, $"{what} '{name}' of '{owner}'", _diagnostics);
            if (!isTag && reader.Node("ref") is { } refNode)
            {
                if (isDefinition)
                {
                    Report(DiagnosticIds.InvalidStructure, CatalogSeverity.Error, reader.KeySpan("ref"),
                        $"Definition '{name}' uses 'ref:', but definitions do not reference each other; write the definition out in full");
                    return null;
                }

                return ParseRef(owner, keyNode, refNode, reader);
            }

            var typeNode = reader.Node("type");
            PropertyType? type = null;
            if (typeNode is null)
            {
                reader.Error(DiagnosticIds.InvalidStructure, keyNode.Span, $"{what} '{name}' of '{owner}': missing required key 'type'");
            }
            else
            {
                type = ResolveType(owner, name, typeNode, isTag);
            }

            var description = reader.String("description");
            var valuesNode = reader.List("values");
            PropertyType? itemType = null;
            EquatableArray<string> enumValues = EquatableArray<string>.Empty;
            if (isTag)
            {
                enumValues = ReadEnumValues(owner, name, valuesNode, type == PropertyType.Enum, reader.KeySpan("values"), keyNode.Span);
                reader.ReportUnknownKeys();
                if (type is null) return null;
                return new PropertySpec(name, type.Value, null, true, enumValues, null, null, null, null, description,
                    EquatableArray<string>.Empty, null, PiiTreatment.None, null, keyNode.Span);
            }

            // Scalar constraints: on the property, or for an array under 'items:' (the array-level form is kept for them too).
            var c = new ScalarConstraints();
            PropertySpec? itemDefinition = null;
            string? itemRef = null;
            if (type == PropertyType.Array)
            {
                var itemsNode = reader.Node("items");
                if (itemsNode is null)
                {
                    Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, keyNode.Span,
                        $"Property '{name}' of '{owner}' is an array without 'items:' (e.g. items: string)");
                }
                else if (itemsNode.Kind == YamlNodeKind.Mapping)
                {
                    var items = new MappingReader(itemsNode, $"items of '{name}' in '{owner}'", _diagnostics);
                    if (items.Node("ref") is { } itemRefNode)
                    {
                        if (isDefinition)
                        {
                            Report(DiagnosticIds.InvalidStructure, CatalogSeverity.Error, items.KeySpan("ref"),
                                $"Definition '{name}' uses 'ref:' for its items, but definitions do not reference each other; write the items out in full");
                        }
                        else if (ResolveRef(owner, name, itemRefNode) is { } def)
                        {
                            if (def.Type == PropertyType.Array || def.Pii is not null)
                            {
                                Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, itemRefNode.Span,
                                    $"Items of '{name}' in '{owner}' refer to definition '{def.Name}', which is {(def.Pii is not null ? "personal data" : "an array")}; items can use only scalar definitions without 'pii:'");
                            }
                            else
                            {
                                itemDefinition = def;
                                itemRef = def.Name;
                                itemType = def.Type;
                                enumValues = def.EnumValues;
                            }
                        }

                        foreach (var key in new[] { "type", "values", "pattern" })
                        {
                            if (items.Node(key) is not null)
                            {
                                Report(DiagnosticIds.InvalidStructure, CatalogSeverity.Error, items.KeySpan(key),
                                    $"Items of '{name}' in '{owner}': '{key}' comes from the definition named by 'ref' and cannot be set next to it");
                            }
                        }
                    }
                    else
                    {
                        var itemTypeNode = items.Node("type");
                        if (itemTypeNode is null)
                        {
                            items.Error(DiagnosticIds.InvalidStructure, itemsNode.Span, $"items of '{name}' in '{owner}': missing required key 'type'");
                        }
                        else
                        {
                            itemType = ResolveType(owner, name, itemTypeNode, isTag: false);
                        }

                        var itemValues = items.List("values");
                        enumValues = ReadEnumValues(owner, name, itemValues, itemType == PropertyType.Enum, items.KeySpan("values"), itemsNode.Span);
                        c.ReadPattern(items);
                    }

                    c.Read(items);
                    items.ReportUnknownKeys();
                }
                else
                {
                    itemType = ResolveType(owner, name, itemsNode, isTag: false);
                    if (itemType == PropertyType.Enum)
                    {
                        Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, itemsNode.Span,
                            $"Property '{name}' of '{owner}' has enum items without values: write 'items: {{ type: enum, values: [...] }}'");
                        itemType = null;
                    }
                }

                if (itemType == PropertyType.Array)
                {
                    Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, itemsNode!.Span,
                        $"Property '{name}' of '{owner}' is an array of arrays, which the wire format does not support");
                    itemType = null;
                }

                if (valuesNode is not null)
                {
                    Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, reader.KeySpan("values"),
                        $"Property '{name}' of '{owner}' is an array: put 'values:' under 'items:'");
                }
            }
            else
            {
                enumValues = ReadEnumValues(owner, name, valuesNode, type == PropertyType.Enum, reader.KeySpan("values"), keyNode.Span);
                if (reader.Node("items") is not null)
                {
                    Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, reader.KeySpan("items"),
                        $"Property '{name}' of '{owner}' is not an array, so 'items:' cannot apply");
                }
            }

            var required = reader.Bool("required") ?? true;
            var outer = new ScalarConstraints();
            outer.Read(reader);
            outer.ReadPattern(reader);
            if (!c.MergeOuter(outer, out var twice))
            {
                Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, reader.KeySpan(twice!),
                    $"Property '{name}' of '{owner}' sets '{twice}' both on the array and under 'items:'; set it once, under 'items:'");
            }

            var minItems = reader.Integer("min_items");
            var maxItems = reader.Integer("max_items");
            var uniqueItems = reader.Bool("unique_items");
            var onViolation = reader.Choice("on_violation", Vocabulary.ConstraintActions);
            var examples = ReadExamples(reader);
            var pii = reader.Choice("pii", Vocabulary.PiiClasses);
            // A `pii:` with an unknown class is already reported; do not pile "no pii class" diagnostics on top.
            var piiMisspelt = pii is null && reader.Node("pii") is not null;
            var treatment = reader.Choice("treatment", Vocabulary.Treatments);
            var justification = reader.String("justification");
            reader.ReportUnknownKeys();
            if (type is null) return null;

            var effectiveType = type == PropertyType.Array ? itemType : type;
            if (itemDefinition is not null)
            {
                // items: { ref: x, min: …, max: …, max_length: … } narrows the definition's constraints.
                var inherited = ScalarConstraints.Of(itemDefinition);
                CheckNarrowing(owner, name, itemDefinition, c, reader);
                c.InheritFrom(inherited);
            }

            ValidateScalarConstraints(owner, name, type.Value, effectiveType, c);
            CheckItemCounts(owner, name, type.Value, reader, ref minItems, ref maxItems, uniqueItems);
            CheckOnViolation(owner, name, type.Value, effectiveType, onViolation, reader);

            if (pii is null && !piiMisspelt && treatment is not null && treatment != PiiTreatment.None)
            {
                Report(DiagnosticIds.InvalidStructure, CatalogSeverity.Error, reader.KeySpan("treatment"),
                    $"Property '{name}' of '{owner}' has a treatment but no 'pii:' class; add the class (e.g. pii: email)");
            }

            if (pii is not null && treatment is null && reader.Node("treatment") is null)
            {
                Report(DiagnosticIds.InvalidStructure, CatalogSeverity.Error, reader.KeySpan("pii"),
                    $"Property '{name}' of '{owner}' is personal data ({Vocabulary.Name(Vocabulary.PiiClasses, pii.Value)}) without 'treatment:' (drop, redact, hash, length or none)");
            }

            if (pii is not null && treatment is PiiTreatment.Length or PiiTreatment.Hash or PiiTreatment.Redact &&
                effectiveType != PropertyType.String)
            {
                Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, reader.KeySpan("treatment"),
                    $"Property '{name}' of '{owner}' is {Vocabulary.Name(type.Value)}: treatment '{Vocabulary.Name(Vocabulary.Treatments, treatment!.Value)}' applies to strings only (use drop or none)");
            }

            if (type == PropertyType.Array && pii is not null && treatment is not PiiTreatment.Drop and not PiiTreatment.None)
            {
                Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, reader.KeySpan("pii"),
                    $"Property '{name}' of '{owner}' is an array of personal data: only 'drop' or 'none' with a justification apply");
            }

            CheckExamples(owner, name, effectiveType, type == PropertyType.Array, enumValues, examples, reader);

            // For arrays, min/max/max_length/pattern constrain each item; min_items/max_items/unique_items the array.
            var spec = new PropertySpec(name, type.Value, itemType, required, enumValues, c.Min, c.Max, c.MaxLength,
                c.Pattern, description, examples, pii, pii is null ? PiiTreatment.None : treatment ?? PiiTreatment.Drop, justification, keyNode.Span)
            {
                MinItems = type == PropertyType.Array ? minItems : null,
                MaxItems = type == PropertyType.Array ? maxItems : null,
                UniqueItems = type == PropertyType.Array && uniqueItems == true,
                OnViolation = onViolation ?? ConstraintAction.Reject,
                Ref = itemRef,
                RefLocation = itemDefinition?.Location,
            };
            if (!piiMisspelt) CheckPii(owner, spec);
            return spec;
        }

        /// <summary>The definition <paramref name="refNode"/> names, or null (reported) when it names none.</summary>
        private PropertySpec? ResolveRef(string owner, string name, YamlNode refNode)
        {
            if (refNode.Kind != YamlNodeKind.Scalar || refNode.IsNull || string.IsNullOrEmpty(refNode.Value))
            {
                Report(DiagnosticIds.InvalidStructure, CatalogSeverity.Error, refNode.Span,
                    $"Property '{name}' of '{owner}': 'ref' names a definition, not {refNode.Describe()}");
                return null;
            }

            var target = refNode.Value!;
            if (_definitions.TryGet(target, out var def) || _ownDefinitions.TryGetValue(target, out def)) return def;
            var known = new List<string>(_definitions.Names);
            foreach (var own in _ownDefinitions.Keys) if (!known.Contains(own)) known.Add(own);
            known.Sort(StringComparer.Ordinal);
            Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, refNode.Span,
                $"Property '{name}' of '{owner}' refers to unknown definition '{target}'" +
                (known.Count == 0 ? "; no catalog file has 'definitions:'" : $" (known definitions: {string.Join(", ", known)})"));
            return null;
        }

        /// <summary>A property written as <c>{ ref: name, … }</c>: the definition with the overrides and narrowings the entry may set.</summary>
        private PropertySpec? ParseRef(string owner, YamlNode keyNode, YamlNode refNode, MappingReader reader)
        {
            var name = keyNode.Value!;
            var def = ResolveRef(owner, name, refNode);
            foreach (var key in new[] { "type", "values", "items", "pattern", "pii", "treatment", "justification" })
            {
                if (reader.Node(key) is not null)
                {
                    Report(DiagnosticIds.InvalidStructure, CatalogSeverity.Error, reader.KeySpan(key),
                        $"Property '{name}' of '{owner}': '{key}' comes from the definition named by 'ref' and cannot be set next to it " +
                        "(a ref may set description, required, example(s), on_violation, and narrow min, max, max_length, min_items, max_items, unique_items)");
                }
            }

            var description = reader.String("description");
            var required = reader.Bool("required");
            var exampleGiven = reader.Has("example") || reader.Has("examples");
            var examples = ReadExamples(reader);
            var c = new ScalarConstraints();
            c.Read(reader);
            var minItems = reader.Integer("min_items");
            var maxItems = reader.Integer("max_items");
            var uniqueItems = reader.Bool("unique_items");
            var onViolation = reader.Choice("on_violation", Vocabulary.ConstraintActions);
            reader.ReportUnknownKeys();
            if (def is null) return null;

            CheckNarrowing(owner, name, def, c, reader);
            if (def.Type != PropertyType.Array && (minItems is not null || maxItems is not null || uniqueItems is not null))
            {
                var key = minItems is not null ? "min_items" : maxItems is not null ? "max_items" : "unique_items";
                Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, reader.KeySpan(key),
                    $"Property '{name}' of '{owner}' uses definition '{def.Name}', which is not an array: '{key}' applies to arrays only");
                minItems = maxItems = null;
                uniqueItems = null;
            }
            else if (def.Type == PropertyType.Array)
            {
                if (minItems is { } mi && def.MinItems is { } dmi && mi < dmi) Widening(reader, "min_items", name, owner, def, $"min_items {mi} is below the definition's {dmi}");
                if (maxItems is { } ma && def.MaxItems is { } dma && ma > dma) Widening(reader, "max_items", name, owner, def, $"max_items {ma} is above the definition's {dma}");
                if (uniqueItems == false && def.UniqueItems) Widening(reader, "unique_items", name, owner, def, "unique_items: false drops the definition's unique_items: true");
                var lo = minItems ?? def.MinItems;
                var hi = maxItems ?? def.MaxItems;
                CheckItemCounts(owner, name, PropertyType.Array, reader, ref lo, ref hi, uniqueItems ?? def.UniqueItems);
                minItems = lo;
                maxItems = hi;
            }

            c.InheritFrom(ScalarConstraints.Of(def));
            var effectiveType = def.Type == PropertyType.Array ? def.ItemType : def.Type;
            ValidateScalarConstraints(owner, name, def.Type, effectiveType, c);
            CheckOnViolation(owner, name, def.Type, effectiveType, onViolation, reader);
            if (exampleGiven) CheckExamples(owner, name, effectiveType, def.Type == PropertyType.Array, def.EnumValues, examples, reader);

            var spec = def with
            {
                Name = name,
                Location = keyNode.Span,
                Description = description ?? def.Description,
                Required = required ?? def.Required,
                Examples = exampleGiven ? examples : def.Examples,
                Min = c.Min,
                Max = c.Max,
                MaxLength = c.MaxLength,
                MinItems = def.Type == PropertyType.Array ? minItems : null,
                MaxItems = def.Type == PropertyType.Array ? maxItems : null,
                UniqueItems = def.Type == PropertyType.Array && (uniqueItems ?? def.UniqueItems),
                OnViolation = onViolation ?? def.OnViolation,
                Ref = def.Name,
                RefLocation = def.Location,
            };

            // The definition's own PII class and treatment were checked where it is defined; a name that looks
            // like personal data is still worth a warning here.
            if (spec.Pii is null) CheckPii(owner, spec);
            return spec;
        }

        /// <summary>Reports each constraint of <paramref name="c"/> that would widen <paramref name="def"/>'s (only narrowing is allowed).</summary>
        private void CheckNarrowing(string owner, string name, PropertySpec def, ScalarConstraints c, MappingReader reader)
        {
            var defType = def.Type == PropertyType.Array ? def.ItemType : def.Type;
            var numeric = IsNumeric(defType);
            if ((c.Min is not null || c.Max is not null) && !numeric)
            {
                var key = c.Min is not null ? "min" : "max";
                Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, c.Span(key, reader),
                    $"Property '{name}' of '{owner}' uses definition '{def.Name}' ({Vocabulary.Name(defType ?? def.Type)}): 'min'/'max' apply to numbers only");
                c.Min = c.Max = null;
            }

            if (c.MaxLength is not null && defType != PropertyType.String)
            {
                Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, c.Span("max_length", reader),
                    $"Property '{name}' of '{owner}' uses definition '{def.Name}' ({Vocabulary.Name(defType ?? def.Type)}): 'max_length' applies to strings only");
                c.MaxLength = null;
            }

            if (c.Min is { } min && def.Min is { } dmin && min < dmin)
            {
                Widening(c.Span("min", reader), name, owner, def, $"min {Format(min)} is below the definition's {Format(dmin)}");
                c.Min = null;
            }

            if (c.Max is { } max && def.Max is { } dmax && max > dmax)
            {
                Widening(c.Span("max", reader), name, owner, def, $"max {Format(max)} is above the definition's {Format(dmax)}");
                c.Max = null;
            }

            if (c.MaxLength is { } len && def.MaxLength is { } dlen && len > dlen)
            {
                Widening(c.Span("max_length", reader), name, owner, def, $"max_length {len} is above the definition's {dlen}");
                c.MaxLength = null;
            }
        }

        private void Widening(MappingReader reader, string key, string name, string owner, PropertySpec def, string why) =>
            Widening(reader.KeySpan(key), name, owner, def, why);

        private void Widening(SourceSpan at, string name, string owner, PropertySpec def, string why) =>
            Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, at,
                $"Property '{name}' of '{owner}' widens definition '{def.Name}': {why}; a ref may only narrow a definition's constraints");

        private static bool IsNumeric(PropertyType? t) =>
            t is PropertyType.Int32 or PropertyType.Int64 or PropertyType.Double or PropertyType.Decimal or PropertyType.Duration;

        /// <summary>TEL0005 for scalar constraints that do not fit the (item) type or cannot hold; drops what is wrong from <paramref name="c"/>.</summary>
        private void ValidateScalarConstraints(string owner, string name, PropertyType type, PropertyType? effectiveType, ScalarConstraints c)
        {
            var numeric = IsNumeric(effectiveType);
            if ((c.Min is not null || c.Max is not null) && !numeric)
            {
                Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, (c.Min is not null ? c.MinSpan : c.MaxSpan) ?? SourceSpan.StartOf(_filePath),
                    $"Property '{name}' of '{owner}' is {Vocabulary.Name(effectiveType ?? type)}: 'min'/'max' apply to numbers only");
                c.Min = c.Max = null;
            }

            if (c.Min is not null && c.Max is not null && c.Min > c.Max)
            {
                Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, (c.MinSpan ?? c.MaxSpan) ?? SourceSpan.StartOf(_filePath),
                    $"Property '{name}' of '{owner}' has min {Format(c.Min.Value)} above max {Format(c.Max.Value)}: no value can hold");
            }

            if ((effectiveType == PropertyType.Int32 && ((c.Min ?? 0) < int.MinValue || (c.Max ?? 0) > int.MaxValue)) ||
                ((effectiveType is PropertyType.Int32 or PropertyType.Int64) && ((c.Min is { } mi && mi != Math.Floor(mi)) || (c.Max is { } ma && ma != Math.Floor(ma)))))
            {
                Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, (c.Min is not null ? c.MinSpan : c.MaxSpan) ?? SourceSpan.StartOf(_filePath),
                    $"Property '{name}' of '{owner}' is {Vocabulary.Name(effectiveType!.Value)}: its min/max must be whole numbers in range");
            }

            var stringy = effectiveType == PropertyType.String;
            if (c.MaxLength is not null)
            {
                if (!stringy)
                {
                    Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, c.MaxLengthSpan ?? SourceSpan.StartOf(_filePath),
                        $"Property '{name}' of '{owner}' is {Vocabulary.Name(effectiveType ?? type)}: 'max_length' applies to strings only");
                    c.MaxLength = null;
                }
                else if (c.MaxLength <= 0)
                {
                    Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, c.MaxLengthSpan ?? SourceSpan.StartOf(_filePath),
                        $"Property '{name}' of '{owner}' has max_length {c.MaxLength}: it must be at least 1");
                    c.MaxLength = null;
                }
            }

            if (c.Pattern is not null && c.PatternSpan is not null)
            {
                if (!stringy)
                {
                    Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, c.PatternSpan,
                        $"Property '{name}' of '{owner}' is {Vocabulary.Name(effectiveType ?? type)}: 'pattern' applies to strings only");
                    c.Pattern = null;
                }
                else
                {
                    try
                    {
                        _ = new Regex(c.Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                    }
                    catch (ArgumentException ex)
                    {
                        Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, c.PatternValueSpan ?? c.PatternSpan,
                            $"Property '{name}' of '{owner}' has a pattern that is not a valid regular expression: {ex.Message}");
                        c.Pattern = null;
                    }
                }
            }
        }

        private void CheckItemCounts(string owner, string name, PropertyType type, MappingReader reader, ref int? minItems, ref int? maxItems, bool? uniqueItems)
        {
            if (type != PropertyType.Array)
            {
                foreach (var key in new[] { "min_items", "max_items", "unique_items" })
                {
                    if ((key == "min_items" && minItems is null) || (key == "max_items" && maxItems is null) || (key == "unique_items" && uniqueItems is null)) continue;
                    Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, reader.KeySpan(key),
                        $"Property '{name}' of '{owner}' is not an array: '{key}' applies to arrays only");
                }

                minItems = maxItems = null;
                return;
            }

            if (maxItems is not null && maxItems <= 0)
            {
                Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, reader.KeySpan("max_items"),
                    $"Property '{name}' of '{owner}' has max_items {maxItems}: it must be at least 1");
                maxItems = null;
            }

            if (minItems is not null && minItems < 0)
            {
                Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, reader.KeySpan("min_items"),
                    $"Property '{name}' of '{owner}' has min_items {minItems}: it must be at least 0");
                minItems = null;
            }

            if (minItems is { } lo && maxItems is { } hi && lo > hi)
            {
                Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, reader.KeySpan("min_items"),
                    $"Property '{name}' of '{owner}' has min_items {lo} above max_items {hi}: no array can hold");
            }
        }

        private void CheckOnViolation(string owner, string name, PropertyType type, PropertyType? effectiveType, ConstraintAction? action, MappingReader reader)
        {
            if (action != ConstraintAction.Clamp) return;
            if (type == PropertyType.Array || !(IsNumeric(effectiveType) || effectiveType == PropertyType.String))
            {
                Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, reader.KeySpan("on_violation"),
                    $"Property '{name}' of '{owner}' is {Vocabulary.Name(type)}: 'on_violation: clamp' applies to numbers (clamped to min/max) and strings (cut to max_length)");
            }
        }

        private PropertyType? ResolveType(string owner, string name, YamlNode typeNode, bool isTag)
        {
            var words = isTag ? Vocabulary.TagTypes : Vocabulary.Types;
            if (typeNode.Kind == YamlNodeKind.Scalar && !typeNode.IsNull && words.TryGetValue(typeNode.Value!, out var type))
            {
                return type;
            }

            Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, typeNode.Span,
                $"{(isTag ? "Tag" : "Property")} '{name}' of '{owner}' has unknown type {typeNode.Describe()}; known types: {string.Join(", ", words.Keys)}");
            return null;
        }

        private EquatableArray<string> ReadEnumValues(string owner, string name, List<YamlNode>? valuesNode, bool isEnum, SourceSpan valuesSpan, SourceSpan keySpan)
        {
            if (!isEnum)
            {
                if (valuesNode is not null)
                {
                    Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, valuesSpan,
                        $"Property '{name}' of '{owner}' is not an enum, so 'values:' cannot apply (did you mean type: enum?)");
                }

                return EquatableArray<string>.Empty;
            }

            if (valuesNode is null || valuesNode.Count == 0)
            {
                Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, valuesNode is null ? keySpan : valuesSpan,
                    $"Enum '{name}' of '{owner}' has no values: add 'values: [a, b]'");
                return EquatableArray<string>.Empty;
            }

            var values = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var identifiers = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in valuesNode)
            {
                if (item.Kind != YamlNodeKind.Scalar || item.IsNull)
                {
                    Report(DiagnosticIds.InvalidStructure, CatalogSeverity.Error, item.Span,
                        $"Enum '{name}' of '{owner}': values are plain words, not {item.Describe()}");
                    continue;
                }

                var value = item.Value!;
                if (!EnumValuePattern.IsMatch(value))
                {
                    Report(DiagnosticIds.InvalidName, CatalogSeverity.Error, item.Span,
                        $"Enum value '{value}' of '{name}' in '{owner}' breaks the naming rule: lowercase snake case, matching ^[a-z0-9][a-z0-9_]*$");
                    continue;
                }

                if (!seen.Add(value))
                {
                    Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, item.Span,
                        $"Enum '{name}' of '{owner}' lists '{value}' twice");
                    continue;
                }

                if (!identifiers.Add(Naming.EnumMember(value)))
                {
                    Report(DiagnosticIds.InvalidName, CatalogSeverity.Error, item.Span,
                        $"Enum value '{value}' of '{name}' in '{owner}' gives the same C# member as another value ({Naming.EnumMember(value)})");
                    continue;
                }

                values.Add(value);
            }

            return values.ToEquatableArray();
        }

        private EquatableArray<string> ReadExamples(MappingReader reader)
        {
            var examples = new List<string>();
            var single = reader.Node("example");
            var list = reader.Node("examples");
            foreach (var node in new[] { single, list })
            {
                if (node is null) continue;
                if (node.Kind == YamlNodeKind.Scalar)
                {
                    if (!node.IsNull) examples.Add(node.Value!);
                }
                else if (node.Kind == YamlNodeKind.Sequence && node == list)
                {
                    foreach (var item in node.Items)
                    {
                        if (item.Kind == YamlNodeKind.Scalar && !item.IsNull) examples.Add(item.Value!);
                        else if (item.Kind != YamlNodeKind.Scalar)
                        {
                            Report(DiagnosticIds.InvalidStructure, CatalogSeverity.Error, item.Span, "'examples' holds plain values, not " + item.Describe());
                        }
                    }
                }
                else if (node.Kind == YamlNodeKind.Sequence)
                {
                    // An array property's example may be a list of items.
                    foreach (var item in node.Items)
                    {
                        if (item.Kind == YamlNodeKind.Scalar && !item.IsNull) examples.Add(item.Value!);
                    }
                }
                else
                {
                    Report(DiagnosticIds.InvalidStructure, CatalogSeverity.Error, node.Span, "'example' must be a plain value, not " + node.Describe());
                }
            }

            return examples.ToEquatableArray();
        }

        private void CheckExamples(string owner, string name, PropertyType? type, bool isArray, EquatableArray<string> enumValues,
            EquatableArray<string> examples, MappingReader reader)
        {
            if (type is null) return;
            foreach (var example in examples)
            {
                var ok = type switch
                {
                    PropertyType.Boolean => example is "true" or "false",
                    PropertyType.Int32 => int.TryParse(example, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
                    PropertyType.Int64 => long.TryParse(example, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
                    PropertyType.Double or PropertyType.Decimal or PropertyType.Duration => double.TryParse(example, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
                    PropertyType.Timestamp => DateTimeOffset.TryParse(example, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _),
                    PropertyType.Uuid => Guid.TryParse(example, out _),
                    PropertyType.Enum => enumValues.IsEmpty || Contains(enumValues, example),
                    _ => true,
                };
                if (!ok)
                {
                    Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, reader.KeySpan(reader.Has("example") ? "example" : "examples"),
                        $"Example '{example}' of '{name}' in '{owner}' is not a valid {Vocabulary.Name(type.Value)}{(isArray ? " item" : string.Empty)}");
                    return;
                }
            }
        }

        private void CheckPii(string owner, PropertySpec spec)
        {
            if (spec.Pii is null)
            {
                var reason = PiiHeuristics.JudgeName(spec.Name) ?? PiiHeuristics.JudgeDescription(spec.Description);
                if (reason is null && (spec.Type == PropertyType.String || spec.ItemType == PropertyType.String))
                {
                    foreach (var example in spec.Examples)
                    {
                        reason = PiiHeuristics.JudgeExample(example);
                        if (reason is not null) break;
                    }
                }

                if (reason is not null)
                {
                    Report(DiagnosticIds.UnclassifiedPii, CatalogSeverity.Warning, spec.Location,
                        $"Property '{spec.Name}' of '{owner}' looks like personal data ({reason}) but has no 'pii:' class; classify it and choose a treatment");
                }

                return;
            }

            if (spec.Treatment == PiiTreatment.None && string.IsNullOrWhiteSpace(spec.Justification))
            {
                Report(DiagnosticIds.RawPiiWithoutJustification, CatalogSeverity.Error, spec.Location,
                    $"Property '{spec.Name}' of '{owner}' sends personal data ({Vocabulary.Name(Vocabulary.PiiClasses, spec.Pii.Value)}) raw without a 'justification:'; choose hash, length, redact or drop, or justify");
            }
        }

        private void CheckPropertyNames(string owner, List<PropertySpec> properties)
        {
            var wire = new Dictionary<string, PropertySpec>(StringComparer.Ordinal);
            var members = new Dictionary<string, PropertySpec>(StringComparer.Ordinal);
            for (var i = 0; i < properties.Count; i++)
            {
                var p = properties[i];
                if (Naming.IsReservedMember(p.WireName) || Naming.Pascal(p.WireName) == Naming.TypeName(owner))
                {
                    Report(DiagnosticIds.InvalidName, CatalogSeverity.Error, p.Location,
                        $"Property '{p.Name}' of '{owner}' would generate the C# member '{Naming.Pascal(p.WireName)}', which the generated event type already uses; rename it");
                    properties.RemoveAt(i--);
                    continue;
                }

                if (p.Name is "telemetry" or "privacy")
                {
                    Report(DiagnosticIds.InvalidName, CatalogSeverity.Error, p.Location,
                        $"Property '{p.Name}' of '{owner}' uses a name the generated Track method reserves for its own parameter; rename it");
                    properties.RemoveAt(i--);
                    continue;
                }

                if (Envelope.IsReserved(p.WireName))
                {
                    Report(DiagnosticIds.InvalidName, CatalogSeverity.Error, p.Location,
                        $"Property '{p.Name}' of '{owner}' clashes with the envelope field '{p.WireName}'; rename it");
                    properties.RemoveAt(i--);
                    continue;
                }

                if ((p.IsSent && wire.ContainsKey(p.WireName)) || members.ContainsKey(Naming.Pascal(p.WireName)))
                {
                    Report(DiagnosticIds.InvalidName, CatalogSeverity.Error, p.Location,
                        $"Property '{p.Name}' of '{owner}' clashes with another property (wire name '{p.WireName}')");
                    properties.RemoveAt(i--);
                    continue;
                }

                wire[p.WireName] = p;
                members[Naming.Pascal(p.WireName)] = p;
            }
        }

        private AggregateSpec? ParseAggregate(string sourceName, string? feature, YamlNode node, List<PropertySpec> properties)
        {
            var reader = new MappingReader(node, $"aggregate of '{sourceName}'", _diagnostics);
            var into = reader.String("into", required: true);
            var window = reader.Integer("window_ms") ?? 5000;
            var fullStream = reader.Number("full_stream_percent") ?? 0;
            var byName = new Dictionary<string, PropertySpec>(StringComparer.Ordinal);
            foreach (var p in properties) byName[p.Name] = p;
            var ok = true;
            if (window < 1000 || window > 60000)
            {
                Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, reader.Node("window_ms")!.Span,
                    $"aggregate of '{sourceName}': window_ms {window} cannot hold: it must be 1000..60000");
                ok = false;
            }

            if (fullStream < 0 || fullStream > 100)
            {
                Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, reader.Node("full_stream_percent")!.Span,
                    $"aggregate of '{sourceName}': full_stream_percent {Format(fullStream)} cannot hold: it must be 0..100");
                ok = false;
            }

            string? intoName = null;
            if (into is not null)
            {
                intoName = into.IndexOf('.') >= 0 ? into : feature is null ? null : feature + "." + into;
                if (intoName is null || !EventNamePattern.IsMatch(intoName))
                {
                    Report(DiagnosticIds.InvalidName, CatalogSeverity.Error, reader.Node("into")!.Span,
                        $"aggregate of '{sourceName}': event name '{intoName ?? into}' breaks the naming rule");
                    ok = false;
                }
                else if (intoName == sourceName)
                {
                    Report(DiagnosticIds.InvalidName, CatalogSeverity.Error, reader.Node("into")!.Span,
                        $"aggregate of '{sourceName}' cannot aggregate into itself");
                    ok = false;
                }
            }
            else
            {
                ok = false;
            }

            var groupBy = new List<string>();
            foreach (var item in reader.List("group_by") ?? new List<YamlNode>())
            {
                if (item.Kind != YamlNodeKind.Scalar || item.IsNull || !byName.TryGetValue(item.Value!, out var prop))
                {
                    Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, item.Span,
                        $"aggregate of '{sourceName}': group_by names {item.Describe()}, which is not a property of the event");
                    ok = false;
                    continue;
                }

                if (prop.Type is PropertyType.Array || prop.Pii is not null)
                {
                    Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, item.Span,
                        $"aggregate of '{sourceName}': cannot group by '{prop.Name}' ({(prop.Pii is not null ? "personal data" : "an array")})");
                    ok = false;
                    continue;
                }

                groupBy.Add(prop.Name);
            }

            var stats = new List<AggregateStatSpec>();
            var statsNode = reader.Mapping("stats");
            if (statsNode is not null)
            {
                foreach (var entry in new MappingReader(statsNode, $"stats of '{sourceName}'", _diagnostics).Entries)
                {
                    var propName = entry.Key.Value!;
                    if (!byName.TryGetValue(propName, out var prop))
                    {
                        Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, entry.Key.Span,
                            $"stats of '{sourceName}' names '{propName}', which is not a property of the event");
                        ok = false;
                        continue;
                    }

                    if (entry.Value.Kind != YamlNodeKind.Sequence)
                    {
                        Report(DiagnosticIds.InvalidStructure, CatalogSeverity.Error, entry.Value.Span,
                            $"stats of '{sourceName}': '{propName}' must list statistics (count, min, max, avg, sum, first, last)");
                        ok = false;
                        continue;
                    }

                    var kinds = new List<AggregateStatKind>();
                    foreach (var k in entry.Value.Items)
                    {
                        if (k.Kind != YamlNodeKind.Scalar || k.IsNull || !Vocabulary.Stats.TryGetValue(k.Value!, out var kind))
                        {
                            Report(DiagnosticIds.InvalidStructure, CatalogSeverity.Error, k.Span,
                                $"stats of '{sourceName}': {k.Describe()} is not a statistic (count, min, max, avg, sum, first, last)");
                            ok = false;
                            continue;
                        }

                        if (!StatApplies(kind, prop))
                        {
                            Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, k.Span,
                                $"stats of '{sourceName}': '{k.Value}' cannot apply to '{propName}' ({Vocabulary.Name(prop.Type)})");
                            ok = false;
                            continue;
                        }

                        if (!kinds.Contains(kind)) kinds.Add(kind);
                    }

                    stats.Add(new AggregateStatSpec(propName, kinds.ToEquatableArray()));
                }
            }

            HeatmapSpec? heatmap = null;
            var heatNode = reader.Mapping("heatmap");
            if (heatNode is not null)
            {
                var h = new MappingReader(heatNode, $"heatmap of '{sourceName}'", _diagnostics);
                var x = h.String("x", required: true);
                var y = h.String("y", required: true);
                var columns = h.Integer("columns") ?? 16;
                var rows = h.Integer("rows") ?? 9;
                var width = h.Integer("width") ?? 1920;
                var height = h.Integer("height") ?? 1080;
                h.ReportUnknownKeys();
                foreach (var (axis, prop) in new[] { ("x", x), ("y", y) })
                {
                    if (prop is not null && (!byName.TryGetValue(prop, out var p) || p.Type != PropertyType.Int32))
                    {
                        Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, h.Node(axis)!.Span,
                            $"heatmap of '{sourceName}': {axis} must name an int32 property of the event, not '{prop}'");
                        ok = false;
                    }
                }

                if (columns < 1 || columns > 64 || rows < 1 || rows > 64 || width < 1 || height < 1)
                {
                    Report(DiagnosticIds.InvalidType, CatalogSeverity.Error, heatNode.Span,
                        $"heatmap of '{sourceName}': columns and rows must be 1..64 and width/height positive");
                    ok = false;
                }

                if (x is null || y is null) ok = false;
                if (ok) heatmap = new HeatmapSpec(x!, y!, columns, rows, width, height);
            }

            reader.ReportUnknownKeys();
            return ok ? new AggregateSpec(intoName!, window, groupBy.ToEquatableArray(), stats.ToEquatableArray(), heatmap, fullStream, node.Span) : null;
        }

        private static bool StatApplies(AggregateStatKind kind, PropertySpec prop)
        {
            if (prop.Type == PropertyType.Array || prop.Pii is not null) return kind == AggregateStatKind.Count;
            var numeric = prop.Type is PropertyType.Int32 or PropertyType.Int64 or PropertyType.Double or PropertyType.Decimal or PropertyType.Duration;
            return kind switch
            {
                AggregateStatKind.Count or AggregateStatKind.First or AggregateStatKind.Last => true,
                AggregateStatKind.Min or AggregateStatKind.Max => numeric || prop.Type == PropertyType.Timestamp,
                _ => numeric && prop.Type != PropertyType.Duration,
            };
        }

        private static EventSpec DeriveAggregateEvent(EventSpec source, AggregateSpec aggregate)
        {
            var props = new List<PropertySpec>();
            var byName = new Dictionary<string, PropertySpec>(StringComparer.Ordinal);
            foreach (var p in source.Properties) byName[p.Name] = p;
            var at = aggregate.Location;
            foreach (var g in aggregate.GroupBy)
            {
                props.Add(byName[g]);
            }

            props.Add(Derived("window_ms", PropertyType.Int32, "Length of the aggregation window in milliseconds.", at, min: 1000, max: 60000));
            props.Add(Derived("count", PropertyType.Int64, $"Number of '{source.Name}' interactions in the window.", at, min: 0));
            var seen = new HashSet<string>(StringComparer.Ordinal) { "window_ms", "count" };
            foreach (var g in aggregate.GroupBy) seen.Add(g);
            foreach (var stat in aggregate.Stats)
            {
                var src = byName[stat.Property];
                foreach (var kind in stat.Kinds)
                {
                    var name = stat.DerivedName(kind);
                    if (!seen.Add(name)) continue;
                    var type = kind is AggregateStatKind.Avg or AggregateStatKind.Sum ? PropertyType.Double : src.Type;
                    var what = kind switch
                    {
                        AggregateStatKind.Min => "Smallest",
                        AggregateStatKind.Max => "Largest",
                        AggregateStatKind.Avg => "Mean",
                        AggregateStatKind.Sum => "Sum of",
                        AggregateStatKind.First => "First",
                        _ => "Last",
                    };
                    props.Add(src with
                    {
                        Name = name,
                        Type = type,
                        Required = src.Required,
                        Description = $"{what} '{src.Name}' in the window." + (src.Description is null ? string.Empty : " " + src.Description),
                        Min = null,
                        Max = null,
                        Location = at,
                    });
                }
            }

            if (aggregate.Heatmap is { } heat)
            {
                props.Add(new PropertySpec("heatmap", PropertyType.Array, PropertyType.Int32, false, EquatableArray<string>.Empty, 0, null,
                    null, null,
                    $"Interaction counts per screen cell, row-major, {heat.Columns} columns x {heat.Rows} rows over {heat.Width}x{heat.Height} px.",
                    EquatableArray<string>.Empty, null, PiiTreatment.None, null, at) { MaxItems = heat.Columns * heat.Rows });
            }

            return new EventSpec(aggregate.Into,
                $"Aggregate of '{source.Name}' over {aggregate.WindowMs} ms windows" + (aggregate.GroupBy.IsEmpty ? "." : $", one per {string.Join(", ", aggregate.GroupBy)}."),
                source.Trigger, source.Tier, source.Status, 1.0, source.Idempotent, source.Sensitivity, source.Version, Frequency.Normal, false,
                source.Owner, props.ToEquatableArray(), null, source.Name, at);
        }

        private static PropertySpec Derived(string name, PropertyType type, string description, SourceSpan at, double? min = null, double? max = null) =>
            new(name, type, null, true, EquatableArray<string>.Empty, min, max, null, null, description, EquatableArray<string>.Empty, null,
                PiiTreatment.None, null, at);

        private void ValidateEventRules(EventSpec spec, MappingReader reader)
        {
            if (spec.Sensitivity != Sensitivity.None && spec.Sampling < 1.0)
            {
                Report(DiagnosticIds.SensitiveEventSampled, CatalogSeverity.Error, reader.Has("sampling") ? reader.Node("sampling")!.Span : spec.Location,
                    $"Event '{spec.Name}' is {Vocabulary.Name(Vocabulary.Sensitivities, spec.Sensitivity)}-sensitive and must be tracked for every user, but sampling is {Format(spec.Sampling)}; set sampling: 1.0");
            }

            if (spec.Frequency == Frequency.High && spec.Aggregate is null && !spec.LocalOnly && spec.Sampling > 0.01)
            {
                Report(DiagnosticIds.UnsampledHighFrequency, CatalogSeverity.Error, spec.Location,
                    $"Event '{spec.Name}' is frequency: high but neither aggregated, local_only, nor sampled at or below 0.01 (sampling is {Format(spec.Sampling)})");
            }
        }

        private MetricSpec? ParseMetric(YamlNode keyNode, YamlNode valueNode)
        {
            var name = keyNode.Value!;
            if (!EventNamePattern.IsMatch(name))
            {
                Report(DiagnosticIds.InvalidName, CatalogSeverity.Error, keyNode.Span,
                    $"Metric name '{name}' breaks the naming rule: dotted lowercase snake case, matching ^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$");
                return null;
            }

            if (valueNode.Kind != YamlNodeKind.Mapping)
            {
                Report(DiagnosticIds.InvalidStructure, CatalogSeverity.Error, valueNode.IsNull ? keyNode.Span : valueNode.Span,
                    $"Metric '{name}' must be a mapping with 'kind:'");
                return null;
            }

            var reader = new MappingReader(valueNode, $"metric '{name}'", _diagnostics);
            var kindNode = reader.Node("kind");
            MetricKind? kind = null;
            if (kindNode is null) reader.Error(DiagnosticIds.InvalidStructure, keyNode.Span, $"metric '{name}': missing required key 'kind'");
            else kind = reader.Choice("kind", Vocabulary.MetricKinds);
            var unit = reader.String("unit");
            var description = reader.String("description");
            if (reader.Node("sampling") is { } sampling)
            {
                Report(DiagnosticIds.SampledMetric, CatalogSeverity.Error, reader.KeySpan("sampling"),
                    $"Metric '{name}' has sampling, but metrics are tracked at 100 %; remove 'sampling:' or make it an event");
                _ = sampling;
            }

            var tags = new List<PropertySpec>();
            var tagsNode = reader.Mapping("tags");
            if (tagsNode is not null)
            {
                foreach (var entry in new MappingReader(tagsNode, $"tags of '{name}'", _diagnostics).Entries)
                {
                    var tag = ParseProperty(name, entry.Key, entry.Value, isTag: true);
                    if (tag is not null) tags.Add(tag);
                }
            }

            reader.ReportUnknownKeys();
            return kind is null ? null : new MetricSpec(name, kind.Value, unit, description, tags.ToEquatableArray(), keyNode.Span);
        }

        private void CheckDuplicateNames(List<EventSpec> events, List<MetricSpec> metrics)
        {
            var seen = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
            var members = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                if (seen.TryGetValue(e.Name, out var first))
                {
                    Report(DiagnosticIds.DuplicateEvent, CatalogSeverity.Error, e.Location,
                        $"Event '{e.Name}' is defined twice (first at {first}); event names are unique across all catalog files");
                    events.RemoveAt(i--);
                    continue;
                }

                var type = Naming.TypeName(e.Name);
                if (members.TryGetValue(type, out var other))
                {
                    Report(DiagnosticIds.InvalidName, CatalogSeverity.Error, e.Location,
                        $"Event '{e.Name}' gives the same C# name '{type}' as '{other}'; rename one of them");
                    events.RemoveAt(i--);
                    continue;
                }

                seen[e.Name] = e.Location;
                members[type] = e.Name;
            }

            for (var i = 0; i < metrics.Count; i++)
            {
                var m = metrics[i];
                if (seen.TryGetValue(m.Name, out var first))
                {
                    Report(DiagnosticIds.DuplicateEvent, CatalogSeverity.Error, m.Location,
                        $"Metric '{m.Name}' is defined twice (first at {first})");
                    metrics.RemoveAt(i--);
                    continue;
                }

                seen[m.Name] = m.Location;
            }
        }

        /// <summary>Every C# type the generator writes for this file must be unique (event structs, enums, aggregators, classes).</summary>
        private void CheckGeneratedTypeNames(string? feature, List<EventSpec> events, List<MetricSpec> metrics, EquatableArray<PropertySpec> definitions)
        {
            // The names are the generator's own (GeneratedNames), so this rule and the generated code cannot disagree.
            var owners = new Dictionary<string, string>(StringComparer.Ordinal);
            var removed = new SortedSet<int>();
            foreach (var (name, what, ev, metric) in GeneratedNames.TypesOf(feature, events.ToArray(), metrics, definitions))
            {
                if (ev >= 0 && removed.Contains(ev)) continue;
                if (owners.TryGetValue(name, out var other) && (ev >= 0 ? other != what : metric >= 0))
                {
                    if (ev >= 0)
                    {
                        Report(DiagnosticIds.InvalidName, CatalogSeverity.Error, events[ev].Location,
                            $"Event '{events[ev].Name}' would generate the C# type '{name}' ({what}), which {other} already uses; rename one of them");
                        removed.Add(ev);
                        continue;
                    }

                    Report(DiagnosticIds.InvalidName, CatalogSeverity.Error, metrics[metric].Location,
                        $"Metric '{metrics[metric].Name}' would generate the C# type '{name}', which {other} already uses; rename one of them");
                }

                owners[name] = what;
            }

            foreach (var i in removed.Reverse()) events.RemoveAt(i);
        }

        private void Report(string id, CatalogSeverity severity, SourceSpan span, string message) =>
            _diagnostics.Add(new CatalogDiagnostic(id, severity, message, span));

        private static List<CatalogDiagnostic> Distinct(List<CatalogDiagnostic> diagnostics)
        {
            var seen = new HashSet<CatalogDiagnostic>();
            var result = new List<CatalogDiagnostic>();
            foreach (var d in diagnostics)
            {
                if (seen.Add(d)) result.Add(d);
            }

            result.Sort((a, b) => a.Location.Start != b.Location.Start ? a.Location.Start.CompareTo(b.Location.Start) : string.CompareOrdinal(a.Id, b.Id));
            return result;
        }

        private static bool Contains(EquatableArray<string> values, string value)
        {
            foreach (var v in values) if (v == value) return true;
            return false;
        }

        private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);
    }

    /// <summary>min, max, max_length and pattern of a value (an array's items), with where each was written.</summary>
    private sealed class ScalarConstraints
    {
        public double? Min;
        public double? Max;
        public int? MaxLength;
        public string? Pattern;
        public SourceSpan? MinSpan;
        public SourceSpan? MaxSpan;
        public SourceSpan? MaxLengthSpan;
        public SourceSpan? PatternSpan;
        public SourceSpan? PatternValueSpan;

        public static ScalarConstraints Of(PropertySpec p) => new() { Min = p.Min, Max = p.Max, MaxLength = p.MaxLength, Pattern = p.Pattern };

        public void Read(MappingReader r)
        {
            Min = r.Number("min");
            if (Min is not null) MinSpan = r.KeySpan("min");
            Max = r.Number("max");
            if (Max is not null) MaxSpan = r.KeySpan("max");
            MaxLength = r.Integer("max_length");
            if (MaxLength is not null) MaxLengthSpan = r.KeySpan("max_length");
        }

        public void ReadPattern(MappingReader r)
        {
            Pattern = r.String("pattern");
            if (Pattern is not null)
            {
                PatternSpan = r.KeySpan("pattern");
                PatternValueSpan = r.Node("pattern")!.Span;
            }
        }

        public SourceSpan Span(string key, MappingReader fallback) => key switch
        {
            "min" => MinSpan,
            "max" => MaxSpan,
            "max_length" => MaxLengthSpan,
            _ => PatternSpan,
        } ?? fallback.KeySpan(key);

        /// <summary>Takes each constraint set only on the outer (array-level) mapping; false with the key set on both.</summary>
        public bool MergeOuter(ScalarConstraints outer, out string? twice)
        {
            twice = Min is not null && outer.Min is not null ? "min"
                : Max is not null && outer.Max is not null ? "max"
                : MaxLength is not null && outer.MaxLength is not null ? "max_length"
                : Pattern is not null && outer.Pattern is not null ? "pattern" : null;
            if (Min is null) { Min = outer.Min; MinSpan = outer.MinSpan; }
            if (Max is null) { Max = outer.Max; MaxSpan = outer.MaxSpan; }
            if (MaxLength is null) { MaxLength = outer.MaxLength; MaxLengthSpan = outer.MaxLengthSpan; }
            if (Pattern is null) { Pattern = outer.Pattern; PatternSpan = outer.PatternSpan; PatternValueSpan = outer.PatternValueSpan; }
            return twice is null;
        }

        /// <summary>Fills what this entry does not set from a definition (already checked for widening).</summary>
        public void InheritFrom(ScalarConstraints definition)
        {
            Min ??= definition.Min;
            Max ??= definition.Max;
            MaxLength ??= definition.MaxLength;
            Pattern ??= definition.Pattern;
        }
    }

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

    // "0.####" spells 1e308 with 309 digits and 1e-9 as 0; the exponent form reads better at the extremes.
    internal static string Format(double value) =>
        value == 0 || (Math.Abs(value) >= 1e-4 && Math.Abs(value) < 1e15)
            ? value.ToString("0.####", CultureInfo.InvariantCulture)
            : value.ToString("G6", CultureInfo.InvariantCulture);
}
