using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Schema;
using Telemetry.Wire;

namespace Telemetry.Ingest.Validation;

/// <summary>
/// Compiles an event's schema model (<see cref="EventJsonSchema.Build"/>, the one the JSON Schema text is written
/// from) into an <see cref="EventSchema"/>. Every keyword of the model is a typed member this compiler maps, so a new
/// keyword in the catalog library is a new member here, never text the server could silently ignore.
/// </summary>
internal static class EventSchemaCompiler
{
    /// <summary>
    /// Match timeout of a pattern the linear-time engine cannot run (backreferences, lookarounds), so a hostile value
    /// cannot stall a request.
    /// </summary>
    internal static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Compiles a catalog pattern with the non-backtracking engine: linear in the value's length, so no value can stall
    /// a request, and no timeout, so a busy machine never refuses a valid value (a wall-clock timeout did, under load).
    /// Patterns that engine cannot run fall back to the backtracking one with <see cref="PatternTimeout"/>.
    /// </summary>
    internal static Regex CompilePattern(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, PatternTimeout);
        }
    }

    public static EventSchema Compile(EventSpec spec)
    {
        var model = EventJsonSchema.Build(spec);
        var names = new string[model.Properties.Count];
        var nodes = new SchemaNode[model.Properties.Count];
        var required = new bool[model.Properties.Count];
        for (var i = 0; i < names.Length; i++)
        {
            var p = model.Properties[i];
            names[i] = p.Name;
            nodes[i] = CompileValue(p.Schema);
            ApplyNumberContract(nodes[i], NumberContract.KindOf(spec, p.Name), p.Name == EnvelopeFields.SchemaVersion ? spec.Version : null);
            required[i] = p.Required;
        }

        return new EventSchema(spec.Name, spec, EventJsonSchema.Write(model), names, nodes, required, model.AdditionalProperties);
    }

    private static SchemaNode CompileValue(ValueSchema schema)
    {
        var node = new SchemaNode
        {
            Type = schema.Type,
            Format = schema.Format,
            Const = schema.Const,
            MaxLength = schema.MaxLength,
            Minimum = schema.Minimum,
            Maximum = schema.Maximum,
            Pattern = schema.Pattern is null ? null : CompilePattern(schema.Pattern),
            MaxItems = schema.MaxItems,
            MinItems = schema.MinItems,
            UniqueItems = schema.UniqueItems,
            Items = schema.Items is null ? null : CompileValue(schema.Items),
        };
        if (schema.Enum is { } values)
        {
            node.Enum = new HashSet<string>(values, StringComparer.Ordinal);
            node.EnumText = string.Join(", ", values);
        }

        return node;
    }

    /// <summary>
    /// Narrows a number node to <see cref="NumberContract"/>: integers within the schema's bounds and the C# type's range
    /// (int64 when the catalog type is not known), <c>schema_version</c> at most the event's catalog version.
    /// </summary>
    private static void ApplyNumberContract(SchemaNode node, NumberKind kind, int? maxVersion)
    {
        if (node.Items is { } items) ApplyNumberContract(items, kind, null);
        if (node.Type == SchemaType.Integer)
        {
            if (kind is not (NumberKind.Int32 or NumberKind.Int64)) kind = NumberKind.Int64;
            node.Kind = kind;
            node.IntegerMin = NumberContract.MinOf(kind);
            node.IntegerMax = NumberContract.MaxOf(kind);
            if (node.Minimum is { } min && min > node.IntegerMin) node.IntegerMin = min >= node.IntegerMax ? node.IntegerMax : (long)Math.Ceiling(min);
            if (node.Maximum is { } max && max < node.IntegerMax) node.IntegerMax = max <= node.IntegerMin ? node.IntegerMin : (long)Math.Floor(max);
            if (maxVersion is { } version && version < node.IntegerMax) node.IntegerMax = version;
        }
        else if (node.Type == SchemaType.Number)
        {
            node.Kind = kind == NumberKind.Decimal ? NumberKind.Decimal : NumberKind.Double;
        }
    }
}
