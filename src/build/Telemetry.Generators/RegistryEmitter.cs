using System.Linq;

namespace Telemetry.Generators;

/// <summary>Writes TelemetryCatalog.g.cs: every generated event's descriptor, for lookups by name without reflection.</summary>
internal static class RegistryEmitter
{
    public const string HintName = Telemetry.Catalog.Model.GeneratedNames.Registry + ".g.cs";

    public static string Emit(CatalogIndex index, string ns)
    {
        var w = new SourceWriter();
        FileEmitter.Header(w, "from the catalog files.");
        w.Open($"namespace {ns}");
        w.Line("/// <summary>Every event of the project's telemetry catalog.</summary>");
        w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"Telemetry.Generators\", \"0.1.0\")]");
        w.Open($"public static partial class {Telemetry.Catalog.Model.GeneratedNames.Registry}");
        w.Line("/// <summary>Descriptors of all catalog events, in catalog file order.</summary>");
        w.Line("public static global::System.Collections.Generic.IReadOnlyList<global::Telemetry.Runtime.EventDescriptor> Events { get; } = new global::Telemetry.Runtime.EventDescriptor[]");
        w.Line("{");
        foreach (var entry in index.Registry)
        {
            var type = entry.Substring(0, entry.IndexOf('|'));
            w.Line($"    {type}.Descriptor,");
        }

        w.Line("};");
        w.Line();
        w.Line("private static readonly global::System.Collections.Generic.Dictionary<string, global::Telemetry.Runtime.EventDescriptor> s_byName = CreateIndex();");
        w.Line();
        w.Line("/// <summary>The descriptor of the event called <paramref name=\"name\"/>, or null.</summary>");
        w.Line("public static global::Telemetry.Runtime.EventDescriptor? Find(string name) => s_byName.TryGetValue(name, out var d) ? d : null;");
        w.Line();
        w.Open("private static global::System.Collections.Generic.Dictionary<string, global::Telemetry.Runtime.EventDescriptor> CreateIndex()");
        w.Line("var map = new global::System.Collections.Generic.Dictionary<string, global::Telemetry.Runtime.EventDescriptor>(global::System.StringComparer.Ordinal);");
        w.Line("foreach (var d in Events) map[d.Name] = d;");
        w.Line("return map;");
        w.Close();
        w.Close();
        w.Close();
        return w.ToString();
    }
}
