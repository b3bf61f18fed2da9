using System.Linq;

namespace Telemetry.Generators;

/// <summary>
/// Writes an event's readonly struct: primary constructor, readonly fields (PII treatments applied), descriptor and writer.
/// A plain struct with fields, not a record struct with properties: the compiler writes no equality, hashing, printing,
/// getters or backing fields per event, which is most of what an event used to weigh in the assembly.
/// </summary>
internal static class EventEmitter
{
    public static void Emit(SourceWriter w, EventModel e)
    {
        w.Doc("summary", e.Summary);
        var remarks = ((e.Trigger is null ? string.Empty : SourceWriter.Escape("Trigger: " + e.Trigger) + " ") + e.Facts).Trim();
        if (remarks.Length > 0) w.Line("/// <remarks>" + remarks + "</remarks>");
        foreach (var a in e.Attributes) w.Line("[" + a + "]");
        FileEmitter.Lifecycle(w, e.Lifecycle);
        // A primary constructor: each field is initialized from its parameter (PII treatments applied in the initializer);
        // the parameter of a dropped property is read by nothing (CS9113, disabled in the file header).
        w.Open($"public readonly partial struct {e.TypeName}({string.Join(", ", Parameters(e))}) : __Rt.ITelemetryEvent<{e.TypeName}>");
        foreach (var p in e.Properties.Where(p => p.Sent))
        {
            w.Doc("summary", p.MemberDoc);
            if (p.PersonalDataAttribute is not null) w.Line("[" + p.PersonalDataAttribute + "]");
            w.Line($"public readonly {p.StoredType} {p.Member} = {p.Initializer};");
        }

        w.Line($"public static __Rt.EventDescriptor Descriptor {{ get; }} = new({e.DescriptorArguments});");
        w.Line();
        w.Open("public void WriteProperties(__Json.Utf8JsonWriter writer)");
        if (e.Properties.Any(p => p.Sent && !p.IsArray)) w.Line("var w = new __Rt.EventPropertyWriter(writer, Descriptor);");
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
        var name = $"Descriptor.EncodedPropertyName({p.WireIndex})";
        var member = p.Member;
        if (p.IsArray)
        {
            var local = "list" + p.Member;
            w.Line($"var {local} = {member};");
            w.Open(p.Required ? $"if ({local} is null) writer.WriteNull({name}); else" : $"if ({local} is not null)");
            w.Line($"writer.WriteStartArray({name});");
            w.Line($"for (var i = 0; i < {local}.Count; i++) {ValueWrite(p, $"{local}[i]")};");
            w.Line("writer.WriteEndArray();");
            w.Close();
            return;
        }

        // One writer call per property; the overload of the stored type writes nothing for an absent optional value.
        w.Line(p.Write switch
        {
            WriteKind.String when p.StoredNullable && p.StoredType == "string?" => $"w.OptionalString({p.WireIndex}, {member});",
            WriteKind.String => $"w.String({p.WireIndex}, {member});",
            WriteKind.Boolean => $"w.Boolean({p.WireIndex}, {member});",
            WriteKind.Number or WriteKind.Duration => $"w.Number({p.WireIndex}, {member});",
            _ => $"w.Enum({p.WireIndex}, {p.EnumHelpers}.Values, {member});",
        });
    }

    private static string ValueWrite(PropertyModel p, string value) => p.Write switch
    {
        WriteKind.String => $"writer.WriteStringValue({value})",
        WriteKind.Boolean => $"writer.WriteBooleanValue({value})",
        WriteKind.Number => $"writer.WriteNumberValue({value})",
        WriteKind.Duration => $"writer.WriteNumberValue({value}.TotalMilliseconds)",
        _ => $"writer.WriteStringValue({p.EnumHelpers}.Values.ToJsonText({value}))",
    };
}
