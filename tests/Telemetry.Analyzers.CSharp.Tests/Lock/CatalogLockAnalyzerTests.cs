using Microsoft.CodeAnalysis.Testing;
using Telemetry.Analyzers.CSharp.Tests.TestSupport;
using Telemetry.Catalog.Lock;
using Telemetry.Catalog.Parsing;
using Verify = Telemetry.Analyzers.CSharp.Tests.TestSupport.TelemetryAnalyzerTest<Telemetry.Analyzers.Lock.CatalogLockAnalyzer>;

namespace Telemetry.Analyzers.CSharp.Tests.Lock;

public class CatalogLockAnalyzerTests
{
    // Line 4: "  checkout:", 7: total, 8: method, 9: email, 10: coupon, 11: "  browse:".
    private const string Locked = """
        feature: shop
        description: Shop.
        events:
          checkout:
            description: Checkout.
            properties:
              total: { type: decimal }
              method: { type: enum, values: [card, cash, voucher] }
              email: { type: string, pii: email, treatment: redact }
              coupon: { type: string, required: false }
          browse:
            description: Browse.
            properties:
              page: { type: int32 }
        """;

    private static readonly string Lock = CatalogLock.Write(CatalogParser.Parse(TelemetryProject.PathOf("shop.yaml"), Locked).Events);

    private const string Code = "class C { }";

    private static Task VerifyAsync(string catalog, string? lockJson, params DiagnosticResult[] expected)
    {
        var project = new TelemetryProject().Catalog("shop.yaml", catalog);
        if (lockJson is not null) project.Lock(lockJson);
        return Verify.VerifyAsync(project, Code, expected);
    }

    private static DiagnosticResult Breaking(int line, int column, int endColumn, string why) =>
        new DiagnosticResult(Descriptors.BreakingChange)
            .WithSpan(TelemetryProject.PathOf("shop.yaml"), line, column, line, endColumn)
            .WithArguments($"Breaking change to 'shop.checkout' v1 against catalog.lock.json: {why}; bump 'version:' to 2 (or revert) and update the lock");

    [Fact]
    public Task Missing_lock_is_no_error() =>
        VerifyAsync(Locked.Replace("total: { type: decimal }", "total: { type: double }"), null);

    [Fact]
    public Task Unchanged_catalog_matches_its_lock() => VerifyAsync(Locked, Lock);

    [Fact]
    public Task Compatible_changes_are_no_error() =>
        VerifyAsync(
            Locked
                .Replace("values: [card, cash, voucher]", "values: [card, cash, voucher, crypto]")
                .Replace("      coupon:", "      referrer: { type: string, required: false }\n      coupon:"),
            Lock);

    [Fact]
    public Task Breaking_change_with_a_version_bump_is_no_error() =>
        VerifyAsync(Locked.Replace("    description: Checkout.", "    description: Checkout.\n    version: 2").Replace("total: { type: decimal }", "total: { type: double }"), Lock);

    [Fact]
    public Task Removed_property_is_reported_at_the_event() =>
        VerifyAsync(Locked.Replace("      coupon: { type: string, required: false }\n", ""), Lock,
            Breaking(4, 3, 11, "property 'coupon' was removed"));

    [Fact]
    public Task Type_change_is_reported_at_the_property() =>
        VerifyAsync(Locked.Replace("total: { type: decimal }", "total: { type: double }"), Lock,
            Breaking(7, 7, 12, "property 'total' changed type from decimal to double"));

    [Fact]
    public Task Property_made_required_and_new_required_property_are_reported() =>
        VerifyAsync(
            Locked.Replace("coupon: { type: string, required: false }", "coupon: { type: string }\n      channel: { type: string }"),
            Lock,
            Breaking(10, 7, 13, "property 'coupon' was made required"),
            Breaking(11, 7, 14, "new property 'channel' is required"));

    [Fact]
    public Task Removed_enum_member_is_reported() =>
        VerifyAsync(Locked.Replace("values: [card, cash, voucher]", "values: [card, cash]"), Lock,
            Breaking(8, 7, 13, "enum 'method' lost member(s) voucher"));

    [Fact]
    public Task Weakened_pii_treatment_is_reported() =>
        VerifyAsync(Locked.Replace("treatment: redact", "treatment: hash"), Lock,
            Breaking(9, 7, 12, "property 'email' has a weaker PII treatment (treatment redact -> treatment hash)"));

    [Fact]
    public Task Removed_event_is_reported_at_the_lock_file() =>
        VerifyAsync(Locked.Substring(0, Locked.IndexOf("  browse:", StringComparison.Ordinal)), Lock,
            new DiagnosticResult(Descriptors.BreakingChange)
                .WithSpan(TelemetryProject.LockPath, 4, 5, 4, 18)
                .WithArguments("Event 'shop.browse' was removed from the catalog; deprecate it first (status: deprecated), then remove it and update the lock"));

    [Fact]
    public Task Unreadable_lock_is_reported_at_the_lock_and_not_compared() =>
        VerifyAsync(Locked.Replace("total: { type: decimal }", "total: { type: double }"), "[1, 2]",
            new DiagnosticResult(Descriptors.InvalidStructure).WithSpan(TelemetryProject.LockPath, 1, 1, 1, 1)
                .WithArguments("The catalog lock is not a JSON object; regenerate it with the TelemetryUpdateLock target or 'telemetry-catalog lock'"));

    [Fact]
    public Task Catalog_with_errors_is_not_compared() =>
        VerifyAsync(Locked.Replace("total: { type: decimal }", "total: { type: money }"), Lock);
}
