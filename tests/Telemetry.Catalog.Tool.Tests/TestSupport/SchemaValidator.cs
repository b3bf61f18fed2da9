using Telemetry.Tests.Shared;

namespace Telemetry.Catalog.Tool.Tests.TestSupport;

/// <summary>Checks an instance against a per-event JSON Schema with JsonSchema.Net; returns the violations, empty when it conforms.</summary>
internal static class SchemaValidator
{
    public static IReadOnlyList<string> Validate(string schemaJson, string instanceJson) => JsonSchemaCheck.Validate(schemaJson, instanceJson);
}
