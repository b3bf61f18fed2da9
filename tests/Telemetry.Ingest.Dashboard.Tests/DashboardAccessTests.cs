using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Telemetry.Ingest.Dashboard.Tests.TestSupport;
using Telemetry.Ingest.Tests.TestSupport;

namespace Telemetry.Ingest.Dashboard.Tests;

/// <summary>Who gets in: the admin key through the form, with antiforgery; never a write key; the session cookie's attributes and expiry.</summary>
public sealed class DashboardAccessTests
{
    private static readonly string[] Pages = { "/dashboard", "/dashboard/coverage", "/dashboard/validation", "/dashboard/events", "/dashboard/events/chart.zoom", "/dashboard/cost", "/dashboard/heatmap", "/dashboard/errors" };

    [Fact]
    public async Task Every_view_redirects_to_sign_in_without_a_session_and_the_live_feed_answers_401()
    {
        await using var host = await DashboardHost.StartAsync();
        var (client, _) = host.Browserless();
        foreach (var page in Pages)
        {
            using var response = await client.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.EndsWith("/dashboard/login", response.Headers.Location!.ToString());
        }

        using var live = await client.GetAsync("/dashboard/api/live");
        Assert.Equal(HttpStatusCode.Unauthorized, live.StatusCode);

        // The admin key as a header opens /admin, not the dashboard: the dashboard takes only its own session.
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", DashboardHost.AdminKey);
        using var withHeader = await client.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, withHeader.StatusCode);
    }

    [Theory]
    [InlineData(DashboardHost.WriteKey)]
    [InlineData("wrong-key")]
    [InlineData("")]
    public async Task A_write_key_a_wrong_key_or_no_key_cannot_sign_in(string key)
    {
        await using var host = await DashboardHost.StartAsync();
        var (client, cookies) = host.Browserless();
        using var response = await DashboardHost.SignInAsync(client, key);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(cookies.GetAllCookies(), c => c.Name == "telemetry_dashboard_session");
        var body = await response.Content.ReadAsStringAsync();
        if (key.Length > 0) Assert.DoesNotContain(key, body);
        using var page = await client.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    [Fact]
    public async Task Sign_in_without_the_antiforgery_token_is_refused()
    {
        await using var host = await DashboardHost.StartAsync();
        var (client, cookies) = host.Browserless();
        using var response = await DashboardHost.SignInAsync(client, DashboardHost.AdminKey, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(cookies.GetAllCookies(), c => c.Name == "telemetry_dashboard_session");
    }

    [Fact]
    public async Task The_admin_key_opens_a_session_cookie_that_is_HttpOnly_SameSite_Strict_and_expires_and_the_key_appears_nowhere()
    {
        await using var host = await DashboardHost.StartAsync(dashboard: o => o.SessionLifetime = TimeSpan.FromHours(2));
        var (client, cookies) = host.Browserless();
        using var response = await DashboardHost.SignInAsync(client, DashboardHost.AdminKey);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/dashboard", response.Headers.Location!.ToString());
        var header = response.Headers.GetValues("Set-Cookie").Single(h => h.StartsWith("telemetry_dashboard_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", header, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", header, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("expires=", header, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/dashboard", header, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(DashboardHost.AdminKey, header);
        var expires = cookies.GetAllCookies().Single(c => c.Name == "telemetry_dashboard_session").Expires.ToUniversalTime();
        Assert.InRange(expires, DateTime.UtcNow.AddHours(2).AddMinutes(-2), DateTime.UtcNow.AddHours(2).AddMinutes(2));

        foreach (var page in Pages)
        {
            using var r = await client.GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.True(r.Headers.CacheControl!.NoStore, "Cache-Control: no-store");
            Assert.Contains("frame-ancestors 'none'", string.Join(";", r.Headers.GetValues("Content-Security-Policy")));
            var html = await r.Content.ReadAsStringAsync();
            Assert.DoesNotContain(DashboardHost.AdminKey, html);
            Assert.DoesNotContain(DashboardHost.WriteKey, html);
        }
    }

    [Fact]
    public async Task Sign_out_needs_the_form_token_and_ends_the_session()
    {
        await using var host = await DashboardHost.StartAsync();
        var (client, _) = host.Browserless();
        (await DashboardHost.SignInAsync(client, DashboardHost.AdminKey)).Dispose();
        var html = await client.GetStringAsync("/dashboard");

        // A cross-site form post has the cookies (SameSite aside) but not the token.
        using (var forged = await client.PostAsync("/dashboard/logout", new FormUrlEncodedContent(Array.Empty<KeyValuePair<string, string>>())))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        using (var still = await client.GetAsync("/dashboard")) Assert.Equal(HttpStatusCode.OK, still.StatusCode);
        using var logout = await client.PostAsync("/dashboard/logout", new FormUrlEncodedContent(new[] { new KeyValuePair<string, string>("__RequestVerificationToken", DashboardHost.Token(html)!) }));
        Assert.Equal(HttpStatusCode.SeeOther, logout.StatusCode);
        using var after = await client.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task Resolving_an_error_issue_needs_a_session_and_the_form_token()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.PostAsync(KnownEvents.Error(KnownEvents.FingerprintB, "System.IO.IOException", "Disk full", "user-1", "s-1", "2.0.0", DateTimeOffset.UtcNow, 0));
        var form = new[] { new KeyValuePair<string, string>("project", "test"), new KeyValuePair<string, string>("fingerprint", KnownEvents.FingerprintB) };
        async Task<long> Resolved() => await host.ScalarAsync("SELECT COUNT(*) FROM error_issues WHERE resolved_at IS NOT NULL");

        // No session: sent to sign in, nothing changes.
        var (anonymous, _) = host.Browserless();
        using (var r = await anonymous.PostAsync("/dashboard/errors/resolve", new FormUrlEncodedContent(form)))
        {
            Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode);
            Assert.EndsWith("/dashboard/login", r.Headers.Location!.ToString());
        }

        // A session but no token (a cross-site form): 400, nothing changes.
        var (client, _) = host.Browserless();
        (await DashboardHost.SignInAsync(client, DashboardHost.AdminKey)).Dispose();
        var html = await client.GetStringAsync("/dashboard/errors");
        Assert.Contains(KnownEvents.FingerprintB, html);
        using (var r = await client.PostAsync("/dashboard/errors/resolve", new FormUrlEncodedContent(form))) Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal(0, await Resolved());

        // The view's own form: resolved, back to the open list.
        var token = new KeyValuePair<string, string>("__RequestVerificationToken", DashboardHost.Token(html)!);
        using (var r = await client.PostAsync("/dashboard/errors/resolve", new FormUrlEncodedContent(form.Append(token))))
        {
            Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode);
            Assert.Equal("/dashboard/errors?status=open", r.Headers.Location!.ToString());
        }

        Assert.Equal(1, await Resolved());
        Assert.DoesNotContain(KnownEvents.FingerprintB, await client.GetStringAsync("/dashboard/errors"));
        Assert.Contains(KnownEvents.FingerprintB, await client.GetStringAsync("/dashboard/errors?status=resolved"));

        // An unknown issue is a 404; reopen brings it back.
        using (var r = await client.PostAsync("/dashboard/errors/resolve", new FormUrlEncodedContent(new[] { form[0], new("fingerprint", "0000000000000000"), token })))
        {
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        }

        using (var r = await client.PostAsync("/dashboard/errors/reopen", new FormUrlEncodedContent(form.Append(token)))) Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode);
        Assert.Equal(0, await Resolved());
    }

    [Fact]
    public void A_session_ends_at_its_expiry_and_when_the_admin_key_changes_and_a_forged_ticket_opens_nothing()
    {
        var clock = new ManualClock();
        var session = new DashboardSession(new EphemeralDataProtectionProvider(), clock, TimeSpan.FromHours(1));
        var signIn = Loopback();
        session.SignIn(signIn, "admin-1");
        var cookie = signIn.Response.Headers.SetCookie.ToString();
        var ticket = cookie.Substring(cookie.IndexOf('=') + 1, cookie.IndexOf(';') - cookie.IndexOf('=') - 1);

        HttpContext Request(string value)
        {
            var c = Loopback();
            c.Request.Headers.Cookie = DashboardSession.CookieName + "=" + value;
            return c;
        }

        Assert.NotNull(session.Validate(Request(ticket), "admin-1"));
        Assert.Null(session.Validate(Request(ticket), "admin-2"));
        Assert.Null(session.Validate(Request(ticket), null));
        Assert.Null(session.Validate(Request(ticket.Substring(0, ticket.Length - 4) + "AAAA"), "admin-1"));
        Assert.Null(session.Validate(Request("not-a-ticket"), "admin-1"));
        clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Null(session.Validate(Request(ticket), "admin-1"));
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", false, false)]
    [InlineData("::1", "::1", false, false)]
    [InlineData("127.0.0.1", "127.0.0.1", true, true)]
    [InlineData("10.1.2.3", "10.1.2.4", false, true)]
    [InlineData("10.1.2.3", "10.1.2.4", true, true)]
    public void The_session_cookie_is_Secure_except_for_plain_HTTP_on_loopback(string remote, string local, bool https, bool secure)
    {
        var session = new DashboardSession(new EphemeralDataProtectionProvider(), TimeProvider.System, TimeSpan.FromHours(1));
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        context.Connection.LocalIpAddress = IPAddress.Parse(local);
        context.Request.Scheme = https ? "https" : "http";
        session.SignIn(context, "admin");
        var header = context.Response.Headers.SetCookie.ToString();
        Assert.Equal(secure, header.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("httponly", header, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", header, StringComparison.OrdinalIgnoreCase);
    }

    private static DefaultHttpContext Loopback()
    {
        var c = new DefaultHttpContext();
        c.Connection.RemoteIpAddress = IPAddress.Loopback;
        c.Connection.LocalIpAddress = IPAddress.Loopback;
        return c;
    }
}
