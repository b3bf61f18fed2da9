
namespace Telemetry.Generators.Tests.TestSupport;

/// <summary>Checks an event's JSON against its descriptor's JSON Schema with JsonSchema.Net; returns the violations, empty when the event conforms.</summary>
internal static class EventSchemaValidator
{
    public static IReadOnlyList<string> Validate(string eventJson, string schemaJson) => JsonSchemaCheck.Validate(schemaJson, eventJson);
}
