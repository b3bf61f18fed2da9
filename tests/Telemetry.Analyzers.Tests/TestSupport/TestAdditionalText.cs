using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Telemetry.Analyzers.Tests.TestSupport;

/// <summary>An in-memory AdditionalFile.</summary>
internal sealed class TestAdditionalText : AdditionalText
{
    private readonly SourceText _text;

    public TestAdditionalText(string path, string text)
        : this(path, SourceText.From(text))
    {
    }

    public TestAdditionalText(string path, SourceText text)
    {
        Path = path;
        _text = text;
    }

    public override string Path { get; }

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}
