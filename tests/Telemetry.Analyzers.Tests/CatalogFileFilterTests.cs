using Telemetry.Analyzers.Tests.TestSupport;

namespace Telemetry.Analyzers.Tests;

/// <summary>A catalog file is a .yaml/.yml AdditionalFile whose TelemetryCatalog metadata is true; nothing else is read.</summary>
public sealed class CatalogFileFilterTests
{
    [Theory]
    [InlineData("/p/catalog/watchlist.yaml", "true", true)]
    [InlineData("/p/catalog/watchlist.yml", "true", true)]
    [InlineData("/p/catalog/WATCHLIST.YAML", "True", true)]
    [InlineData("/p/catalog/watchlist.yaml", " TRUE ", true)]
    [InlineData("/p/catalog/watchlist.yaml", "false", false)]
    [InlineData("/p/catalog/watchlist.yaml", "", false)]
    [InlineData("/p/catalog/watchlist.yaml", "yes", false)]
    [InlineData("/p/catalog/watchlist.yaml", null, false)]
    [InlineData("/p/catalog/watchlist.txt", "true", false)]
    [InlineData("/p/catalog/watchlist.yaml.bak", "true", false)]
    [InlineData("/p/catalog/watchlist.json", "true", false)]
    [InlineData("/p/catalog/yaml", "true", false)]
    public void OnlyYamlFilesMarkedTrueAreCatalogs(string path, string? metadata, bool expected)
    {
        var options = metadata is null
            ? TestAnalyzerConfigOptions.Empty
            : new TestAnalyzerConfigOptions(new Dictionary<string, string> { [CatalogFileFilter.MetadataKey] = metadata });

        Assert.Equal(expected, CatalogFileFilter.IsCatalog(path, options));
    }

    [Fact]
    public void TheMetadataKeyIsWhatCompilerVisibleItemMetadataProduces() =>
        Assert.Equal("build_metadata.AdditionalFiles.TelemetryCatalog", CatalogFileFilter.MetadataKey);
}
