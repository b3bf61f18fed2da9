using System.Text;

namespace Telemetry.Catalog.Model;

/// <summary>How catalog names become C# names. One place, so the generator, analyzers and tools agree.</summary>
public static class Naming
{
    /// <summary><c>watchlist.add</c> -> <c>WatchlistAdd</c>; <c>ocr_extraction</c> -> <c>OcrExtraction</c>.</summary>
    public static string Pascal(string name)
    {
        var sb = new StringBuilder(name.Length);
        var upper = true;
        foreach (var c in name)
        {
            if (c == '.' || c == '_' || c == '-' || c == ' ')
            {
                upper = true;
                continue;
            }

            sb.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return sb.ToString();
    }

    /// <summary><c>rule_version</c> -> <c>ruleVersion</c>.</summary>
    public static string Camel(string name)
    {
        var pascal = Pascal(name);
        return pascal.Length == 0 ? pascal : char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
    }

    private static readonly string[] ReservedMembers =
    {
        "descriptor", "write_properties", "equals", "to_string", "get_hash_code", "print_members", "equality_contract",
        "deconstruct", "get_type", "finalize", "member_wise_clone", "memberwise_clone",
    };

    /// <summary>True when a property name would generate a member the event struct already has.</summary>
    public static bool IsReservedMember(string wireName) => System.Array.IndexOf(ReservedMembers, wireName) >= 0;

    /// <summary>The record struct of an event: <c>watchlist.add</c> -> <c>WatchlistAdd</c>.</summary>
    public static string TypeName(string eventName) => Pascal(eventName);

    /// <summary>The Track method of an event: <c>watchlist.add</c> -> <c>TrackWatchlistAdd</c>.</summary>
    public static string TrackMethod(string eventName) => "Track" + Pascal(eventName);

    /// <summary>A C# enum member for a catalog enum value: <c>1h</c> -> <c>_1h</c>, <c>market</c> -> <c>Market</c>.</summary>
    public static string EnumMember(string value)
    {
        var pascal = Pascal(value);
        return pascal.Length > 0 && char.IsDigit(pascal[0]) ? "_" + pascal : pascal;
    }
}
