using System;
using System.Globalization;
using System.Text.RegularExpressions;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Parsing;
using static Telemetry.Catalog.Parsing.NumberText;

namespace Telemetry.Catalog.Rules;

/// <summary>
/// The constraint rules of a property (TEL0005): min/max/max_length/pattern that fit the (item) type and can hold,
/// item counts, on_violation, examples of the declared type, and a <c>ref:</c> that only narrows its definition.
/// Each rule reports and drops what is wrong, so the model keeps only constraints that hold.
/// </summary>
internal sealed class ConstraintRules
{
    private readonly FileDiagnostics _file;

    public ConstraintRules(FileDiagnostics file) => _file = file;

    /// <summary>Reports each constraint of <paramref name="c"/> that would widen <paramref name="def"/>'s (only narrowing is allowed).</summary>
    public void CheckNarrowing(string owner, string name, PropertySpec def, ScalarConstraints c, MappingReader reader)
    {
        var defType = def.Type == PropertyType.Array ? def.ItemType : def.Type;
        var numeric = IsNumeric(defType);
        if ((c.Min is not null || c.Max is not null) && !numeric)
        {
            var key = c.Min is not null ? "min" : "max";
            Report(DiagnosticIds.InvalidType, c.Span(key, reader),
                $"Property '{name}' of '{owner}' uses definition '{def.Name}' ({Vocabulary.Name(defType ?? def.Type)}): 'min'/'max' apply to numbers only");
            c.Min = c.Max = null;
        }

        if (c.MaxLength is not null && defType != PropertyType.String)
        {
            Report(DiagnosticIds.InvalidType, c.Span("max_length", reader),
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

    public void Widening(MappingReader reader, string key, string name, string owner, PropertySpec def, string why) =>
        Widening(reader.KeySpan(key), name, owner, def, why);

    public void Widening(SourceSpan at, string name, string owner, PropertySpec def, string why) =>
        Report(DiagnosticIds.InvalidType, at,
            $"Property '{name}' of '{owner}' widens definition '{def.Name}': {why}; a ref may only narrow a definition's constraints");

    public static bool IsNumeric(PropertyType? t) =>
        t is PropertyType.Int32 or PropertyType.Int64 or PropertyType.Double or PropertyType.Decimal or PropertyType.Duration;

    /// <summary>TEL0005 for scalar constraints that do not fit the (item) type or cannot hold; drops what is wrong from <paramref name="c"/>.</summary>
    public void ValidateScalarConstraints(string owner, string name, PropertyType type, PropertyType? effectiveType, ScalarConstraints c)
    {
        var numeric = IsNumeric(effectiveType);
        if ((c.Min is not null || c.Max is not null) && !numeric)
        {
            Report(DiagnosticIds.InvalidType, (c.Min is not null ? c.MinSpan : c.MaxSpan) ?? SourceSpan.StartOf(_file.FilePath),
                $"Property '{name}' of '{owner}' is {Vocabulary.Name(effectiveType ?? type)}: 'min'/'max' apply to numbers only");
            c.Min = c.Max = null;
        }

        if (c.Min is not null && c.Max is not null && c.Min > c.Max)
        {
            Report(DiagnosticIds.InvalidType, (c.MinSpan ?? c.MaxSpan) ?? SourceSpan.StartOf(_file.FilePath),
                $"Property '{name}' of '{owner}' has min {Format(c.Min.Value)} above max {Format(c.Max.Value)}: no value can hold");
        }

        if ((effectiveType == PropertyType.Int32 && ((c.Min ?? 0) < int.MinValue || (c.Max ?? 0) > int.MaxValue)) ||
            ((effectiveType is PropertyType.Int32 or PropertyType.Int64) && ((c.Min is { } mi && mi != Math.Floor(mi)) || (c.Max is { } ma && ma != Math.Floor(ma)))))
        {
            Report(DiagnosticIds.InvalidType, (c.Min is not null ? c.MinSpan : c.MaxSpan) ?? SourceSpan.StartOf(_file.FilePath),
                $"Property '{name}' of '{owner}' is {Vocabulary.Name(effectiveType!.Value)}: its min/max must be whole numbers in range");
        }

        var stringy = effectiveType == PropertyType.String;
        if (c.MaxLength is not null)
        {
            if (!stringy)
            {
                Report(DiagnosticIds.InvalidType, c.MaxLengthSpan ?? SourceSpan.StartOf(_file.FilePath),
                    $"Property '{name}' of '{owner}' is {Vocabulary.Name(effectiveType ?? type)}: 'max_length' applies to strings only");
                c.MaxLength = null;
            }
            else if (c.MaxLength <= 0)
            {
                Report(DiagnosticIds.InvalidType, c.MaxLengthSpan ?? SourceSpan.StartOf(_file.FilePath),
                    $"Property '{name}' of '{owner}' has max_length {c.MaxLength}: it must be at least 1");
                c.MaxLength = null;
            }
        }

        if (c.Pattern is not null && c.PatternSpan is not null)
        {
            if (!stringy)
            {
                Report(DiagnosticIds.InvalidType, c.PatternSpan,
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
                    Report(DiagnosticIds.InvalidType, c.PatternValueSpan ?? c.PatternSpan,
                        $"Property '{name}' of '{owner}' has a pattern that is not a valid regular expression: {ex.Message}");
                    c.Pattern = null;
                }
            }
        }
    }

    public void CheckItemCounts(string owner, string name, PropertyType type, MappingReader reader, ref int? minItems, ref int? maxItems, bool? uniqueItems)
    {
        if (type != PropertyType.Array)
        {
            foreach (var key in new[] { "min_items", "max_items", "unique_items" })
            {
                if ((key == "min_items" && minItems is null) || (key == "max_items" && maxItems is null) || (key == "unique_items" && uniqueItems is null)) continue;
                Report(DiagnosticIds.InvalidType, reader.KeySpan(key),
                    $"Property '{name}' of '{owner}' is not an array: '{key}' applies to arrays only");
            }

            minItems = maxItems = null;
            return;
        }

        if (maxItems is not null && maxItems <= 0)
        {
            Report(DiagnosticIds.InvalidType, reader.KeySpan("max_items"),
                $"Property '{name}' of '{owner}' has max_items {maxItems}: it must be at least 1");
            maxItems = null;
        }

        if (minItems is not null && minItems < 0)
        {
            Report(DiagnosticIds.InvalidType, reader.KeySpan("min_items"),
                $"Property '{name}' of '{owner}' has min_items {minItems}: it must be at least 0");
            minItems = null;
        }

        if (minItems is { } lo && maxItems is { } hi && lo > hi)
        {
            Report(DiagnosticIds.InvalidType, reader.KeySpan("min_items"),
                $"Property '{name}' of '{owner}' has min_items {lo} above max_items {hi}: no array can hold");
        }
    }

    public void CheckOnViolation(string owner, string name, PropertyType type, PropertyType? effectiveType, ConstraintAction? action, MappingReader reader)
    {
        if (action != ConstraintAction.Clamp) return;
        if (type == PropertyType.Array || !(IsNumeric(effectiveType) || effectiveType == PropertyType.String))
        {
            Report(DiagnosticIds.InvalidType, reader.KeySpan("on_violation"),
                $"Property '{name}' of '{owner}' is {Vocabulary.Name(type)}: 'on_violation: clamp' applies to numbers (clamped to min/max) and strings (cut to max_length)");
        }
    }

    public void CheckExamples(string owner, string name, PropertyType? type, bool isArray, EquatableArray<string> enumValues,
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
                Report(DiagnosticIds.InvalidType, reader.KeySpan(reader.Has("example") ? "example" : "examples"),
                    $"Example '{example}' of '{name}' in '{owner}' is not a valid {Vocabulary.Name(type.Value)}{(isArray ? " item" : string.Empty)}");
                return;
            }
        }
    }

    private static bool Contains(EquatableArray<string> values, string value)
    {
        foreach (var v in values) if (v == value) return true;
        return false;
    }

    private void Report(string id, SourceSpan span, string message) => _file.Report(id, span, message);
}
