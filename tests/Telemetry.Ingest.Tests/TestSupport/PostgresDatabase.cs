using Npgsql;

namespace Telemetry.Ingest.Tests.TestSupport;

/// <summary>
/// PostgreSQL for tests: the server named by env TELEMETRY_TEST_POSTGRES (e.g.
/// "Host=127.0.0.1;Username=postgres;Password=postgres;Database=telemetry_test"). Each test gets a fresh database,
/// dropped afterwards. Without the variable the tests are skipped locally and fail under CI=true.
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    public const string Variable = "TELEMETRY_TEST_POSTGRES";

    private readonly string _admin;
    private readonly string _name;

    private PostgresDatabase(string admin, string name, string connectionString)
    {
        _admin = admin;
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static string? Configured => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } v ? v : null;

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var configured = Configured ?? throw new InvalidOperationException(
            $"{Variable} is not set. Under CI=true the PostgreSQL tests must run: start PostgreSQL and set {Variable} (see docs/ingest.md).");
        var builder = new NpgsqlConnectionStringBuilder(configured);
        var name = "ingest_test_" + Guid.NewGuid().ToString("N")[..12];
        var admin = new NpgsqlConnectionStringBuilder(configured) { Database = "postgres", Pooling = false }.ConnectionString;
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        builder.Database = name;
        return new PostgresDatabase(admin, name, builder.ConnectionString);
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>A fact that needs PostgreSQL: skipped with a message when TELEMETRY_TEST_POSTGRES is unset, unless CI=true (then it runs and fails).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresDatabase.Configured is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = $"PostgreSQL tests need {PostgresDatabase.Variable} (e.g. \"Host=127.0.0.1;Username=postgres;Password=postgres;Database=telemetry_test\"); not set, so skipped. Under CI=true they fail instead.";
        }
    }
}
