using System.Text.RegularExpressions;

namespace Telemetry.Catalog.Parsing;

/// <summary>The naming rule of catalog names (TEL0003): events and metrics, identifiers (features, properties), enum values.</summary>
internal static class NamePatterns
{
    /// <summary><c>&lt;feature&gt;.&lt;action&gt;</c> in lowercase snake case.</summary>
    public static readonly Regex EventNamePattern = new(@"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$", RegexOptions.CultureInvariant);

    /// <summary>Lowercase snake case.</summary>
    public static readonly Regex IdentifierPattern = new(@"^[a-z][a-z0-9_]*$", RegexOptions.CultureInvariant);

    /// <summary>Lowercase snake case that may start with a digit.</summary>
    public static readonly Regex EnumValuePattern = new(@"^[a-z0-9][a-z0-9_]*$", RegexOptions.CultureInvariant);
}
