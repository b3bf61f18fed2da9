using Microsoft.CodeAnalysis;
using Telemetry.Analyzers.Tests.TestSupport;
using Telemetry.Catalog.Model;
using static Telemetry.Analyzers.Tests.TestSupport.CatalogAnalyzerTest;

namespace Telemetry.Analyzers.Tests;

/// <summary>
/// One failing and one passing catalog per diagnostic ID, each failure located at the exact YAML span
/// (1-based line/column, end exclusive, as <c>dotnet build</c> prints it).
/// </summary>
public sealed class CatalogDiagnosticsAnalyzerTests
{
    [Fact]
    public Task TEL0001_TabIndentationIsReportedAtTheTab() => VerifyAsync(
        "feature: shop\nevents:\n\tcheckout: {}\n",
        Diagnostic(DiagnosticIds.InvalidYaml, "x.yaml", 3, 1, 3, 2));

    [Fact]
    public Task TEL0001_SpaceIndentationParses() => VerifyAsync(
        "feature: shop\nevents:\n  checkout: {}\n");

    [Fact]
    public Task TEL0001_AliasWithoutAnchorIsReportedAtTheAlias() => VerifyAsync(
        "feature: *nope\nevents: {}\n",
        Diagnostic(DiagnosticIds.InvalidYaml, "x.yaml", 1, 10, 1, 15));

    [Fact]
    public Task TEL0002_UnknownKeyIsReportedAtTheKey() => VerifyAsync(
        """
        feature: shop
        events:
          checkout:
            description: Checkout completed.
            sampel: 0.5
        """,
        Diagnostic(DiagnosticIds.InvalidStructure, "x.yaml", 5, 5, 5, 11));

    [Fact]
    public Task TEL0002_KnownKeyIsAccepted() => VerifyAsync(
        """
        feature: shop
        events:
          checkout:
            description: Checkout completed.
            sampling: 0.5
        """);

    [Fact]
    public Task TEL0003_UppercaseEventKeyIsReportedAtTheKey() => VerifyAsync(
        """
        feature: shop
        events:
          Checkout:
            description: Checkout completed.
        """,
        Diagnostic(DiagnosticIds.InvalidName, "x.yaml", 3, 3, 3, 11)
            .WithMessage("Event name 'shop.Checkout' breaks the naming rule: '<feature>.<action>' in lowercase snake case, matching ^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$"));

    [Fact]
    public Task TEL0003_SnakeCaseEventKeyIsAccepted() => VerifyAsync(
        """
        feature: shop
        events:
          checkout:
            description: Checkout completed.
        """);

    private const string ShopCheckout = """
        feature: shop
        events:
          checkout:
            description: Checkout completed.
        """;

    [Fact]
    public Task TEL0004_EventInTwoFilesIsReportedInTheLaterFile() => new CatalogAnalyzerTest()
        .WithCatalog("a.yaml", ShopCheckout)
        .WithCatalog("b.yaml", """
            feature: cart
            events:
              shop.checkout:
                description: Checkout from the cart.
            """)
        .Expect(Diagnostic(DiagnosticIds.DuplicateEvent, "b.yaml", 3, 3, 3, 16))
        .RunAsync();

    [Fact]
    public Task TEL0004_DistinctEventsInTwoFilesAreAccepted() => new CatalogAnalyzerTest()
        .WithCatalog("a.yaml", ShopCheckout)
        .WithCatalog("b.yaml", """
            feature: cart
            events:
              checkout:
                description: Checkout from the cart.
            """)
        .RunAsync();

    [Fact]
    public Task TEL0004_EventTwiceInOneFileIsReportedAtTheSecond() => VerifyAsync(
        """
        feature: shop
        events:
          checkout:
            description: a
          shop.checkout:
            description: b
        """,
        Diagnostic(DiagnosticIds.DuplicateEvent, "x.yaml", 5, 3, 5, 16));

    [Fact]
    public Task TEL0005_UnknownTypeIsReportedAtTheType() => VerifyAsync(
        """
        feature: shop
        events:
          checkout:
            properties:
              total: { type: strin }
        """,
        Diagnostic(DiagnosticIds.InvalidType, "x.yaml", 5, 22, 5, 27));

    [Fact]
    public Task TEL0005_KnownTypeIsAccepted() => VerifyAsync(
        """
        feature: shop
        events:
          checkout:
            properties:
              total: { type: decimal }
        """);

    [Fact]
    public Task TEL1001_UnclassifiedPiiIsAWarningAtTheProperty() => VerifyAsync(
        """
        feature: shop
        events:
          checkout:
            properties:
              email: string
        """,
        Diagnostic(DiagnosticIds.UnclassifiedPii, "x.yaml", 5, 7, 5, 12).WithSeverity(DiagnosticSeverity.Warning));

    [Fact]
    public Task TEL1001_ClassifiedPiiIsAccepted() => VerifyAsync(
        """
        feature: shop
        events:
          checkout:
            properties:
              email: { type: string, pii: email, treatment: hash }
        """);

