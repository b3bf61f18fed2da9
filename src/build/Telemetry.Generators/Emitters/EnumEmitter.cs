namespace Telemetry.Generators;

/// <summary>
/// Writes an enum (one line) and its helpers class: the runtime's <c>CatalogEnumValues</c> table (<c>Values</c>: what the
/// event writers and <c>TryParse</c> use) and the <c>ToCatalogString()</c> extension.
/// </summary>
internal static class EnumEmitter
{
    public static void Emit(SourceWriter w, EnumModel e)
    {
        // The members' catalog strings are in the helpers' table, one line; no per-member docs.
        w.Doc("summary", e.Summary);
        FileEmitter.Lifecycle(w, e.Lifecycle);
        w.Line($"public enum {e.TypeName} {{ {string.Join(", ", System.Linq.Enumerable.Select(e.Members, m => m.Member))} }}");
        w.Line();
        // The helpers class and its members carry no XML docs: the same for every enum, documented in docs/catalog-format.md.
        FileEmitter.Lifecycle(w, e.Lifecycle);
        w.Open($"public static partial class {e.HelpersName}");
        w.Line($"public static readonly __Rt.CatalogEnumValues<{e.TypeName}> Values = new({SourceWriter.Join(", ", System.Linq.Enumerable.Select(e.Members, m => SourceWriter.Literal(m.Value)))});");
        w.Line($"public static string ToCatalogString(this {e.TypeName} value) => Values.ToCatalogString(value);");
        w.Close();
        w.Line();
    }
}
