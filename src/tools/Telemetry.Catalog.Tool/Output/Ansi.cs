namespace Telemetry.Catalog.Tool.Output;

/// <summary>ANSI colours, applied only when the run allows colour (a terminal, NO_COLOR unset).</summary>
internal static class Ansi
{
    public static string Red(string text, bool color) => Paint("31", text, color);

    public static string Yellow(string text, bool color) => Paint("33", text, color);

    private static string Paint(string code, string text, bool color) => color ? $"\u001b[{code}m{text}\u001b[0m" : text;
}