    [Fact]
    public Task TEL1002_RawPiiWithoutJustificationIsReportedAtTheProperty() => VerifyAsync(
        """
        feature: shop
        events:
          checkout:
            properties:
              phone: { type: string, pii: phone, treatment: none }
        """,
        Diagnostic(DiagnosticIds.RawPiiWithoutJustification, "x.yaml", 5, 7, 5, 12));

    [Fact]
    public Task TEL1002_RawPiiWithJustificationIsAccepted() => VerifyAsync(
        """
        feature: shop
        events:
          checkout:
            properties:
              phone: { type: string, pii: phone, treatment: none, justification: Support calls the customer back. }
        """);

    [Fact]
    public Task TEL1003_SampledFinancialEventIsReportedAtTheSampling() => VerifyAsync(
        """
        feature: shop
        events:
          checkout:
            sensitivity: financial
            sampling: 0.5
        """,
        Diagnostic(DiagnosticIds.SensitiveEventSampled, "x.yaml", 5, 15, 5, 18));

    [Fact]
    public Task TEL1003_UnsampledFinancialEventIsAccepted() => VerifyAsync(
        """
        feature: shop
        events:
          checkout:
            sensitivity: financial
            sampling: 1.0
        """);

    [Fact]
    public Task TEL2001_UnsampledHighFrequencyEventIsReportedAtTheEvent() => VerifyAsync(
        """
        feature: shop
        events:
          hover:
            frequency: high
        """,
        Diagnostic(DiagnosticIds.UnsampledHighFrequency, "x.yaml", 3, 3, 3, 8));

    [Fact]
    public Task TEL2001_HighFrequencyEventSampledAtOnePercentIsAccepted() => VerifyAsync(
        """
        feature: shop
        events:
          hover:
            frequency: high
            sampling: 0.01
        """);

    [Fact]
    public Task TEL2002_SampledMetricIsReportedAtTheSamplingKey() => VerifyAsync(
        """
        feature: shop
        metrics:
          shop.latency:
            kind: histogram
            sampling: 0.5
        """,
        Diagnostic(DiagnosticIds.SampledMetric, "x.yaml", 5, 5, 5, 13));

    [Fact]
    public Task TEL2002_UnsampledMetricIsAccepted() => VerifyAsync(
        """
        feature: shop
        metrics:
          shop.latency:
            kind: histogram
        """);

    [Fact]
    public Task EachFilesDiagnosticsAreReportedInThatFile() => new CatalogAnalyzerTest()
        .WithCatalog("a.yaml", "feature: Shop\nevents: {}\n")
        .WithCatalog("b.yaml", "feature: cart\nevents:\n  checkout:\n    sampling: 2\n")
        .Expect(
            Diagnostic(DiagnosticIds.InvalidName, "a.yaml", 1, 10, 1, 14),
            Diagnostic(DiagnosticIds.InvalidType, "b.yaml", 4, 15, 4, 16))
        .RunAsync();

    [Fact]
    public async Task ShippedCatalogsHaveNoDiagnostics()
    {
        var test = new CatalogAnalyzerTest();
        foreach (var path in RepoPaths.ShippedCatalogs)
        {
            test.WithCatalog(Path.GetFileName(path), File.ReadAllText(path));
        }

        Assert.NotEmpty(RepoPaths.ShippedCatalogs);
        await test.RunAsync();
    }

    // --- Which files are catalogs ---------------------------------------------------------------

    private const string Broken = "feature: Shop\nevents:\n\tcheckout: {}\n";

    [Fact]
    public Task YamlFileWithoutCatalogMetadataIsIgnored() => new CatalogAnalyzerTest()
        .WithAdditionalFile("x.yaml", Broken, telemetryCatalogMetadata: null)
        .RunAsync();

    [Fact]
    public Task YamlFileWithCatalogMetadataFalseIsIgnored() => new CatalogAnalyzerTest()
        .WithAdditionalFile("x.yaml", Broken, telemetryCatalogMetadata: "false")
        .RunAsync();

    [Fact]
    public Task TextFileWithCatalogMetadataIsIgnored() => new CatalogAnalyzerTest()
        .WithAdditionalFile("x.txt", Broken, telemetryCatalogMetadata: "true")
        .RunAsync();

    [Fact]
    public Task YmlFileWithCatalogMetadataIsAnalyzed() => new CatalogAnalyzerTest()
        .WithAdditionalFile("x.yml", Broken, telemetryCatalogMetadata: "True")
        .Expect(Diagnostic(DiagnosticIds.InvalidYaml).WithSpan(PathOf("x.yml"), 3, 1, 3, 2))
        .RunAsync();

    [Fact]
    public Task FilesThatAreNotCatalogsTakeNoPartInCrossFileChecks() => new CatalogAnalyzerTest()
        .WithCatalog("a.yaml", ShopCheckout)
        .WithAdditionalFile("b.yaml", ShopCheckout, telemetryCatalogMetadata: null)
        .WithAdditionalFile("c.txt", ShopCheckout, telemetryCatalogMetadata: "true")
        .RunAsync();
}
