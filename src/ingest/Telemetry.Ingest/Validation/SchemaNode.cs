using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using Telemetry.Catalog.Schema;

namespace Telemetry.Ingest.Validation;

/// <summary>
/// A compiled value schema: a <see cref="ValueSchema"/> of the catalog's schema model with its pattern and enum
/// compiled for matching and its numbers narrowed to <see cref="NumberContract"/>.
/// </summary>
internal sealed class SchemaNode
{
    public SchemaType Type { get; set; }
    public string? Const { get; set; }
    public HashSet<string>? Enum { get; set; }
    public string? EnumText { get; set; }
    public int? MaxLength { get; set; }
    public double? Minimum { get; set; }
    public double? Maximum { get; set; }
    public Regex? Pattern { get; set; }
    public SchemaFormat Format { get; set; }
    public int? MaxItems { get; set; }
    public int? MinItems { get; set; }
    public bool UniqueItems { get; set; }
    public SchemaNode? Items { get; set; }

    /// <summary>The C# type numbers of this node are read into (<see cref="NumberContract"/>).</summary>
    public NumberKind Kind { get; set; }

    /// <summary>For integers: the schema's minimum within the C# type's range.</summary>
    public long IntegerMin { get; set; } = long.MinValue;

    /// <summary>For integers: the schema's maximum within the C# type's range (and the catalog's version for <c>schema_version</c>).</summary>
    public long IntegerMax { get; set; } = long.MaxValue;
}

/// <summary>A compiled event schema: the object level (properties, required, additionalProperties).</summary>
internal sealed class EventSchema
{
    public EventSchema(string name, Telemetry.Catalog.Model.EventSpec spec, string schemaText, string[] names, SchemaNode[] nodes, bool[] required, bool additionalProperties)
    {
        Name = name;
        Spec = spec;
        SchemaText = schemaText;
        Names = names;
        Nodes = nodes;
        Required = required;
        AdditionalProperties = additionalProperties;
        Index = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++) Index[names[i]] = i;
    }

    public string Name { get; }
    public Telemetry.Catalog.Model.EventSpec Spec { get; }
    public string SchemaText { get; }
    public string[] Names { get; }
    public SchemaNode[] Nodes { get; }
    public bool[] Required { get; }
    public bool AdditionalProperties { get; }
    public Dictionary<string, int> Index { get; }
}
