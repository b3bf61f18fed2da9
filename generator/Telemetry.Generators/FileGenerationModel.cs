using Telemetry.Catalog.Model;

namespace Telemetry.Generators;

/// <summary>Everything one catalog file's output depends on; value-equatable, so unchanged inputs stay cached.</summary>
/// <param name="File">The parsed, error-free catalog file.</param>
/// <param name="Namespace">Namespace of the generated code.</param>
/// <param name="HintName">Unique hint name of the output.</param>
/// <param name="SkippedEvents">Events also defined in another file (TEL0004): not generated here, to avoid duplicate types.</param>
/// <param name="OwnsTelemetryClass">
/// True for the one file of its feature that declares the shared <c>&lt;Feature&gt;Telemetry</c> partial class's
/// attributes; other files of the same feature only add methods to it.
/// </param>
/// <param name="OwnsMetricsClass">
/// True for the one file of its feature that declares the <c>&lt;Feature&gt;Metrics</c> class's attributes, meter and
/// meter name; other files of the same feature only add instruments to it.
/// </param>
internal sealed record FileGenerationModel(
    CatalogFile File, string Namespace, string HintName, EquatableArray<string> SkippedEvents, bool OwnsTelemetryClass, bool OwnsMetricsClass);

/// <summary>Generator-wide options read from MSBuild properties.</summary>
/// <param name="Namespace">Value of <c>TelemetryNamespace</c> or <c>Telemetry.Events</c>.</param>
internal sealed record GeneratorOptions(string Namespace);

/// <summary>A catalog file's path and text, read from an AdditionalFile marked as a catalog.</summary>
internal sealed record CatalogText(string Path, string Text);

/// <summary>Names across all files: which events are defined more than once, and each file's hint name.</summary>
/// <param name="DuplicateOwners">"path|event" pairs an event should be skipped in.</param>
/// <param name="HintNames">"path|hint" pairs.</param>
/// <param name="Registry">The descriptors listed in TelemetryCatalog.g.cs: (type name, lifecycle) per event.</param>
/// <param name="ClassOwners">"Telemetry|path" and "Metrics|path": the first file (by path) of each feature that generates that class.</param>
internal sealed record CatalogIndex(EquatableArray<string> DuplicateOwners, EquatableArray<string> HintNames, EquatableArray<string> Registry, EquatableArray<string> ClassOwners);
