using System;
using System.Collections.Generic;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Rules;
using static Telemetry.Catalog.Parsing.NamePatterns;

namespace Telemetry.Catalog.Parsing;

/// <summary>
/// Reads one property (of an event or a definition) or metric tag: the short form (<c>symbol: string</c>), the long
/// form with its type, enum values, array items, constraints, examples and pii class, or a <c>ref:</c> to a shared
/// definition. The constraint and privacy rules run on what it read.
/// </summary>
internal sealed class PropertyReader
{
    private readonly FileDiagnostics _file;
    private readonly DefinitionResolver _refs;
    private readonly ConstraintRules _constraints;
    private readonly PrivacyRules _privacy;

    public PropertyReader(FileDiagnostics file, DefinitionResolver refs, ConstraintRules constraints, PrivacyRules privacy)
    {
        _file = file;
        _refs = refs;
        _constraints = constraints;
        _privacy = privacy;
    }

    /// <summary>The property (or tag, or definition) <paramref name="keyNode"/> of <paramref name="owner"/>, or null (reported) when it cannot be read.</summary>
    public PropertySpec? Read(string owner, YamlNode keyNode, YamlNode valueNode, bool isTag, bool isDefinition = false)
    {
        var name = keyNode.Value!;
        var what = isTag ? "tag" : isDefinition ? "definition" : "property";
        if (!IdentifierPattern.IsMatch(name))
        {
            Report(DiagnosticIds.InvalidName, keyNode.Span,
                $"{Capitalize(what)} '{name}' of '{owner}' breaks the naming rule: lowercase snake case, matching ^[a-z][a-z0-9_]*$");
            return null;
        }

        if (valueNode.Kind == YamlNodeKind.Scalar && !valueNode.IsNull) return ReadShortForm(owner, name, what, keyNode, valueNode, isTag);

        if (valueNode.Kind != YamlNodeKind.Mapping)
        {
            Report(DiagnosticIds.InvalidStructure, valueNode.IsNull ? keyNode.Span : valueNode.Span,
                $"{Capitalize(what)} '{name}' of '{owner}' needs a type: write '{name}: {{ type: string }}'");
            return null;
        }

        var reader = new MappingReader(valueNode, $"{what} '{name}' of '{owner}'", _file.List);
        if (!isTag && reader.Node("ref") is { } refNode)
        {
            if (isDefinition)
            {
                Report(DiagnosticIds.InvalidStructure, reader.KeySpan("ref"),
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
        return isTag
            ? ReadTag(owner, name, keyNode, reader, type, description, valuesNode)
            : ReadLongForm(owner, name, keyNode, reader, type, description, valuesNode, isDefinition);
    }

    /// <summary>Short form: <c>symbol: string</c> (a scalar type only; enums and arrays need the long form).</summary>
    private PropertySpec? ReadShortForm(string owner, string name, string what, YamlNode keyNode, YamlNode valueNode, bool isTag)
    {
        var shortType = ResolveType(owner, name, valueNode, isTag);
        if (shortType is null) return null;
        if (shortType == PropertyType.Enum || shortType == PropertyType.Array)
        {
            Report(DiagnosticIds.InvalidType, valueNode.Span,
                $"{Capitalize(what)} '{name}' of '{owner}' is {Vocabulary.Name(shortType.Value)} and needs the long form with {(shortType == PropertyType.Enum ? "'values:'" : "'items:'")}");
            return null;
        }

        var shortSpec = new PropertySpec(name, shortType.Value, null, true, EquatableArray<string>.Empty, null, null, null, null,
            null, EquatableArray<string>.Empty, null, PiiTreatment.None, null, keyNode.Span);
        if (!isTag) _privacy.CheckPii(owner, shortSpec);
        return shortSpec;
    }

    /// <summary>A metric tag: type, description and enum values only.</summary>
    private PropertySpec? ReadTag(string owner, string name, YamlNode keyNode, MappingReader reader, PropertyType? type, string? description, List<YamlNode>? valuesNode)
    {
        var enumValues = ReadEnumValues(owner, name, valuesNode, type == PropertyType.Enum, reader.KeySpan("values"), keyNode.Span);
        reader.ReportUnknownKeys();
        if (type is null) return null;
        return new PropertySpec(name, type.Value, null, true, enumValues, null, null, null, null, description,
            EquatableArray<string>.Empty, null, PiiTreatment.None, null, keyNode.Span);
    }

    /// <summary>The long form of a property or definition, after its type.</summary>
    private PropertySpec? ReadLongForm(string owner, string name, YamlNode keyNode, MappingReader reader, PropertyType? type, string? description,
        List<YamlNode>? valuesNode, bool isDefinition)
    {
        // Scalar constraints: on the property, or for an array under 'items:' (the array-level form is kept for them too).
        ItemsShape shape;
        if (type == PropertyType.Array)
        {
            shape = ReadArrayItems(owner, name, keyNode, reader, isDefinition);
            if (valuesNode is not null)
            {
                Report(DiagnosticIds.InvalidType, reader.KeySpan("values"),
                    $"Property '{name}' of '{owner}' is an array: put 'values:' under 'items:'");
            }
        }
        else
        {
            shape = new ItemsShape { EnumValues = ReadEnumValues(owner, name, valuesNode, type == PropertyType.Enum, reader.KeySpan("values"), keyNode.Span) };
            if (reader.Node("items") is not null)
            {
                Report(DiagnosticIds.InvalidType, reader.KeySpan("items"),
                    $"Property '{name}' of '{owner}' is not an array, so 'items:' cannot apply");
            }
        }

        var c = shape.Constraints;
        var required = reader.Bool("required") ?? true;
        var outer = new ScalarConstraints();
        outer.Read(reader);
        outer.ReadPattern(reader);
        if (!c.MergeOuter(outer, out var twice))
        {
            Report(DiagnosticIds.InvalidType, reader.KeySpan(twice!),
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

        var itemType = shape.ItemType;
        var effectiveType = type == PropertyType.Array ? itemType : type;
        if (shape.Definition is not null)
        {
            // items: { ref: x, min: …, max: …, max_length: … } narrows the definition's constraints.
            var inherited = ScalarConstraints.Of(shape.Definition);
            _constraints.CheckNarrowing(owner, name, shape.Definition, c, reader);
            c.InheritFrom(inherited);
        }

        _constraints.ValidateScalarConstraints(owner, name, type.Value, effectiveType, c);
        _constraints.CheckItemCounts(owner, name, type.Value, reader, ref minItems, ref maxItems, uniqueItems);
        _constraints.CheckOnViolation(owner, name, type.Value, effectiveType, onViolation, reader);
        _privacy.CheckTreatment(owner, name, type.Value, effectiveType, pii, piiMisspelt, treatment, reader);
        _constraints.CheckExamples(owner, name, effectiveType, type == PropertyType.Array, shape.EnumValues, examples, reader);

        // For arrays, min/max/max_length/pattern constrain each item; min_items/max_items/unique_items the array.
        var spec = new PropertySpec(name, type.Value, itemType, required, shape.EnumValues, c.Min, c.Max, c.MaxLength,
            c.Pattern, description, examples, pii, pii is null ? PiiTreatment.None : treatment ?? PiiTreatment.Drop, justification, keyNode.Span)
        {
            MinItems = type == PropertyType.Array ? minItems : null,
            MaxItems = type == PropertyType.Array ? maxItems : null,
            UniqueItems = type == PropertyType.Array && uniqueItems == true,
            OnViolation = onViolation ?? ConstraintAction.Reject,
            Ref = shape.Ref,
            RefLocation = shape.Definition?.Location,
        };
        if (!piiMisspelt) _privacy.CheckPii(owner, spec);
        return spec;
    }

    /// <summary>What an array's <c>items:</c> say: item type, enum values, item constraints, or the definition they refer to.</summary>
    private sealed class ItemsShape
    {
        public PropertyType? ItemType;
        public EquatableArray<string> EnumValues = EquatableArray<string>.Empty;
        public PropertySpec? Definition;
        public string? Ref;
        public ScalarConstraints Constraints = new();
    }

    /// <summary>The <c>items:</c> of array property <paramref name="name"/>: a type name, a mapping, or a mapping with <c>ref:</c>.</summary>
    private ItemsShape ReadArrayItems(string owner, string name, YamlNode keyNode, MappingReader reader, bool isDefinition)
    {
        var shape = new ItemsShape();
        var itemsNode = reader.Node("items");
        if (itemsNode is null)
        {
            Report(DiagnosticIds.InvalidType, keyNode.Span,
                $"Property '{name}' of '{owner}' is an array without 'items:' (e.g. items: string)");
            return shape;
        }

        if (itemsNode.Kind == YamlNodeKind.Mapping)
        {
            var items = new MappingReader(itemsNode, $"items of '{name}' in '{owner}'", _file.List);
            if (items.Node("ref") is { } itemRefNode)
            {
                ReadItemsRef(owner, name, items, itemRefNode, isDefinition, shape);
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
                    shape.ItemType = ResolveType(owner, name, itemTypeNode, isTag: false);
                }

                var itemValues = items.List("values");
                shape.EnumValues = ReadEnumValues(owner, name, itemValues, shape.ItemType == PropertyType.Enum, items.KeySpan("values"), itemsNode.Span);
                shape.Constraints.ReadPattern(items);
            }

            shape.Constraints.Read(items);
            items.ReportUnknownKeys();
        }
        else
        {
            shape.ItemType = ResolveType(owner, name, itemsNode, isTag: false);
            if (shape.ItemType == PropertyType.Enum)
            {
                Report(DiagnosticIds.InvalidType, itemsNode.Span,
                    $"Property '{name}' of '{owner}' has enum items without values: write 'items: {{ type: enum, values: [...] }}'");
                shape.ItemType = null;
            }
        }

        if (shape.ItemType == PropertyType.Array)
        {
            Report(DiagnosticIds.InvalidType, itemsNode.Span,
                $"Property '{name}' of '{owner}' is an array of arrays, which the wire format does not support");
            shape.ItemType = null;
        }

        return shape;
    }

    /// <summary><c>items: { ref: x }</c>: the items take a scalar definition without pii (type, values and pattern come from it).</summary>
    private void ReadItemsRef(string owner, string name, MappingReader items, YamlNode itemRefNode, bool isDefinition, ItemsShape shape)
    {
        if (isDefinition)
        {
            Report(DiagnosticIds.InvalidStructure, items.KeySpan("ref"),
                $"Definition '{name}' uses 'ref:' for its items, but definitions do not reference each other; write the items out in full");
        }
        else if (_refs.Resolve(owner, name, itemRefNode) is { } def)
        {
            if (def.Type == PropertyType.Array || def.Pii is not null)
            {
                Report(DiagnosticIds.InvalidType, itemRefNode.Span,
                    $"Items of '{name}' in '{owner}' refer to definition '{def.Name}', which is {(def.Pii is not null ? "personal data" : "an array")}; items can use only scalar definitions without 'pii:'");
            }
            else
            {
                shape.Definition = def;
                shape.Ref = def.Name;
                shape.ItemType = def.Type;
                shape.EnumValues = def.EnumValues;
            }
        }

        foreach (var key in new[] { "type", "values", "pattern" })
        {
            if (items.Node(key) is not null)
            {
                Report(DiagnosticIds.InvalidStructure, items.KeySpan(key),
                    $"Items of '{name}' in '{owner}': '{key}' comes from the definition named by 'ref' and cannot be set next to it");
            }
        }
    }

    /// <summary>A property written as <c>{ ref: name, … }</c>: the definition with the overrides and narrowings the entry may set.</summary>
    private PropertySpec? ParseRef(string owner, YamlNode keyNode, YamlNode refNode, MappingReader reader)
    {
        var name = keyNode.Value!;
        var def = _refs.Resolve(owner, name, refNode);
        foreach (var key in new[] { "type", "values", "items", "pattern", "pii", "treatment", "justification" })
        {
            if (reader.Node(key) is not null)
            {
                Report(DiagnosticIds.InvalidStructure, reader.KeySpan(key),
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

        _constraints.CheckNarrowing(owner, name, def, c, reader);
        if (def.Type != PropertyType.Array && (minItems is not null || maxItems is not null || uniqueItems is not null))
        {
            var key = minItems is not null ? "min_items" : maxItems is not null ? "max_items" : "unique_items";
            Report(DiagnosticIds.InvalidType, reader.KeySpan(key),
                $"Property '{name}' of '{owner}' uses definition '{def.Name}', which is not an array: '{key}' applies to arrays only");
            minItems = maxItems = null;
            uniqueItems = null;
        }
        else if (def.Type == PropertyType.Array)
        {
            if (minItems is { } mi && def.MinItems is { } dmi && mi < dmi) _constraints.Widening(reader, "min_items", name, owner, def, $"min_items {mi} is below the definition's {dmi}");
            if (maxItems is { } ma && def.MaxItems is { } dma && ma > dma) _constraints.Widening(reader, "max_items", name, owner, def, $"max_items {ma} is above the definition's {dma}");
            if (uniqueItems == false && def.UniqueItems) _constraints.Widening(reader, "unique_items", name, owner, def, "unique_items: false drops the definition's unique_items: true");
            var lo = minItems ?? def.MinItems;
            var hi = maxItems ?? def.MaxItems;
            _constraints.CheckItemCounts(owner, name, PropertyType.Array, reader, ref lo, ref hi, uniqueItems ?? def.UniqueItems);
            minItems = lo;
            maxItems = hi;
        }

        c.InheritFrom(ScalarConstraints.Of(def));
        var effectiveType = def.Type == PropertyType.Array ? def.ItemType : def.Type;
        _constraints.ValidateScalarConstraints(owner, name, def.Type, effectiveType, c);
        _constraints.CheckOnViolation(owner, name, def.Type, effectiveType, onViolation, reader);
        if (exampleGiven) _constraints.CheckExamples(owner, name, effectiveType, def.Type == PropertyType.Array, def.EnumValues, examples, reader);

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
        if (spec.Pii is null) _privacy.CheckPii(owner, spec);
        return spec;
    }

    private PropertyType? ResolveType(string owner, string name, YamlNode typeNode, bool isTag)
    {
        var words = isTag ? Vocabulary.TagTypes : Vocabulary.Types;
        if (typeNode.Kind == YamlNodeKind.Scalar && !typeNode.IsNull && words.TryGetValue(typeNode.Value!, out var type))
        {
            return type;
        }

        Report(DiagnosticIds.InvalidType, typeNode.Span,
            $"{(isTag ? "Tag" : "Property")} '{name}' of '{owner}' has unknown type {typeNode.Describe()}; known types: {string.Join(", ", words.Keys)}");
        return null;
    }

    private EquatableArray<string> ReadEnumValues(string owner, string name, List<YamlNode>? valuesNode, bool isEnum, SourceSpan valuesSpan, SourceSpan keySpan)
    {
        if (!isEnum)
        {
            if (valuesNode is not null)
            {
                Report(DiagnosticIds.InvalidType, valuesSpan,
                    $"Property '{name}' of '{owner}' is not an enum, so 'values:' cannot apply (did you mean type: enum?)");
            }

            return EquatableArray<string>.Empty;
        }

        if (valuesNode is null || valuesNode.Count == 0)
        {
            Report(DiagnosticIds.InvalidType, valuesNode is null ? keySpan : valuesSpan,
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
                Report(DiagnosticIds.InvalidStructure, item.Span,
                    $"Enum '{name}' of '{owner}': values are plain words, not {item.Describe()}");
                continue;
            }

            var value = item.Value!;
            if (!EnumValuePattern.IsMatch(value))
            {
                Report(DiagnosticIds.InvalidName, item.Span,
                    $"Enum value '{value}' of '{name}' in '{owner}' breaks the naming rule: lowercase snake case, matching ^[a-z0-9][a-z0-9_]*$");
                continue;
            }

            if (!seen.Add(value))
            {
                Report(DiagnosticIds.InvalidType, item.Span,
                    $"Enum '{name}' of '{owner}' lists '{value}' twice");
                continue;
            }

            if (!identifiers.Add(Naming.EnumMember(value)))
            {
                Report(DiagnosticIds.InvalidName, item.Span,
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
                        Report(DiagnosticIds.InvalidStructure, item.Span, "'examples' holds plain values, not " + item.Describe());
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
                Report(DiagnosticIds.InvalidStructure, node.Span, "'example' must be a plain value, not " + node.Describe());
            }
        }

        return examples.ToEquatableArray();
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);

    private void Report(string id, SourceSpan span, string message) => _file.Report(id, span, message);
}
