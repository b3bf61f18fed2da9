namespace Telemetry.Generators;

/// <summary>
/// Writes the file's JSON Schema table: one compressed block read on first use of any event's <c>JsonSchema</c>. A UTF-8
/// literal, so the assembly stores it as bytes, not as UTF-16 in the user-string heap (half the size).
/// </summary>
internal static class SchemaEmitter
{
    public static void Emit(SourceWriter w, string compressed)
    {
        w.Open("file static class CatalogSchemas");
        w.Line($"internal static readonly __Rt.EventSchemaTable Table = new({SourceWriter.Literal(compressed)}u8);");
        w.Close();
    }
}
