using System.Globalization;
using System.Text;

namespace Telemetry.Ingest.Validation;

/// <summary>Builds JSON paths such as <c>$.events[3].price</c> (bracket notation for names that are not identifiers).</summary>
internal static class JsonPath
{
    public static string Index(string basePath, int index) => basePath + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    public static string Property(string basePath, string name)
    {
        if (IsIdentifier(name)) return basePath + "." + name;
        var b = new StringBuilder(basePath.Length + name.Length + 6).Append(basePath).Append("['");
        foreach (var c in name.Length > 100 ? name.Substring(0, 100) : name)
        {
            if (c is '\'' or '\\') b.Append('\\');
            if (char.IsControl(c)) b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else b.Append(c);
        }

        return b.Append("']").ToString();
    }

    private static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || name.Length > 100) return false;
        if (!(char.IsAsciiLetter(name[0]) || name[0] == '_')) return false;
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_')) return false;
        }

        return true;
    }
}
