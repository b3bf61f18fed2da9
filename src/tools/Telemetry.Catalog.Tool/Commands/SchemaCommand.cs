using System;
using System.CommandLine;
using System.Linq;
using Telemetry.Catalog.Schema;
using Telemetry.Catalog.Tool.Cli;
using Telemetry.Catalog.Tool.Output;

namespace Telemetry.Catalog.Tool.Commands;

/// <summary><c>schema</c>: a JSON Schema file per event, the same schema the generator embeds and the ingest server validates with.</summary>
internal static class SchemaCommand
{
    public const string DefaultOut = "schemas";
    public const string FileSuffix = ".schema.json";

    public static Command Create(ToolContext context) => GeneratedFolder.FromCatalog(
        context,
        "schema",
        "Write one JSON Schema (draft 2020-12) per event, <event>.schema.json: the wire object with its envelope, after PII treatment, " +
        "exactly as the ingest server validates it. For clients in other languages and for data pipelines.",
        DefaultOut,
        "the schemas",
        catalog => catalog.Events.Select(e => new GeneratedFile(e.Name + FileSuffix, EventJsonSchema.Write(e, indented: true) + "\n")).ToList(),
        new StaleFiles("*" + FileSuffix, text => text.Contains("\"" + EventJsonSchema.IdBase, StringComparison.Ordinal)));
}
