using Telemetry.Catalog.Model;

namespace Telemetry.Generators;

// The generation spec: everything the emitters write, with every name, C# type and doc text already decided by
// SpecBuilder. Value-equatable and free of source positions, content hashes and diagnostics, so an edit that changes
// none of it (a comment, whitespace) leaves every output cached.

/// <summary>One catalog file's output.</summary>
/// <param name="HintName">Unique hint name of the output.</param>
/// <param name="Namespace">Namespace of the generated code.</param>
/// <param name="SourceFile">The catalog file's name, for the header.</param>
/// <param name="Enums">Enums: shared definitions first, then per event and per metric.</param>
/// <param name="Events">Event structs (events also defined in another file are left out).</param>
/// <param name="Aggregators">Window aggregators of high-frequency events.</param>
/// <param name="Track">The Track methods, or null when the file has no trackable event.</param>
/// <param name="Metrics">The metric instruments, or null.</param>
/// <param name="Schemas">The events' JSON Schemas, compressed into one table.</param>
internal sealed record FileSpec(
    string HintName,
    string Namespace,
    string SourceFile,
    EquatableArray<EnumModel> Enums,
    EquatableArray<EventModel> Events,
    EquatableArray<AggregatorModel> Aggregators,
    TrackClassModel? Track,
    MetricsClassModel? Metrics,
    string? Schemas);

/// <summary><c>[Experimental]</c> or <c>[Obsolete]</c> of a planned or deprecated event, on everything generated for it.</summary>
internal sealed record LifecycleModel(EventStatus Status, string EventName);

/// <summary>A generated enum and its catalog-string helpers.</summary>
internal sealed record EnumModel(string TypeName, string HelpersName, string Summary, EquatableArray<EnumMemberModel> Members, LifecycleModel? Lifecycle);

/// <summary>One enum member and its catalog string.</summary>
internal sealed record EnumMemberModel(string Member, string Value);

/// <summary>How a property's value goes on the wire (its writer call).</summary>
internal enum WriteKind
{
    String,
    Boolean,
    Number,
    Duration,
    Enum,
}

/// <summary>One catalog property as the event struct, its constructor and the Track method see it (<see cref="Order"/>: its place among the parameters, required ones first).</summary>
internal sealed record PropertyModel(
    string Name,
    int Order,
    string Parameter,
    string ParameterDoc,
    string ParameterType,
    bool Required,
    bool Sent,
    int WireIndex,
    string Member,
    string StoredType,
    string? MemberDoc,
    string? PersonalDataAttribute,
    string? Initializer,
    bool IsArray,
    WriteKind Write,
    bool StoredNullable)
{
    /// <summary>Constraints checked in the Track method (null when the property has none to check).</summary>
    public ConstraintModel? Constraints { get; init; }

    /// <summary>For an enum (or enum array) property: the helpers class whose <c>Values</c> table writes it.</summary>
    public string? EnumHelpers { get; init; }
}

/// <summary>A property's checked constraints.</summary>
internal sealed record ConstraintModel(
    PropertyType Type,
    PropertyType ItemType,
    int? MaxLength,
    string? Pattern,
    string? PatternCheck,
    double? Min,
    double? Max,
    int? MinItems,
    int? MaxItems,
    bool UniqueItems,
    bool Clamp);

/// <summary>A compiled pattern of an event's property.</summary>
/// <param name="Method">The check method's name in the event's pattern holder.</param>
/// <param name="Pattern">The catalog pattern.</param>
/// <param name="Body">A plain character check, or null for a Regex.</param>
internal sealed record PatternModel(string Method, string Pattern, string? Body);

/// <summary>One event's struct, descriptor and Track method.</summary>
internal sealed record EventModel(
    string Name,
    string TypeName,
    string TrackMethod,
    string Summary,
    string? Trigger,
    string Facts,
    EquatableArray<string> Attributes,
    LifecycleModel? Lifecycle,
    bool NeedsPrivacy,
    EquatableArray<PropertyModel> Properties,
    string DescriptorArguments,
    bool Trackable,
    string? RecordInto,
    string PatternHolder,
    EquatableArray<PatternModel> Patterns);

/// <summary>A window aggregator: a typed shell over the runtime's <c>WindowAggregator</c>.</summary>
internal sealed record AggregatorModel(
    string TypeName,
    string Summary,
    string SourceName,
    string TargetType,
    int WindowMs,
    string KeyType,
    string KeyExpression,
    EquatableArray<string> RecordParameters,
    EquatableArray<StatModel> Stats,
    HeatmapModel? Heatmap,
    EquatableArray<string> CreateArguments,
    LifecycleModel? Lifecycle);

/// <summary>One statistic's state field and how a value folds into it.</summary>
/// <param name="Field">State field.</param>
/// <param name="FieldType">Its C# type.</param>
/// <param name="Kind">The statistic.</param>
/// <param name="Value">The Record parameter folded in.</param>
/// <param name="Required">False when the value may be absent (nullable).</param>
/// <param name="PresentField">For an optional sum: the field counting present values.</param>
internal sealed record StatModel(string Field, string FieldType, AggregateStatKind Kind, string Value, bool Required, string? PresentField);

/// <summary>The heatmap of an aggregator.</summary>
internal sealed record HeatmapModel(int Columns, int Rows, int Width, int Height, string X, string Y, bool XRequired, bool YRequired);

/// <summary>The feature's partial Track class, as far as this file contributes to it.</summary>
internal sealed record TrackClassModel(string ClassName, string Summary, bool OwnsClass, ConstraintPolicy Policy);

/// <summary>The feature's metrics class, as far as this file contributes to it.</summary>
internal sealed record MetricsClassModel(string ClassName, string Summary, string MeterName, string MeterVersion, bool OwnsClass, EquatableArray<MetricModel> Metrics);

/// <summary>One metric instrument and its typed method.</summary>
internal sealed record MetricModel(
    string Name,
    string Field,
    string Instrument,
    string Create,
    string Method,
    string Verb,
    string ValueName,
    string ValueType,
    string? Unit,
    string? Description,
    string Summary,
    string ValueDoc,
    bool ValueFirst,
    EquatableArray<TagModel> Tags);

/// <summary>A metric tag parameter.</summary>
internal sealed record TagModel(string Name, string Parameter, string Type, bool IsEnum, string Doc);
