namespace Telemetry.Generators;

/// <summary>Writes an enum and its catalog-string helpers, which delegate to the runtime's <c>CatalogEnumValues</c> table.</summary>
internal static class EnumEmitter
{
    public static void Emit(SourceWriter w, EnumModel e)
    {
        w.Doc("summary", e.Summary);
        w.Line(FileEmitter.GeneratedCode);
        FileEmitter.Lifecycle(w, e.Lifecycle);
        w.Open($"public enum {e.TypeName}");
        foreach (var m in e.Members)
        {
            w.Line($"/// <summary>Catalog value <c>{SourceWriter.Escape(m.Value)}</c>.</summary>");
            w.Line(m.Member + ",");
        }

        w.Close();
        w.Line();
        w.Line($"/// <summary>Catalog strings of <see cref=\"{e.TypeName}\"/>.</summary>");
        w.Line(FileEmitter.GeneratedCode);
        FileEmitter.Lifecycle(w, e.Lifecycle);
        w.Open($"public static partial class {e.HelpersName}");
        w.Line($"private static readonly __Rt.CatalogEnumValues<{e.TypeName}> s_values = new({SourceWriter.Join(", ", System.Linq.Enumerable.Select(e.Members, m => SourceWriter.Literal(m.Value)))});");
        w.Line("/// <summary>The catalog string of <paramref name=\"value\"/>, as it goes on the wire.</summary>");
        w.Line($"public static string ToCatalogString(this {e.TypeName} value) => s_values.ToCatalogString(value);");
        w.Line("/// <summary>The catalog string, pre-encoded for <see cref=\"global::System.Text.Json.Utf8JsonWriter\"/>.</summary>");
        w.Line($"public static global::System.Text.Json.JsonEncodedText ToJsonText(this {e.TypeName} value) => s_values.ToJsonText(value);");
        w.Line("/// <summary>Parses a catalog string; false when it is not a member.</summary>");
        w.Line($"public static bool TryParse(string? text, out {e.TypeName} value) => s_values.TryParse(text, out value);");
        w.Close();
        w.Line();
    }
}
