using System;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace Telemetry.Ingest.Dashboard;

/// <summary>
/// The dashboard's sign-in session: an HttpOnly, SameSite=Strict cookie (Secure unless the request is plain HTTP from
/// a loopback address) holding a data-protected, time-limited ticket. The ticket carries a session id and the id of the
/// admin key it was opened with (a hash prefix, never the key), so changing the admin key ends every session.
/// </summary>
internal sealed class DashboardSession
{
    internal const string CookieName = "telemetry_dashboard_session";

    private readonly ITimeLimitedDataProtector _protector;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;

    public DashboardSession(IDataProtectionProvider provider, TimeProvider time, TimeSpan lifetime)
    {
        _protector = provider.CreateProtector("Telemetry.Ingest.Dashboard.Session.v1").ToTimeLimitedDataProtector();
        _time = time;
        _lifetime = lifetime <= TimeSpan.Zero ? TimeSpan.FromHours(8) : lifetime;
    }

    /// <summary>The non-reversible id of an admin key (first 16 hex digits of its SHA-256).</summary>
    public static string KeyId(string adminKey) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(adminKey)), 0, 8).ToLowerInvariant();

    /// <summary>True when the request may carry a cookie without the Secure attribute: plain HTTP from and to a loopback address.</summary>
    public static bool IsLoopbackHttp(HttpContext context) =>
        !context.Request.IsHttps
        && context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)
        && (context.Connection.LocalIpAddress is null || IPAddress.IsLoopback(context.Connection.LocalIpAddress));

    /// <summary>Issues the session cookie for the admin key <paramref name="adminKey"/>.</summary>
    public void SignIn(HttpContext context, string adminKey)
    {
        var expires = _time.GetUtcNow() + _lifetime;
        var sessionId = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var ticket = _protector.Protect("v1|" + KeyId(adminKey) + "|" + sessionId, expires);
        context.Response.Cookies.Append(CookieName, ticket, Options(context, expires));
    }

    /// <summary>Removes the session cookie.</summary>
    public static void SignOut(HttpContext context) =>
        context.Response.Cookies.Delete(CookieName, Options(context, DateTimeOffset.UnixEpoch));

    /// <summary>The session id of a valid, unexpired ticket opened with the current admin key; null otherwise.</summary>
    public string? Validate(HttpContext context, string? currentAdminKey)
    {
        if (string.IsNullOrEmpty(currentAdminKey)) return null;
        if (!context.Request.Cookies.TryGetValue(CookieName, out var ticket) || string.IsNullOrEmpty(ticket)) return null;
        try
        {
            var text = _protector.Unprotect(ticket, out var expiration);
            if (expiration <= _time.GetUtcNow()) return null;
            var parts = text.Split('|');
            if (parts.Length != 3 || parts[0] != "v1" || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[1]), Encoding.ASCII.GetBytes(KeyId(currentAdminKey)))) return null;
            return parts[2];
        }
        catch (CryptographicException)
        {
            return null; // forged, expired or from another key ring
        }
    }

    private static CookieOptions Options(HttpContext context, DateTimeOffset expires) => new()
    {
        HttpOnly = true,
        Secure = !IsLoopbackHttp(context),
        SameSite = SameSiteMode.Strict,
        Path = context.Request.PathBase.Add(DashboardEndpoints.Root).Value,
        Expires = expires,
        IsEssential = true,
    };
}
