using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Telemetry.Generators.Tests.TestSupport;
using Telemetry.Runtime;

namespace Telemetry.Generators.Tests.GeneratedCode;

/// <summary>Every PII treatment, executed: what leaves the process for length, hash, drop, redact and justified raw values.</summary>
public sealed class PiiTreatmentExecutionTests
{
    private const string DriverSource = """
        using Telemetry.Events;
        using Telemetry.Runtime;

        public static class Driver
        {
            public static void Submit(ITelemetryClient client, string message, string email, string? phone, string? name, string? account, string? backupEmail) =>
                client.TrackSupportTicketSubmit(SupportTicketSubmitCategory.Billing, message, email,
                    phoneNumber: phone, customerName: name, accountRef: account, backupEmail: backupEmail);

            public static EventDescriptor Descriptor() => SupportTicketSubmit.Descriptor;
        }
        """;

    private static readonly byte[] Key = Encoding.UTF8.GetBytes("0123456789abcdef0123456789abcdef");

    private static readonly Lazy<GeneratedAssembly> Assembly = new(() =>
        GeneratedAssembly.Build(new[] { TestCatalogs.SnapshotCases["PiiEvent"] }, DriverSource, "PiiTreatmentDriver"));

    private delegate void Submit(ITelemetryClient client, string message, string email, string? phone, string? name, string? account, string? backupEmail);

    [Fact]
    public void Each_treatment_sends_only_what_the_catalog_allows()
    {
        using var client = new InMemoryTelemetryClient(new TelemetryClientOptions { UserId = "user-1", Privacy = new HmacPersonalDataProtector(Key) });

        Assembly.Value.Method<Submit>("Driver", "Submit")(client, "My card was charged twice", "jane.doe@example.com", "+1 555 0100", "Jane Doe", "acct-991", null);

        var json = Assert.Single(client.Events);
        using var doc = JsonDocument.Parse(json);
        var e = doc.RootElement;
        Assert.Equal("billing", e.GetProperty("category").GetString());
        Assert.Equal("My card was charged twice".Length, e.GetProperty("message_length").GetInt32());
        Assert.Equal(Hmac("jane.doe@example.com"), e.GetProperty("contact_email").GetString());
        Assert.Matches("^[0-9a-f]{64}$", e.GetProperty("contact_email").GetString());
        Assert.False(e.TryGetProperty("phone_number", out _));
        Assert.Equal(PersonalData.RedactedMarker, e.GetProperty("customer_name").GetString());
        Assert.Equal("acct-991", e.GetProperty("account_ref").GetString());
        Assert.False(e.TryGetProperty("backup_email", out _));
        Assert.False(e.TryGetProperty("message", out _));
        foreach (var raw in new[] { "charged", "jane.doe", "example.com", "555 0100", "5550100", "Jane Doe" }) Assert.DoesNotContain(raw, json, StringComparison.Ordinal);

        var errors = EventSchemaValidator.Validate(json, Assembly.Value.Method<Func<EventDescriptor>>("Driver", "Descriptor")().JsonSchema);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void Optional_hashed_value_is_hashed_when_present()
    {
        using var client = new InMemoryTelemetryClient(new TelemetryClientOptions { UserId = "user-1", Privacy = new HmacPersonalDataProtector(Key) });

        Assembly.Value.Method<Submit>("Driver", "Submit")(client, "", "a@example.com", null, null, null, "b@example.com");

        using var doc = JsonDocument.Parse(Assert.Single(client.Events));
        Assert.Equal(Hmac("b@example.com"), doc.RootElement.GetProperty("backup_email").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("message_length").GetInt32());
        Assert.False(doc.RootElement.TryGetProperty("customer_name", out _));
        Assert.False(doc.RootElement.TryGetProperty("account_ref", out _));
    }

    [Fact]
    public void Descriptor_lists_wire_names_after_treatment_and_omits_dropped_properties()
    {
        var descriptor = Assembly.Value.Method<Func<EventDescriptor>>("Driver", "Descriptor")();

        Assert.Equal(
            new[] { "category", "message_length", "contact_email", "customer_name", "account_ref", "backup_email" },
            descriptor.Properties.Select(p => p.Name));
        Assert.Equal(PiiTreatment.Hash, descriptor.Properties.Single(p => p.Name == "contact_email").Treatment);
        Assert.Equal(PiiClass.FreeText, descriptor.Properties.Single(p => p.Name == "message_length").Pii);
    }

    private static string Hmac(string value) => Convert.ToHexString(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(value))).ToLowerInvariant();
}
