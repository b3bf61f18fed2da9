using System.CommandLine;
using Telemetry.Catalog.Tool.Cli;
using Telemetry.Catalog.Tool.Docs;
using Telemetry.Catalog.Tool.Output;

namespace Telemetry.Catalog.Tool.Commands;

/// <summary><c>docs</c>: the catalog as Markdown pages (one per feature, an index and a metrics page).</summary>
internal static class DocsCommand
{
    public const string DefaultOut = "docs/event-catalog";

    public static Command Create(ToolContext context) => GeneratedFolder.FromCatalog(
        context,
        "docs",
        "Write the event catalog as Markdown: one page per feature (each event's description, trigger, payload table, sampling, " +
        "tier, sensitivity, lifecycle, idempotency, frequency and aggregation, and an example payload valid against its JSON Schema), " +
        "an index (README.md) and a metrics page. Pages an earlier run generated for removed features are deleted.",
        DefaultOut,
        "the pages",
        catalog => CatalogDocs.Build(catalog.Set),
        new StaleFiles("*.md", text => text.StartsWith(CatalogDocs.Marker, System.StringComparison.Ordinal)));
}
