using System.Collections.Generic;
using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Tool.Docs;

/// <summary>One feature as documented: its files (usually one), description, owner and events in catalog order.</summary>
internal sealed record FeatureDoc(string Feature, string? Description, string? Owner, IReadOnlyList<string> Files, IReadOnlyList<EventSpec> Events)
{
    public string PageName => Feature + ".md";
}
