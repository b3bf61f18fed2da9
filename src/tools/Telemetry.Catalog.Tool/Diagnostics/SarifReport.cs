using System;
using System.Collections.Generic;
using System.Linq;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Tool.Cli;
using Telemetry.Catalog.Tool.Output;

namespace Telemetry.Catalog.Tool.Diagnostics;

/// <summary>
/// SARIF 2.1.0 for code-scanning UIs (GitHub, Azure DevOps, VS Code's SARIF viewer): one run, every catalog rule in
/// <c>tool.driver.rules</c>, one result per diagnostic with a relative artifact URI and a 1-based region.
/// </summary>
internal static class SarifReport
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";
    public const string InformationUri = "https://github.com/telemetry-generators/telemetry-generators";

    public static string Write(IReadOnlyList<ReportedDiagnostic> diagnostics) => JsonOutput.Write(w =>
    {
        var rules = DiagnosticRules.All.ToList();
        foreach (var id in diagnostics.Select(r => r.Diagnostic.Id).Distinct())
        {
            if (rules.All(r => r.Id != id)) rules.Add(DiagnosticRules.Find(id));
        }

        w.WriteStartObject();
        w.WriteString("$schema", SchemaUri);
        w.WriteString("version", "2.1.0");
        w.WriteStartArray("runs");
        w.WriteStartObject();
        w.WriteStartObject("tool");
        w.WriteStartObject("driver");
        w.WriteString("name", CatalogTool.Name);
        w.WriteString("informationUri", InformationUri);
        w.WriteString("semanticVersion", ToolVersion.Value);
        w.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            w.WriteStartObject();
            w.WriteString("id", rule.Id);
            w.WriteStartObject("shortDescription");
            w.WriteString("text", rule.Title);
            w.WriteEndObject();
            w.WriteString("helpUri", rule.HelpUri);
            w.WriteStartObject("defaultConfiguration");
            w.WriteString("level", Level(rule.DefaultSeverity));
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteString("columnKind", "utf16CodeUnits");
        w.WriteStartArray("results");
        foreach (var r in diagnostics)
        {
            var d = r.Diagnostic;
            var at = d.Location;
            var endLine = Math.Max(at.EndLine, at.Line);
            var endColumn = endLine == at.Line ? Math.Max(at.EndColumn, at.Column) : Math.Max(at.EndColumn, 1);
            w.WriteStartObject();
            w.WriteString("ruleId", d.Id);
            w.WriteNumber("ruleIndex", rules.FindIndex(x => x.Id == d.Id));
            w.WriteString("level", Level(r.Severity));
            w.WriteStartObject("message");
            w.WriteString("text", d.Message);
            w.WriteEndObject();
            w.WriteStartArray("locations");
            w.WriteStartObject();
            w.WriteStartObject("physicalLocation");
            w.WriteStartObject("artifactLocation");
            w.WriteString("uri", RelativeUri(at.FilePath));
            w.WriteEndObject();
            w.WriteStartObject("region");
            w.WriteNumber("startLine", Math.Max(at.Line, 1));
            w.WriteNumber("startColumn", Math.Max(at.Column, 1));
            w.WriteNumber("endLine", Math.Max(endLine, 1));
            w.WriteNumber("endColumn", Math.Max(endColumn, 1));
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static string Level(CatalogSeverity severity) => severity switch
    {
        CatalogSeverity.Error => "error",
        CatalogSeverity.Warning => "warning",
        _ => "note",
    };

    /// <summary>A relative URI reference: '/' separators, each segment percent-encoded.</summary>
    public static string RelativeUri(string path) =>
        string.Join("/", path.Replace('\\', '/').Split('/').Select(s => s is "." or ".." ? s : Uri.EscapeDataString(s)));
}
