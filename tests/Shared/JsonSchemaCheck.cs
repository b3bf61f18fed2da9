using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Telemetry.Tests.Shared;

/// <summary>
/// JSON Schema (2020-12) checks in tests, through JsonSchema.Net: the event schemas the generator, the tool and the
/// ingest server produce, and <c>catalog/catalog.schema.json</c>. Formats (<c>uuid</c>, <c>date-time</c>) are
/// asserted, not just annotated.
/// </summary>
internal static class JsonSchemaCheck
{
    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    /// <summary>
    /// Builds <paramref name="schemaJson"/> once for many evaluations. Its <c>$id</c> is made unique per build (JsonSchema.Net
    /// registers every schema by id in one registry and refuses a second, different schema under the same id, while the tests
    /// build several versions of one event's schema).
    /// </summary>
    public static JsonSchema Build(string schemaJson)
    {
        var node = JsonNode.Parse(schemaJson)!.AsObject();
        if (node.ContainsKey("$id")) node["$id"] = "urn:telemetry-tests:" + Guid.NewGuid().ToString("N") + ":" + (string?)node["$id"];
        return JsonSchema.FromText(node.ToJsonString(), new BuildOptions());
    }

    /// <summary>The violations of <paramref name="instance"/>; empty when it is valid.</summary>
    public static IReadOnlyList<JsonSchemaError> Errors(JsonSchema schema, JsonElement instance)
    {
        var results = schema.Evaluate(instance, Options);
        if (results.IsValid) return Array.Empty<JsonSchemaError>();
        var errors = new List<JsonSchemaError>();
        foreach (var node in new[] { results }.Concat(results.Details ?? (IEnumerable<EvaluationResults>)Array.Empty<EvaluationResults>()))
        {
            if (node.Errors is null) continue;
            foreach (var (keyword, message) in node.Errors)
            {
                errors.Add(new JsonSchemaError(node.InstanceLocation.ToString(), node.EvaluationPath + "/" + keyword, message));
            }
        }

        if (errors.Count == 0) errors.Add(new JsonSchemaError("", "", "invalid (JsonSchema.Net reported no message)"));
        return errors;
    }

    /// <summary>The violations of <paramref name="instanceJson"/> against <paramref name="schemaJson"/>, as text.</summary>
    public static IReadOnlyList<string> Validate(string schemaJson, string instanceJson)
    {
        using var instance = JsonDocument.Parse(instanceJson);
        return Errors(Build(schemaJson), instance.RootElement).Select(e => e.ToString()).ToList();
    }
}

/// <summary>One schema violation.</summary>
/// <param name="InstanceLocation">JSON pointer into the instance (e.g. <c>/events/add/colour</c>; empty for the root).</param>
/// <param name="KeywordLocation">Evaluation path of the failing keyword in the schema.</param>
/// <param name="Message">What is wrong.</param>
internal sealed record JsonSchemaError(string InstanceLocation, string KeywordLocation, string Message)
{
    public override string ToString() => $"{(InstanceLocation.Length == 0 ? "/" : InstanceLocation)}: {Message}  [{KeywordLocation}]";
}
