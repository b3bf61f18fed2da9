using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Parsing;

/// <summary>min, max, max_length and pattern of a value (an array's items), with where each was written.</summary>
internal sealed class ScalarConstraints
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
