using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Telemetry.Ingest.Dashboard;
using Telemetry.Ingest.Tests.TestSupport;

namespace Telemetry.Ingest.Dashboard.Tests.TestSupport;

/// <summary>
/// The ingest server with the dashboard on real Kestrel at 127.0.0.1 (free port), over the repository's catalog plus one
/// test event with a property classified as personal data and sent raw (account.contact.email).
/// </summary>
internal sealed partial class DashboardHost : IAsyncDisposable
{
    public const string WriteKey = "wk-dash-canary-7c1f0a9e";
    public const string AdminKey = "ak-dash-canary-3b8d44f2";

    /// <summary>An extra catalog file: personal data sent raw (with justification), so the tests can look for its values.</summary>
    public const string PiiCatalog = """
        feature: account
        description: Test-only account events with personal data.
        owner: test-team
        events:
          contact:
            description: The user left a contact address.
            trigger: Submitting the contact form.
            tier: B
            status: active
            sampling: 1.0
            properties:
              email:
                type: string
                description: Contact address.
                max_length: 40
                pii: email
                treatment: none
                justification: Needed to answer the user; test catalog only.
              channel:
                type: enum
                description: How to answer.
                values: [mail, phone]
        """;

    private readonly TempFolder _folder;
    private readonly PostgresDatabase? _postgres;

    private readonly System.Collections.Concurrent.ConcurrentQueue<SentResponse> _sent;

    private DashboardHost(WebApplication app, string address, TempFolder folder, PostgresDatabase? postgres, System.Collections.Concurrent.ConcurrentQueue<SentResponse> sent)
    {
        _sent = sent;
        App = app;
        BaseAddress = new Uri(address);
        _folder = folder;
        _postgres = postgres;
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WriteKey);
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => App.Services;

    public string DataPath => _folder.Path;

    public bool IsPostgres => _postgres is not null;

    public static async Task<DashboardHost> StartAsync(bool postgres = false, Action<DashboardOptions>? dashboard = null, TimeProvider? time = null)
    {
        var folder = new TempFolder();
        var catalog = Path.Combine(folder.Path, "catalog");
        Directory.CreateDirectory(catalog);
        foreach (var file in Directory.EnumerateFiles(Repo.Catalog, "*.yaml")) File.Copy(file, Path.Combine(catalog, Path.GetFileName(file)));
        File.WriteAllText(Path.Combine(catalog, "account.yaml"), PiiCatalog);
        var database = postgres ? await PostgresDatabase.CreateAsync() : null;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = folder.Path });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (time is not null) builder.Services.AddSingleton(time);
        builder.Services.AddTelemetryIngest(o =>
        {
            o.CatalogPath = catalog;
            o.Storage.DataPath = folder.Path;
            o.Storage.SqliteFullSync = false;
            o.Projects.Add(new ProjectOptions { Name = "test", WriteKey = WriteKey });
            o.AdminKey = AdminKey;
            o.RateLimit.PerKeyPermits = 100_000;
            o.RateLimit.PerIpPermits = 100_000;
            if (database is not null)
            {
                o.Storage.Provider = StorageProvider.Postgres;
                o.Storage.ConnectionString = database.ConnectionString;
            }
        });
        builder.Services.AddTelemetryDashboard(configure: o =>
        {
            o.RollupIntervalSeconds = 0.25;
            o.RollupSettleSeconds = 0;
            o.LiveRefreshSeconds = 0.5;
            dashboard?.Invoke(o);
        });
        var app = builder.Build();
        var sent = new System.Collections.Concurrent.ConcurrentQueue<SentResponse>();
        app.Use(async (context, next) =>
        {
            // Every response body the server sends, as sent (the tests look for personal data and keys in all of them).
            var copy = new MemoryStream();
            var original = context.Response.Body;
            context.Response.Body = new TeeStream(original, copy);
            try
            {
                await next(context);
            }
            finally
            {
                context.Response.Body = original;
                sent.Enqueue(new SentResponse(context.Request.Method, context.Request.Path + context.Request.QueryString, context.Response.StatusCode, Encoding.UTF8.GetString(copy.ToArray())));
            }
        });
        app.MapTelemetryIngest();
        app.MapTelemetryDashboard();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DashboardHost(app, address, folder, database, sent);
    }

    /// <summary>Every response the server sent so far: method, path with query, status and body.</summary>
    public IReadOnlyList<SentResponse> SentResponses => _sent.ToArray();

    public async Task<JsonNode> PostAsync(params JsonObject[] events)
    {
        using var response = await Client.PostAsync("/v1/batch", new StringContent(Events.Batch(events), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /v1/batch: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Folds everything stored so far into the rollup tables and writes the pending rejection summaries.</summary>
    public Task RollupAsync() => Services.GetRequiredService<DashboardRollup>().RunOnceAsync(CancellationToken.None);

    /// <summary>A scalar from the event store's own database (the truth the dashboard is compared with).</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        if (_postgres is not null)
        {
            await using var c = new NpgsqlConnection(_postgres.ConnectionString);
            await c.OpenAsync();
            await using var command = new NpgsqlCommand(sql, c);
            var v = await command.ExecuteScalarAsync();
            return v is null or DBNull ? 0 : Convert.ToInt64(v);
        }

        await using var s = new SqliteConnection("Data Source=" + Path.Combine(_folder.Path, "ingest.db"));
        await s.OpenAsync();
        await using var sc = s.CreateCommand();
        sc.CommandText = sql;
        var value = await sc.ExecuteScalarAsync();
        return value is null or DBNull ? 0 : Convert.ToInt64(value);
    }

    /// <summary>Rows of a query on the event store's database, every column as text.</summary>
    public async Task<List<string[]>> RowsAsync(string sql)
    {
        var result = new List<string[]>();
        System.Data.Common.DbConnection c = _postgres is not null
            ? new NpgsqlConnection(_postgres.ConnectionString)
            : new SqliteConnection("Data Source=" + Path.Combine(_folder.Path, "ingest.db"));
        await using (c)
        {
            await c.OpenAsync();
            await using var command = c.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var row = new string[reader.FieldCount];
                for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!;
                result.Add(row);
            }
        }

        return result;
    }

    /// <summary>A client with its own cookie jar, not following redirects.</summary>
    public (HttpClient Client, CookieContainer Cookies) Browserless()
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        return (client, cookies);
    }

    /// <summary>Gets the sign-in form, then posts <paramref name="key"/> with its antiforgery token.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string key, bool withToken = true)
    {
        var page = await client.GetStringAsync("/dashboard/login");
        var fields = new List<KeyValuePair<string, string>> { new("key", key) };
        if (withToken)
        {
            var m = TokenField().Match(page);
            Assert.True(m.Success, "no antiforgery field on the sign-in page");
            fields.Add(new(m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value)));
        }

        return await client.PostAsync("/dashboard/login", new FormUrlEncodedContent(fields));
    }

    public static string? Token(string html) => TokenField().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[2].Value) : null;

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">")]
    private static partial Regex TokenField();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_postgres is not null) await _postgres.DisposeAsync();
        _folder.Dispose();
    }
}

/// <summary>A response as the server sent it.</summary>
internal sealed record SentResponse(string Method, string Path, int Status, string Body);

/// <summary>Writes to the response and to a copy.</summary>
internal sealed class TeeStream(Stream inner, Stream copy) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (copy) copy.Write(buffer, offset, count);
        inner.Write(buffer, offset, count);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (copy) copy.Write(buffer.Span);
        await inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
}
