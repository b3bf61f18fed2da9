using System.Net;
using System.Net.Sockets;

namespace Telemetry.Ingest.Enrichment;

/// <summary>
/// Truncates client addresses before they are stored: IPv4 keeps its first 24 bits (last octet zeroed),
/// IPv6 keeps its first 48 bits (last 80 bits zeroed), the same truncation Google Analytics and Matomo use.
/// IPv4-mapped IPv6 addresses are treated as IPv4.
/// </summary>
internal static class IpAnonymizer
{
    /// <summary>The anonymised text form of <paramref name="address"/>, or null when there is none.</summary>
    public static string? Anonymize(IPAddress? address)
    {
        if (address is null) return null;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            bytes[3] = 0;
        }
        else
        {
            for (var i = 6; i < bytes.Length; i++) bytes[i] = 0;
        }

        return new IPAddress(bytes).ToString();
    }
}
