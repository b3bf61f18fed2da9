using System.Linq;

namespace Telemetry.Generators;

/// <summary>Writes an event's readonly record struct: constructor (PII treatments applied), properties, descriptor and writer.</summary>
internal static class EventEmitter
{
    public static void Emit(SourceWriter w, EventModel e)
    {
        w.Doc("summary", e.Summary);
        w.Line("/// <remarks>" + (e.Trigger is null ? string.Empty : SourceWriter.Escape("Trigger: " + e.Trigger) + " ") + e.Facts + "</remarks>");
        w.Line(FileEmitter.GeneratedCode);
        foreach (var a in e.Attributes) w.Line("[" + a + "]");
        FileEmitter.Lifecycle(w, e.Lifecycle);
        w.Open($"public readonly partial record struct {e.TypeName} : __Rt.ITelemetryEvent<{e.TypeName}>");
        w.Line($"/// <summary>Creates a <c>{SourceWriter.Escape(e.Name)}</c> event. PII treatments apply here: raw personal data is never stored in the struct.</summary>");
        w.Open($"public {e.TypeName}({string.Join(", ", Parameters(e))})");
        if (e.NeedsPrivacy) w.Line("global::System.ArgumentNullException.ThrowIfNull(privacy);");
        foreach (var p in e.Properties) w.Line(p.Assignment);
        w.Close();
        foreach (var p in e.Properties.Where(p => p.Sent))
        {
            w.Line();
            w.Doc("summary", p.MemberDoc);
            if (p.PersonalDataAttribute is not null) w.Line("[" + p.PersonalDataAttribute + "]");
            w.Line($"public {p.StoredType} {p.Member} {{ get; }}");
        }

        w.Line();
        w.Line($"public static __Rt.EventDescriptor Descriptor {{ get; }} = new({e.DescriptorArguments});");
        w.Line();
        w.Open("public void WriteProperties(global::System.Text.Json.Utf8JsonWriter writer)");
        if (e.Properties.Any(p => p.Sent)) w.Line("var d = Descriptor;");
        foreach (var p in e.Properties.Where(p => p.Sent)) Write(w, p);
        w.Close();
        w.Close();
        w.Line();
    }

    /// <summary>The constructor's (and Track method's) parameters: the privacy protector when a property is hashed, then required, then optional.</summary>
    internal static System.Collections.Generic.IEnumerable<string> Parameters(EventModel e)
    {
        if (e.NeedsPrivacy) yield return "__Rt.IPersonalDataProtector privacy";
        foreach (var p in e.Properties.OrderBy(p => p.Order)) yield return $"{p.ParameterType} {p.Parameter}{(p.Required ? string.Empty : " = null")}";
    }

    private static void Write(SourceWriter w, PropertyModel p)
    {
        var name = $"d.EncodedPropertyName({p.WireIndex})";
        var member = "this." + p.Member;
        if (p.IsArray)
        {
            var local = "list" + p.Member;
            w.Line($"var {local} = {member};");
            w.Open(p.Required ? $"if ({local} is null) writer.WriteNull({name}); else" : $"if ({local} is not null)");
            w.Line($"writer.WriteStartArray({name});");
            w.Line($"for (var i = 0; i < {local}.Count; i++) {ValueWrite(p.Write, $"{local}[i]")};");
            w.Line("writer.WriteEndArray();");
            w.Close();
            return;
        }

        if (p.StoredNullable)
        {
            var local = "value" + p.Member;
            w.Line($"if ({member} is {{ }} {local}) {PropertyWrite(p.Write, name, local)};");
            return;
        }

        w.Line(PropertyWrite(p.Write, name, member) + ";");
    }

    private static string PropertyWrite(WriteKind kind, string name, string value) => kind switch
    {
        WriteKind.String => $"writer.WriteString({name}, {value})",
        WriteKind.Boolean => $"writer.WriteBoolean({name}, {value})",
        WriteKind.Number => $"writer.WriteNumber({name}, {value})",
        WriteKind.Duration => $"writer.WriteNumber({name}, {value}.TotalMilliseconds)",
        _ => $"writer.WriteString({name}, {value}.ToJsonText())",
    };

    private static string ValueWrite(WriteKind kind, string value) => kind switch
    {
        WriteKind.String => $"writer.WriteStringValue({value})",
        WriteKind.Boolean => $"writer.WriteBooleanValue({value})",
        WriteKind.Number => $"writer.WriteNumberValue({value})",
        WriteKind.Duration => $"writer.WriteNumberValue({value}.TotalMilliseconds)",
        _ => $"writer.WriteStringValue({value}.ToJsonText())",
    };
}
